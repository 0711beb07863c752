/* A map page's map, edited in the page's editor (issue 19): "Edit the map here" opens the
 * map's own editor in a frame of the panel (editor/inline_editor.py, same origin), loaded on
 * first open only; after each save there, the panel copies the map's new state and the offer
 * to publish it with the page from the frame's <template data-umap-map-state>, and says so in
 * its status region. The page's form is never reloaded: what was typed in it stays.
 * A Stimulus controller registered with Wagtail's application (window.wagtail.app). */
(() => {
  "use strict";

  const { Controller } = window.StimulusModule;

  class InlineMapController extends Controller {
    static targets = ["state", "saved", "toggle", "box", "frame", "fullEditor"];

    static values = {
      url: String,
      urlTemplate: String,
      chooser: String,
      titleTemplate: String,
      openLabel: String,
      closeLabel: String,
    };

    connect() {
      if (!this.hasFrameTarget) return; // an editor who may not edit maps: no frame
      this.onFrameLoad = this.onFrameLoad.bind(this);
      this.onChosen = this.onChosen.bind(this);
      this.frameTarget.addEventListener("load", this.onFrameLoad);
      this.chooserInput()?.addEventListener("change", this.onChosen);
      this.toggleTarget.hidden = !this.urlValue;
    }

    disconnect() {
      if (!this.hasFrameTarget) return;
      this.frameTarget.removeEventListener("load", this.onFrameLoad);
      this.chooserInput()?.removeEventListener("change", this.onChosen);
    }

    chooserInput() {
      return this.chooserValue ? document.getElementById(this.chooserValue) : null;
    }

    toggle() {
      this.setOpen(this.boxTarget.hidden);
    }

    setOpen(open) {
      if (open && !this.frameTarget.getAttribute("src") && this.urlValue) {
        this.frameTarget.src = this.urlValue; // the editor loads when first asked for
      }
      this.boxTarget.hidden = !open;
      this.toggleTarget.setAttribute("aria-expanded", String(open));
      this.toggleTarget.textContent = open ? this.closeLabelValue : this.openLabelValue;
    }

    /* The chooser picked another map (or a new one, from its "New map" tab): its editor
     * replaces the frame's, opened at once; none when the choice was cleared. */
    onChosen() {
      const id = this.chooserInput().value;
      this.urlValue = id ? this.urlTemplateValue.replace(/\/0\/$/, `/${id}/`) : "";
      this.frameTarget.removeAttribute("src");
      this.savedTarget.textContent = "";
      if (this.hasFullEditorTarget) this.fullEditorTarget.hidden = true; // it names the old map
      if (!id) {
        this.setOpen(false);
        this.toggleTarget.hidden = true;
        return;
      }
      // The chooser writes the map's title after the change event: read it just after.
      window.setTimeout(() => {
        const field = this.chooserInput().closest("[data-chooser]") || this.element.parentElement;
        const title = field?.querySelector("[data-chooser-title]")?.textContent.trim() || "";
        this.frameTarget.title = this.titleTemplateValue.replace("__title__", title);
      }, 0);
      this.toggleTarget.hidden = false;
      this.setOpen(true);
    }

    /* Each page the frame shows: after a save, the map's state comes back to the panel. */
    onFrameLoad() {
      let doc;
      try {
        doc = this.frameTarget.contentDocument;
      } catch {
        return; // not this site's page: nothing to read
      }
      const state = doc?.querySelector("template[data-umap-map-state]");
      if (!state) return;
      // The map's title as saved (it may have changed in the frame) names the frame.
      const heading = doc.querySelector("h1")?.textContent.trim();
      if (heading) this.frameTarget.title = heading;
      if (state.dataset.justSaved === "true") {
        this.copyState(state);
        this.savedTarget.textContent = state.dataset.savedMessage;
      }
      // Wagtail's autosave saves revisions without a page load: ask the map's state then.
      doc.addEventListener("w-autosave:success", () => this.fetchState());
      this.showMap(doc);
    }

    async fetchState() {
      const url = new URL(this.urlValue, window.location.href);
      url.searchParams.set("state", "1");
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return; // the next save says it again
      const html = new DOMParser().parseFromString(await response.text(), "text/html");
      const state = html.querySelector("template[data-umap-map-state]");
      if (!state) return;
      this.copyState(state);
      this.savedTarget.textContent = state.dataset.savedMessage;
    }

    /* The frame opens on the map, below the map's title and summary, unless the page says
     * something first (a refused save, an error in a field). Scrolled in the frame only: the
     * page's editor stays where it is. */
    showMap(doc) {
      const errors = ".messages li.error, .messages li.warning, .error-message:not([hidden])";
      if (doc.querySelector(errors)) return;
      const editor = doc.querySelector(".umap-editor");
      const panel = editor?.closest("section.w-panel") || editor;
      if (!panel) return;
      const view = doc.defaultView;
      view.scrollTo(0, panel.getBoundingClientRect().top + view.scrollY - 8);
    }

    copyState(template) {
      const before = this.stateTarget.querySelector("input[type=checkbox]");
      const fresh = document.importNode(template.content, true);
      const after = fresh.querySelector("input[type=checkbox]");
      // A choice the editor made stays, as long as the offer is the same.
      if (before && after && before.value === after.value) after.checked = before.checked;
      this.stateTarget.replaceChildren(fresh);
    }
  }

  window.wagtail.app.register("umap-inline-map", InlineMapController);
})();
