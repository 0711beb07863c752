/* Mounts the map editor where the widget put it, as a Stimulus controller of Wagtail's admin
 * (`window.wagtail.app`, Wagtail 5.2+), so it also mounts in panels added after page load. */
(function () {
  "use strict";

  function mount(element) {
    if (element.umapEditor) return element.umapEditor;
    const config = JSON.parse(document.getElementById(element.dataset.umapEditorConfigValue).textContent);
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
