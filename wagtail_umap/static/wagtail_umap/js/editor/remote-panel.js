/* Map editor panel "remote": a layer's live data (layers[].remote_data, docs/live-data.md).
 *
 * The address, format and refresh period (each change one undoable edit through
 * `state.apply`), the last fetch and its error as the server recorded them, and an "Update now"
 * button: the server fetches the address (editor/remote_view.py) and the fetched features
 * replace the layer's in the draft (one undoable edit). Mounted by editor.js into the layer
 * settings with context {layerId, remote: the widget's config, announce}.
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor || !editor.registerPanel || !editor.panelKit) return;
  const P = editor.panelKit;
  const POLL_MS = 1000;
  const POLL_MAX = 90;

  function guessFormat(url) {
    const path = url.split(/[?#]/)[0].toLowerCase();
    for (const [ending, format] of [[".csv", "csv"], [".kml", "kml"], [".gpx", "gpx"], [".rss", "georss"], [".xml", "georss"]]) {
      if (path.endsWith(ending)) return format;
    }
    if (/overpass/.test(url)) return "osm";
    return "geojson";
  }

  function csrfToken() {
    const field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function remotePanel(state, container, _strings, context) {
    const config = context.remote || {};
    const s = config.strings || {};
    const layerId = context.layerId;
    const endpoint = config.url ? config.url.replace("LAYER", encodeURIComponent(layerId)) : "";
    let server = null; // the source's state as the server last said
    let busy = false;
    let destroyed = false;

    function layer() {
      return state.layer(layerId);
    }

    function setRemote(change) {
      state.apply(s.changed, (doc) => {
        const target = doc.layers.find((item) => item.id === layerId);
        const next = change(target.remote_data ? { ...target.remote_data } : null);
        if (next) target.remote_data = next;
        else delete target.remote_data;
      }, { layers: [layerId] });
    }

    function when(iso) {
      return iso ? new Date(iso).toLocaleString(document.documentElement.lang || undefined) : "";
    }

    function statusText() {
      if (busy) return s.fetching;
      if (!server || !server.last_attempt_at) return s.never;
      const count = server.data ? server.data.feature_count : 0;
      return server.last_success_at ? P.format(s.last, { when: when(server.last_success_at), count }) : s.never;
    }

    async function load(withFeatures) {
      if (!endpoint) return null;
      const response = await fetch(endpoint + (withFeatures ? "?features=1" : ""), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      const answer = await response.json();
      return answer.state || null;
    }

    async function updateNow() {
      const remote = layer() && layer().remote_data;
      if (!remote || busy || !endpoint) return;
      const before = server ? server.last_attempt_at : null;
      busy = true;
      render();
      context.announce && context.announce(s.fetching);
      let answer = null;
      try {
        const response = await fetch(endpoint, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ ...remote, name: layer().name }),
        });
        const body = await response.json();
        if (!response.ok && response.status !== 202) {
          server = { ...(server || {}), error: (body.errors || []).join(" "), last_attempt_at: new Date().toISOString() };
        } else {
          answer = body.state;
          for (let tries = 0; answer && answer.last_attempt_at === before && tries < POLL_MAX && !destroyed; tries += 1) {
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
            answer = await load(true);
          }
          server = answer;
        }
      } catch (error) {
        server = { ...(server || {}), error: String(error) };
      }
      busy = false;
      if (destroyed) return;
      if (answer && !answer.error && answer.features) {
        const features = answer.features;
        state.apply(s.replaced, (doc) => {
          doc.layers.find((item) => item.id === layerId).features = features;
        }, { layers: [layerId] });
        context.announce && context.announce(P.format(s.fetched, { count: features.length }));
      } else if (server && server.error) {
        context.announce && context.announce(P.format(s.failed, { error: server.error }));
      }
      render();
    }

    function render() {
      const current = layer();
      if (!current) return;
      const remote = current.remote_data || null;
      const active = document.activeElement;
      const focusKey = active && container.contains(active) ? active.getAttribute("data-focus-key") : null;
      const urlId = P.uid("remote-url");
      const hintId = P.uid("remote-hint");
      const url = P.el("input", {
        type: "url", id: urlId, className: "umap-editor__input", inputmode: "url", autocomplete: "off",
        spellcheck: "false", placeholder: "https://", "data-focus-key": "remote-url",
        "aria-describedby": hintId, "data-umap-remote-url": "",
      });
      url.value = remote ? remote.url : "";
      url.addEventListener("change", () => {
        const value = url.value.trim();
        setRemote((previous) => {
          if (!value) return null;
          const format = previous && previous.url ? previous.format : guessFormat(value);
          return { url: value, format, refresh: previous ? previous.refresh : 3600 };
        });
      });
      const formatId = P.uid("remote-format");
      const format = P.el("select", { id: formatId, "data-focus-key": "remote-format", disabled: !remote }, (config.formats || []).map((name) =>
        P.el("option", { value: name, text: name === "osm" ? "OSM (Overpass JSON)" : name.toUpperCase().replace("GEOJSON", "GeoJSON").replace("GEORSS", "GeoRSS") })));
      format.value = remote ? remote.format : "geojson";
      format.addEventListener("change", () => setRemote((previous) => previous && { ...previous, format: format.value }));
      const refreshId = P.uid("remote-refresh");
      const refresh = P.el("select", { id: refreshId, "data-focus-key": "remote-refresh", disabled: !remote }, (config.refresh || []).map((seconds) =>
        P.el("option", { value: String(seconds), text: s[`refresh_${seconds}`] || `${seconds} s` })));
      refresh.value = String(remote ? remote.refresh : 3600);
      refresh.addEventListener("change", () => setRemote((previous) => previous && { ...previous, refresh: Number(refresh.value) }));
      const button = P.el("button", {
        type: "button", className: "button button-small button-secondary", "data-focus-key": "remote-now",
        "data-umap-remote-now": "", text: s.now, disabled: !remote || !endpoint || busy || state.readOnly,
      });
      button.addEventListener("click", updateNow);
      const children = [
        P.el("legend", { text: s.legend }),
        P.el("p", { className: "help", id: hintId, text: s.hint }),
      ];
      if (!config.enabled) children.push(P.el("p", { className: "help-block help-warning", text: s.off }));
      children.push(
        P.el("div", { className: "umap-editor__field" }, [P.el("label", { for: urlId, text: s.url }), url]),
        P.el("div", { className: "umap-editor__field" }, [P.el("label", { for: formatId, text: s.format }), format]),
        P.el("div", { className: "umap-editor__field" }, [P.el("label", { for: refreshId, text: s.refresh }), refresh]),
      );
      if (remote) {
        children.push(P.el("p", { className: "umap-remote__status", "data-umap-remote-status": "", text: endpoint ? statusText() : s.unsaved }));
        if (server && server.error && !busy) {
          children.push(P.el("p", { className: "error-message umap-remote__error", "data-umap-remote-error": "", text: P.format(s.failed, { error: server.error }) }));
        }
        children.push(P.el("p", { className: "umap-editor__actions" }, [button]));
      }
      container.replaceChildren(P.el("fieldset", { className: "umap-panel__group umap-remote-panel", "data-umap-panel": "remote" }, children));
      if (focusKey) {
        const again = container.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
        if (again && !again.disabled) again.focus();
      }
    }

    render();
    if (layer() && layer().remote_data && endpoint) {
      load(false).then((answer) => {
        if (destroyed) return;
        server = answer;
        render();
      }).catch(() => {});
    }
    return { update: render, destroy() { destroyed = true; container.replaceChildren(); } };
  }

  editor.registerPanel("remote", remotePanel);
})();
