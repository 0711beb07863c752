/* Mounts the map editor where the widget put it, as a Stimulus controller of Wagtail's admin
 * (`window.wagtail.app`, Wagtail 5.2+), so it also mounts in panels added after page load. */
(function () {
  "use strict";

  /* Large stored layers are not in the page: their features come from their own address
   * (the store's compressed bytes) before the editor starts. */
  function loadLayers(element, config) {
    const sources = Object.entries(config.layerSources || {});
    const message = element.querySelector(".umap-editor__loading");
    if (message) message.textContent = config.strings.layers_loading;
    return Promise.all(sources.map(async ([id, url]) => {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      const stored = await response.json(); // a FeatureCollection
      const features = Array.isArray(stored) ? stored : stored && stored.features;
      const layer = config.document.layers.find((l) => l.id === id);
      if (layer && Array.isArray(features)) layer.features = features;
    }));
  }

  function mount(element) {
    if (element.umapEditor || element.umapLoading) return element.umapEditor;
    const config = JSON.parse(document.getElementById(element.dataset.umapEditorConfigValue).textContent);
    if (Object.keys(config.layerSources || {}).length) {
      element.umapLoading = loadLayers(element, config).then(() => start(element, config), (error) => {
        console.error(error);
        const alert = document.createElement("p");
        alert.className = "help-block help-critical";
        alert.setAttribute("role", "alert");
        alert.textContent = config.strings.layers_load_failed;
        element.replaceChildren(alert);
        element.dataset.umapEditorState = "failed";
      });
      return null;
    }
    return start(element, config);
  }

  function start(element, config) {
    const input = document.getElementById(element.dataset.umapEditorInputValue);
    element.umapEditor = window.wagtailUmapEditor.mountEditor(element, input, config);
    element.umapEditor.saver = window.wagtailUmapEditor.attachSaver(element.umapEditor, input, config);
    return element.umapEditor;
  }

  const app = window.wagtail && window.wagtail.app;
  const Controller = window.StimulusModule && window.StimulusModule.Controller;
  if (app && Controller) {
    app.register(
      "umap-editor",
      class extends Controller {
        connect() {
          mount(this.element);
        }
      },
    );
  } else {
    // Outside Wagtail's admin (never expected): mount once the page is parsed.
    const start = () => document.querySelectorAll("[data-controller~=umap-editor]").forEach(mount);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
