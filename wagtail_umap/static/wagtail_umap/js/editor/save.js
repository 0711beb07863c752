/* How the map editor's form is saved (docs/editor.md, "Saving").
 *
 * Changed layers travel once, on their own. Before Wagtail's form is posted (Save draft,
 * Publish, a workflow action, an autosave), each layer changed since it was last sent goes to
 * the layer endpoint (`config.layerUploadUrl`), gzip-compressed as a file part, with a progress
 * bar; the endpoint validates and stores it and answers its `data` reference. The form then
 * posts the document with references only: a 100,000-point layer is sent once (2 MB of gzip),
 * never urlencoded in the form, never again when unchanged. A refused layer (too large,
 * invalid) shows the server's located messages above the map, the form is not posted and the
 * editor keeps every change.
 *
 * The hidden `document` field holds, for each layer: its reference when it is unchanged since
 * it was last sent or loaded; its features inline when changed and small (so any path that
 * posts the form without waiting still carries them); else a `pending` mark, which the server
 * refuses with a located message rather than save the layer without its changes.
 *
 * A layer changed a little since the server last had it travels as a patch (docs/editor.md,
 * "Saving"): its base's digest, the runs of features unchanged since then (their positions in
 * the base) and the features added or changed, which the state marks as its edits, undos and
 * redos change them (`state.touchedSince`). The server validates only those, merges them into
 * the stored base and answers the new reference; when it no longer holds the base (or the
 * patch is large) it says so (409, `fallback`) and the whole layer is sent.
 *
 * A layer too large to be checked within a second (`BACKGROUND_MIN_BYTES`) is stored by a
 * background task: the endpoint answers 202 with a job, which `pollJob` asks about every second
 * (its stage and progress shown) until it is done or failed. Imports use the same (editor.js).
 *
 * The base revision. The edit view refuses a save made on an older revision than the map's
 * latest: the form says which one it was loaded from in Wagtail's hidden `loaded_revision_id`
 * and `loaded_revision_created_at`. Each autosave of this editor becomes the form's base, so
 * that "Save draft" after an autosave is not taken for a stale save.
 *
 * "Save draft" in place. On a Wagtail whose edit view answers JSON (7.1+, autosave on), "Save
 * draft" of an existing map posts the form with fetch once the layers are sent and updates the
 * page where it is (docs/editor.md, "Save draft without a reload"): no reload of the editor.
 */
(function () {
  "use strict";

  const INLINE_MAX = 256 * 1024; // characters of a changed layer's JSON kept inline
  const FEATURE_MIN_CHARS = 51; // the shortest feature's JSON: {"type":"Feature","geometry":null,…}
  const AUTOSAVE_WAIT_MS = 20000;
  const SLICE = 500; // features serialised at once when a layer is sent (then the editor's turn)
  const PATCH_MIN_FEATURES = 100; // a smaller layer is sent whole
  const PATCH_MAX_CHARS = 1000 * 1000; // a larger patch: the whole layer (checked in the background)

  function format(text, params = {}) {
    return String(text).replace(/%\((\w+)\)s/g, (_, key) => (key in params ? params[key] : ""));
  }

  /* Keep the form's base revision on its own latest autosave. */
  function followAutosaves(form) {
    if (!form || form.dataset.umapFollowsAutosaves) return;
    form.dataset.umapFollowsAutosaves = "true";
    // On the document, capturing: before Wagtail's own listeners on the form, so that its
    // unsaved-changes snapshot (taken on the same event) already holds the new base.
    document.addEventListener("w-autosave:success", (event) => {
      if (event.target !== form) return;
      const response = (event.detail && (event.detail.response || event.detail.data)) || {};
      if (!response.revision_id) return;
      setHidden(form, "loaded_revision_id", String(response.revision_id));
      if (response.revision_created_at) setHidden(form, "loaded_revision_created_at", response.revision_created_at);
    }, true);
  }

  /* Wagtail takes its unsaved-changes snapshot of the form when an autosave succeeds, and finds
     changes by comparing the form with it: a change of the map made while that autosave was in
     flight (a marker drawn while the first one creates the map) would count as saved, and never
     be autosaved. After that snapshot, its controller is told the form has edits (its `force`
     value, which its next clear, after the next autosave, resets). */
  function keepChangesMadeInFlight(form, input) {
    let sentValue = null;
    document.addEventListener("w-autosave:save", (event) => {
      // Bubbling: after our capturing listener, which may cancel it to send layers first.
      if (event.target !== form || event.defaultPrevented) return;
      sentValue = input.value;
    });
    document.addEventListener("w-autosave:success", (event) => {
      if (event.target !== form || sentValue === null) return;
      const changed = input.value !== sentValue;
      sentValue = null;
      if (!changed) return;
      setTimeout(() => {
        form.setAttribute("data-w-unsaved-force-value", "true"); // its next check: edits
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  /* Wagtail's autosave of a new map creates it, then points the form at the edit view. A
     Publish or Save draft posted before that answer would create the map a second time (seen
     on a slow server): the post waits for the autosave in flight. Returns what is in flight. */
  function trackAutosaves(form) {
    let inFlight = null;
    let settle = null;
    document.addEventListener("w-autosave:save", (event) => {
      // Bubbling: after our own capturing listener, which may cancel it to send layers first.
      if (event.target !== form || event.defaultPrevented) return;
      inFlight = new Promise((resolve) => {
        settle = resolve;
        setTimeout(resolve, AUTOSAVE_WAIT_MS); // never hold a post forever
      });
    });
    for (const name of ["w-autosave:success", "w-autosave:error"]) {
      document.addEventListener(name, (event) => {
        if (event.target !== form || !settle) return;
        settle();
        settle = inFlight = null;
      });
    }
    return () => inFlight;
  }

  function setHidden(form, name, value) {
    let input = form.querySelector(`input[type=hidden][name="${name}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.prepend(input);
    }
    input.value = value;
  }

  /* Gzip in a worker (gzip-worker.js, its address from the widget) when there is one. */
  let gzipWorker = null;
  let gzipJobs = 0;
  function workerGzipped(blob, url) {
    if (!gzipWorker) gzipWorker = new Worker(url);
    const id = (gzipJobs += 1);
    return new Promise((resolve, reject) => {
      const listener = (event) => {
        if (event.data.id !== id) return;
        gzipWorker.removeEventListener("message", listener);
        if (event.data.error) reject(new Error(event.data.error));
        else resolve({ body: event.data.body, encoding: "gzip" });
      };
      gzipWorker.addEventListener("message", listener);
      gzipWorker.postMessage({ id, blob });
    });
  }

  async function gzipped(text, workerUrl = null) {
    if (typeof CompressionStream === "undefined") return { body: new Blob([text]), encoding: "identity" };
    if (workerUrl && typeof Worker !== "undefined") {
      try {
        return await workerGzipped(new Blob([text]), workerUrl);
      } catch (error) {
        console.error(error); // compressed here instead
      }
    }
    const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
    return { body: await new Response(stream).blob(), encoding: "gzip" };
  }

  const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

  /* A layer's features as JSON in a Blob, serialised SLICE features at a time with a pause
   * between (the editor keeps answering while 35,000 polygons are sent). An edit of the layer
   * meanwhile starts it again (after 3 tries, at once). Returns {version, blob, features,
   * count}: the version sent, its JSON, its features and the state's touch count then. */
  async function layerBlob(state, id) {
    for (let attempt = 0; ; attempt += 1) {
      const version = state.layerVersion(id);
      if (!state.layer(id)) return { version, blob: new Blob(["[]"]) }; // removed meanwhile
      const features = state.layer(id).features;
      const sent = () => ({ features: features.slice(), count: state.touchCount });
      if (attempt >= 3 || features.length <= SLICE) return { version, blob: new Blob([state.layerText(id)]), ...sent() };
      const parts = [];
      for (let start = 0; start < features.length; start += SLICE) {
        const text = JSON.stringify(features.slice(start, start + SLICE));
        parts.push(new Blob([start ? "," : "[", text.slice(1, -1)]));
        await sleep(0);
        if (!state.layer(id) || state.layerVersion(id) !== version) break;
      }
      if (!state.layer(id)) return { version, blob: new Blob(["[]"]) };
      if (state.layerVersion(id) !== version) continue;
      parts.push(new Blob(["]"]));
      return { version, blob: new Blob(parts), ...sent() };
    }
  }

  /* Ask a background job's URL until it is done; `onProgress(job)` while it runs. The final
   * answer (status 200): the result, or `errors`. Rejects when the server cannot be reached. */
  async function pollJob(job, onProgress) {
    let delay = 500;
    for (;;) {
      if (onProgress) onProgress(job);
      await sleep(delay);
      delay = Math.min(delay * 1.5, 1000); // a job's end seen within a second (the save waits on it)
      const response = await fetch(job.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      let payload = null;
      try {
        payload = await response.json();
      } catch (error) {
        payload = null;
      }
      if (response.status === 202 && payload && payload.job) {
        job = payload.job;
        continue;
      }
      return { status: response.status, payload };
    }
  }

  class Saver {
    constructor(editor, input, config) {
      this.editor = editor;
      this.state = editor.state;
      this.input = input;
      this.form = input.form;
      this.config = config;
      this.strings = config.strings;
      // The version of each layer the server holds: {version, ref} (state.layerVersion).
      this.sent = new Map();
      // The features of each layer as the server holds them (its reference's), for patches:
      // {ref, features (the objects, in order), count (the state's touch count then)}.
      this.bases = new Map();
      for (const [id, ref] of Object.entries(this.state.dataRefs || {})) {
        if (this.state.layer(id)) {
          this.sent.set(id, { version: this.state.layerVersion(id), ref });
          this.setLayerBase(id, ref, this.state.layer(id).features.slice());
        }
      }
      this.flushing = null;
      this.passing = false;
      this.buildRegions();
      editor.writeDocument = () => this.write();
      // A layer stored by a background import: saved by reference, not sent again.
      editor.markStored = (id, ref) => {
        this.sent.set(id, { version: this.state.layerVersion(id), ref });
        this.state.dataRefs[id] = ref;
        if (this.state.layer(id)) this.setLayerBase(id, ref, this.state.layer(id).features.slice());
        // The field written on the import's change marked it pending: the reference instead
        // (no new change event: the import's own already started Wagtail's autosave).
        this.input.value = this.serialize();
      };
      if (this.form && !config.readOnly) this.listen();
    }

    t(key, params) {
      return format(this.strings[key] || key, params);
    }

    setLayerBase(id, ref, features, count = this.state.touchCount) {
      this.bases.set(id, { ref, features, count, index: null });
    }

    /* The layer as a patch over the version the server holds ({version, blob, features,
     * count}, as layerBlob's), or null when it is better sent whole (new, small, changed a
     * lot). Runs name unchanged features by their position in the base; the others go as
     * they are now. */
    patchOf(layer) {
      const base = this.bases.get(layer.id);
      const features = layer.features;
      if (!base || !base.ref || !base.ref.digest || features.length < PATCH_MIN_FEATURES) return null;
      if (!base.index) {
        base.index = new Map();
        base.features.forEach((feature, i) => base.index.set(feature, i));
      }
      const used = new Uint8Array(base.features.length);
      const items = [];
      let run = null;
      let changed = 0;
      for (const feature of features) {
        const i = base.index.get(feature);
        if (i !== undefined && !used[i] && !this.state.touchedSince(feature, base.count)) {
          used[i] = 1;
          if (run && run[1] === i) run[1] = i + 1;
          else {
            run = [i, i + 1];
            items.push(run);
          }
        } else {
          items.push(feature);
          run = null;
          changed += 1;
          if (changed > features.length / 4) return null;
        }
      }
      const text = JSON.stringify({ base: base.ref.digest, features: items });
      if (text.length > PATCH_MAX_CHARS) return null;
      return { version: this.state.layerVersion(layer.id), blob: new Blob([text]), features: features.slice(), count: this.state.touchCount };
    }

    buildRegions() {
      this.progressBox = document.createElement("div");
      this.progressBox.className = "umap-editor__saving help-block help-info";
      this.progressBox.hidden = true;
      this.progressText = document.createElement("p");
      this.progressText.setAttribute("role", "status");
      this.progressText.setAttribute("aria-live", "polite");
      this.progressBar = document.createElement("progress");
      this.progressBar.max = 100;
      this.progressBar.setAttribute("aria-label", this.t("save_progress"));
      this.progressBox.append(this.progressText, this.progressBar);
      this.errorBox = document.createElement("div");
      this.errorBox.className = "umap-editor__save-errors help-block help-critical";
      this.errorBox.setAttribute("role", "alert");
      this.errorBox.tabIndex = -1;
      this.errorBox.hidden = true;
      this.editor.root.prepend(this.progressBox, this.errorBox);
    }

    /* The hidden field: unchanged layers by reference, changed ones inline when small. */
    serialize() {
      const doc = this.state.doc;
      const layers = doc.layers.map(({ features, pending, ...layer }) => {
        const sent = this.sent.get(layer.id);
        if (sent && sent.version === this.state.layerVersion(layer.id)) return JSON.stringify({ ...layer, data: sent.ref });
        // A layer too long to be inline is not even serialised here (every edit writes this).
        const json = features.length * FEATURE_MIN_CHARS <= INLINE_MAX ? this.state.layerText(layer.id) : undefined;
        if (json !== undefined && json.length <= INLINE_MAX) {
          const meta = JSON.stringify(layer);
          return `${meta.slice(0, -1)}${meta.length > 2 ? "," : ""}"features":${json}}`;
        }
        return JSON.stringify({ ...layer, ...(sent ? { data: sent.ref } : {}), pending: true });
      });
      const slot = '"layers":"\\u0000layers"';
      const meta = JSON.stringify({ ...doc, layers: "\u0000layers" });
      const at = meta.indexOf(slot);
      return `${meta.slice(0, at)}"layers":[${layers.join(",")}]${meta.slice(at + slot.length)}`;
    }

    write() {
      this.input.value = this.serialize();
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    /* Layers changed since the server last had them, in map order. */
    changedLayers() {
      return this.state.layers.filter((layer) => {
        const sent = this.sent.get(layer.id);
        return !sent || sent.version !== this.state.layerVersion(layer.id);
      });
    }

    listen() {
      // Save draft, Publish, workflow actions: hold the post until the layers are sent.
      document.addEventListener("submit", (event) => this.onSubmit(event), true);
      // jQuery's submit (Wagtail's workflow modal) posts without a submit event: its handler.
      if (window.jQuery) window.jQuery(this.form).on("submit", (event) => this.onJQuerySubmit(event));
      // Autosave: not before the changed layers are sent (sending them changes the field,
      // which makes Wagtail autosave again, with references only).
      document.addEventListener("w-autosave:save", (event) => {
        if (event.target !== this.form) return;
        // Not beside a "Save draft" in place: its revision would be taken for a newer one.
        if (this.savingInPlace) {
          event.preventDefault();
          return;
        }
        if (!this.changedLayers().length) return;
        event.preventDefault();
        this.flush();
      }, true);
      followAutosaves(this.form);
      this.autosaveInFlight = trackAutosaves(this.form);
      keepChangesMadeInFlight(this.form, this.input);
    }

    onSubmit(event) {
      if (event.target !== this.form || this.passing) return;
      const autosave = this.autosaveInFlight();
      const submitter = event.submitter;
      if (!autosave && !this.changedLayers().length && !this.savesInPlace(submitter)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      Promise.resolve(autosave)
        .then(() => (this.changedLayers().length ? this.flush() : true))
        .then((ok) => {
          if (!ok) return this.releaseButtons();
          if (this.savesInPlace(submitter)) return this.saveInPlace();
          return this.postForm(submitter);
        });
    }

    /* The form posted as Wagtail posts it (the page reloads with the server's answer). */
    postForm(submitter) {
      if (submitter && submitter.name) setHidden(this.form, submitter.name, submitter.value || submitter.name);
      this.passing = true;
      try {
        this.form.requestSubmit();
      } finally {
        this.passing = false;
      }
    }

    /* "Save draft" of an existing map, on a Wagtail whose edit view answers a form posted for
     * JSON (its autosave's path: Wagtail 7.1 and later, autosave on): saved without reloading
     * the page, so the save lasts as long as the server's answer, not the editor's reload.
     * Publish, workflow actions, a new map, a save that returns to a page (`?next=`) and
     * Wagtail 7.0 keep the ordinary post. */
    savesInPlace(submitter) {
      if (!this.config.saveInPlace || !submitter || submitter.name) return false;
      if (!submitter.classList.contains("action-save")) return false;
      const controllers = (this.form.dataset.controller || "").split(/\s+/);
      if (!controllers.includes("w-autosave")) return false;
      return !new URL(this.form.action, window.location.href).searchParams.has("next");
    }

    async saveInPlace() {
      this.savingInPlace = true;
      try {
        await this.postInPlace();
      } finally {
        this.savingInPlace = false;
      }
    }

    async postInPlace() {
      const data = new FormData(this.form);
      data.delete("overwrite_revision_id"); // a new revision, as the ordinary post makes
      const token = this.form.querySelector("[name=csrfmiddlewaretoken]");
      let response = null;
      let payload = null;
      try {
        response = await fetch(this.form.action, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
        });
        payload = await response.json();
      } catch (error) {
        payload = null;
      }
      if (payload && payload.success) return this.savedInPlace(payload);
      if (payload && payload.error_code === "invalid_revision") return this.refusedAsStale(payload);
      // Anything else (a form error, a lock, a hook's answer, no answer): the ordinary post,
      // whose page shows the server's messages where Wagtail puts them.
      if (response && response.redirected) return window.location.assign(response.url);
      return this.postForm(null);
    }

    /* The page brought up to date as a reload would: the form's base revision, Wagtail's
     * autosave base, the status side panels, the unsaved-changes state and the message. */
    savedInPlace(payload) {
      this.setBase(payload.revision_id, payload.revision_created_at);
      const partials = this.form.querySelector("[data-w-autosave-target=partials]");
      if (partials && payload.html) partials.innerHTML = payload.html;
      this.releaseButtons();
      // Wagtail's own listeners: the unsaved-changes warning cleared, followAutosaves.
      this.form.dispatchEvent(new CustomEvent("w-autosave:success", {
        bubbles: true, detail: { response: payload, data: payload, trigger: null },
      }));
      this.announce(payload.message || this.t("save_done"), "success");
      this.form.dataset.umapSavedRevision = String(payload.revision_id || "");
      performance.mark("umap-editor-saved");
    }

    /* Another version was saved since this one was loaded: said above the map, every change
     * kept; the base becomes the latest version, so that saving again replaces it knowingly
     * (as the ordinary post's refusal does). */
    refusedAsStale(payload) {
      this.releaseButtons();
      if (payload.latest_revision_id) this.setBase(payload.latest_revision_id, payload.latest_revision_created_at);
      this.showErrors([payload.error_message || this.t("save_stale")], this.t("save_not_done"));
    }

    setBase(revisionId, createdAt) {
      if (!revisionId) return;
      setHidden(this.form, "loaded_revision_id", String(revisionId));
      if (createdAt) setHidden(this.form, "loaded_revision_created_at", createdAt);
      // Wagtail's autosave overwrites its own revision: from now on the one just saved.
      this.form.setAttribute("data-w-autosave-revision-id-value", String(revisionId));
    }

    /* In Wagtail's message area (role=status), where a reload would have put it. */
    announce(text, type) {
      this.progressBox.hidden = true;
      document.dispatchEvent(new CustomEvent("w-messages:add", { detail: { clear: true, text, type } }));
    }

    onJQuerySubmit(event) {
      if (this.passing || !this.changedLayers().length) return undefined;
      event.preventDefault();
      this.flush().then((ok) => {
        if (!ok) return this.releaseButtons();
        this.passing = true;
        try {
          window.jQuery(this.form).trigger("submit");
        } finally {
          this.passing = false;
        }
      });
      return false;
    }

    /* Wagtail's save buttons spin and are disabled once clicked: back to normal. */
    releaseButtons() {
      for (const button of this.form.ownerDocument.querySelectorAll("[data-w-progress-loading-value]")) {
        button.setAttribute("data-w-progress-loading-value", "false");
        button.removeAttribute("disabled");
      }
    }

    /* Send every changed layer (again while some changed meanwhile); true when all are sent. */
    flush() {
      if (!this.flushing) {
        this.flushing = this.sendAll().finally(() => { this.flushing = null; });
      }
      return this.flushing;
    }

    async sendAll() {
      this.errorBox.hidden = true;
      for (let round = 0; round < 3; round += 1) {
        const layers = this.changedLayers();
        if (!layers.length) break;
        for (const [index, layer] of layers.entries()) {
          const ok = await this.send(layer, index + 1, layers.length);
          if (!ok) {
            this.progressBox.hidden = true;
            this.write();
            return false;
          }
        }
      }
      this.write();
      this.showProgress(this.t("save_sent"), null);
      setTimeout(() => { if (!this.flushing) this.progressBox.hidden = true; }, 1500);
      return !this.changedLayers().length;
    }

    async send(layer, index, count) {
      const info = { name: layer.name, position: this.state.layers.indexOf(layer) + 1, index, count };
      this.showProgress(this.t("save_sending", { ...info, percent: "0 %" }), 0);
      const patch = this.patchOf(layer);
      if (patch) {
        const outcome = await this.upload(layer, "patch", patch, info);
        if (outcome !== "fallback") return outcome;
      }
      return this.upload(layer, "features", await layerBlob(this.state, layer.id), info);
    }

    /* One layer's part sent ("features": the whole layer; "patch"): true once stored, false
     * when refused (the messages shown), "fallback" when the server asks for the whole layer. */
    async upload(layer, part, { version, blob, features, count: touched }, { name, position, index, count }) {
      const { body, encoding } = await gzipped(blob, this.config.gzipWorker);
      const data = new FormData();
      data.append(part, body, `${part}.json.gz`);
      data.append("encoding", encoding);
      data.append("name", name);
      data.append("position", String(position));
      let reply;
      try {
        reply = await this.post(data, (percent) => {
          if (percent < 100) this.showProgress(this.t("save_sending", { name, index, count, percent: `${percent} %` }), percent);
          else this.showProgress(this.t("save_checking", { name, index, count }), null);
        });
      } catch (error) {
        this.showErrors([this.t("save_network_error", { name })]);
        return false;
      }
      let payload = null;
      try {
        payload = JSON.parse(reply.responseText);
      } catch (error) {
        payload = null;
      }
      let status = reply.status;
      if (status === 409 && part === "patch" && payload && payload.fallback) return "fallback";
      if (status === 202 && payload && payload.job) {
        try {
          ({ status, payload } = await pollJob(payload.job, (job) => {
            this.showProgress(this.t("save_background", { name, index, count, stage: job.stage, percent: `${job.progress} %` }), job.progress);
          }));
        } catch (error) {
          this.showErrors([this.t("save_network_error", { name })]);
          return false;
        }
      }
      if (status !== 200 || !payload || !payload.data) {
        const messages = payload && payload.errors ? payload.errors : [this.t("save_server_error", { name, status })];
        this.showErrors(messages);
        return false;
      }
      this.sent.set(layer.id, { version, ref: payload.data });
      this.state.dataRefs[layer.id] = payload.data;
      if (features) this.setLayerBase(layer.id, payload.data, features, touched);
      return true;
    }

    /* XMLHttpRequest, for its upload progress (fetch has none). */
    post(data, progress) {
      return new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open("POST", this.config.layerUploadUrl);
        const token = this.form.querySelector("[name=csrfmiddlewaretoken]");
        request.setRequestHeader("X-CSRFToken", token ? token.value : "");
        request.setRequestHeader("Accept", "application/json");
        let last = -10;
        request.upload.onprogress = (event) => {
          if (!event.lengthComputable) return;
          const percent = Math.floor((event.loaded / event.total) * 100);
          if (percent - last >= 10 || percent === 100) {
            last = percent;
            progress(percent);
          }
        };
        request.upload.onload = () => progress(100);
        request.onload = () => resolve(request);
        request.onerror = () => reject(new Error("network"));
        request.send(data);
      });
    }

    showProgress(text, percent) {
      this.progressBox.hidden = false;
      this.progressText.textContent = text;
      if (percent === null) this.progressBar.removeAttribute("value");
      else this.progressBar.value = percent;
    }

    showErrors(messages, heading = null) {
      const title = document.createElement("p");
      title.textContent = heading || this.t("save_failed");
      const list = document.createElement("ul");
      for (const message of messages) {
        const item = document.createElement("li");
        item.textContent = message;
        list.append(item);
      }
      this.errorBox.replaceChildren(title, list);
      this.errorBox.hidden = false;
      this.errorBox.scrollIntoView({ block: "center" });
      this.errorBox.focus();
    }
  }

  window.wagtailUmapEditor = Object.assign(window.wagtailUmapEditor || {}, {
    gzipped,
    pollJob,
    layerBlob,
    attachSaver(editor, input, config) {
      if (!input.form) return null;
      return new Saver(editor, input, config);
    },
  });
})();
