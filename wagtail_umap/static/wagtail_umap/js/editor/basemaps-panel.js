/* Map editor panel "basemaps": what visitors may do with the basemap (map settings).
 *
 * Which of the site's basemaps visitors may switch to (options.basemap_choice), the overlays
 * (options.overlays: a checkbox and an opacity a site overlay) and the limits of the map
 * (options.limit_bounds: the current view, or none). Native labelled controls; each change is
 * one undoable edit through `state.apply`. Mounted by editor.js into the map settings with
 * context {basemaps, overlays, map}.
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor || !editor.registerPanel || !editor.panelKit) return;
  const P = editor.panelKit; // el, format, uid: the helpers the other panels share

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  // A latitude or longitude the admin's way ("47,490906" in French), as the "Viseur" writes it.
  function shown(value) {
    if (editor.formatNumber) return editor.formatNumber(value, 6);
    const language = document.documentElement.lang || "fr";
    return new Intl.NumberFormat(language, { maximumFractionDigits: 6, useGrouping: false }).format(value);
  }

  function basemapsPanel(state, container, strings, context) {
    const basemaps = context.basemaps || [];
    const overlays = context.overlays || [];

    function options() {
      return state.doc.options || {};
    }

    function setOption(label, key, value) {
      state.apply(label, (doc) => {
        if (value === null || (Array.isArray(value) && !value.length)) delete doc.options[key];
        else doc.options[key] = value;
      }, { options: true });
    }

    function choiceGroup() {
      const own = options().basemap || context.defaultBasemap;
      const chosen = new Set(options().basemap_choice || []);
      const group = P.el("fieldset", { className: "umap-panel__group umap-basemaps-choice" }, [
        P.el("legend", { text: strings.basemap_choice }),
        P.el("p", { className: "umap-panel__hint", text: strings.basemap_choice_hint }),
      ]);
      for (const basemap of basemaps) {
        if (basemap.id === own) continue;
        const box = P.el("input", { type: "checkbox", "data-focus-key": `basemap-choice-${basemap.id}`, "data-umap-basemap-choice": basemap.id });
        box.checked = chosen.has(basemap.id);
        box.addEventListener("change", () => {
          const next = basemaps.map((item) => item.id).filter((id) => id !== own && (id === basemap.id ? box.checked : chosen.has(id)));
          setOption(strings.changed_basemap_choice, "basemap_choice", next);
        });
        group.append(P.el("label", { className: "umap-editor__inline" }, [box, document.createTextNode(` ${basemap.label}`)]));
      }
      return group;
    }

    function overlayGroup() {
      const current = new Map((options().overlays || []).map((item) => [item.id, item]));
      const group = P.el("fieldset", { className: "umap-panel__group umap-overlays-choice" }, [
        P.el("legend", { text: strings.overlays }),
      ]);
      function save(id, change) {
        const list = overlays.map((overlay) => current.get(overlay.id) || null);
        const index = overlays.findIndex((overlay) => overlay.id === id);
        list[index] = change(list[index]);
        setOption(strings.changed_overlays, "overlays", list.filter(Boolean));
      }
      for (const overlay of overlays) {
        const item = current.get(overlay.id);
        const box = P.el("input", { type: "checkbox", "data-focus-key": `overlay-${overlay.id}`, "data-umap-overlay": overlay.id });
        box.checked = Boolean(item);
        box.addEventListener("change", () => save(overlay.id, () => (box.checked ? { id: overlay.id, opacity: 0.7, shown: true } : null)));
        const sliderId = P.uid("overlay-opacity");
        const slider = P.el("input", {
          type: "range", id: sliderId, min: "0", max: "100", step: "10",
          value: String(Math.round((item ? item.opacity : 0.7) * 100)),
          "data-focus-key": `overlay-opacity-${overlay.id}`, "aria-valuetext": `${Math.round((item ? item.opacity : 0.7) * 100)} %`,
          disabled: !item,
        });
        slider.addEventListener("change", () => save(overlay.id, (entry) => ({ ...entry, opacity: Number(slider.value) / 100 })));
        group.append(P.el("div", { className: "umap-basemaps-choice__overlay" }, [
          P.el("label", { className: "umap-editor__inline" }, [box, document.createTextNode(` ${overlay.label}`)]),
          P.el("label", { for: sliderId, className: "umap-basemaps-choice__opacity", text: P.format(strings.overlay_opacity, { name: overlay.label }) }),
          slider,
        ]));
      }
      return group;
    }

    function limitsGroup() {
      const bounds = options().limit_bounds;
      const text = bounds
        ? P.format(strings.limit_bounds_set, { south: shown(bounds.south), west: shown(bounds.west), north: shown(bounds.north), east: shown(bounds.east) })
        : strings.limit_bounds_none;
      const useView = P.el("button", { type: "button", className: "button button-small button-secondary", "data-focus-key": "limit-bounds-view", text: strings.limit_bounds_use_view });
      useView.addEventListener("click", () => {
        const view = context.map.getBounds();
        setOption(strings.changed_limit_bounds, "limit_bounds", {
          south: round(Math.max(-90, view.getSouth())), west: round(Math.max(-180, view.getWest())),
          north: round(Math.min(90, view.getNorth())), east: round(Math.min(180, view.getEast())),
        });
      });
      const clear = P.el("button", { type: "button", className: "button button-small button-secondary", "data-focus-key": "limit-bounds-clear", text: strings.limit_bounds_clear, disabled: !bounds });
      clear.addEventListener("click", () => setOption(strings.changed_limit_bounds, "limit_bounds", null));
      return P.el("fieldset", { className: "umap-panel__group umap-limits" }, [
        P.el("legend", { text: strings.limit_bounds }),
        P.el("p", { className: "umap-editor__view", "data-umap-limit-bounds": "", text }),
        P.el("p", { className: "umap-editor__actions" }, [useView, document.createTextNode(" "), clear]),
      ]);
    }

    function render() {
      const active = document.activeElement;
      const focusKey = active && container.contains(active) ? active.getAttribute("data-focus-key") : null;
      const groups = [];
      if (basemaps.length > 1) groups.push(choiceGroup());
      if (overlays.length) groups.push(overlayGroup());
      if (context.map) groups.push(limitsGroup());
      container.replaceChildren(P.el("div", { className: "umap-panel umap-basemaps-panel", "data-umap-panel": "basemaps" }, groups));
      if (focusKey) {
        const again = container.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
        if (again) again.focus();
      }
    }

    render();
    return { update: render, destroy() { container.replaceChildren(); } };
  }

  editor.registerPanel("basemaps", basemapsPanel);
})();
