/* How the map editor's form is saved.
 *
 * The base revision. The edit view refuses a save made on an older revision than the map's
 * latest (docs/editor.md, "Saving"): the form says which one it was loaded from in Wagtail's
 * hidden `loaded_revision_id` and `loaded_revision_created_at`. Wagtail's autosave makes newer
 * revisions as the editor works; each one becomes the form's base here, so that "Save draft"
 * or "Publish" after an autosave is not taken for a stale save.
 */
(function () {
  "use strict";

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
      const set = (name, value) => {
        let input = form.querySelector(`input[name=${name}]`);
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          form.prepend(input);
        }
        input.value = value;
      };
      set("loaded_revision_id", String(response.revision_id));
      if (response.revision_created_at) set("loaded_revision_created_at", response.revision_created_at);
    }, true);
  }

  window.wagtailUmapEditor = Object.assign(window.wagtailUmapEditor || {}, {
    attachSaver(editor, input) {
      followAutosaves(input.form);
      return null;
    },
  });
})();
