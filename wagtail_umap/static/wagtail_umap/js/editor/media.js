/* Map editor panel "media": a feature's image, video and audio, through Wagtail's own choosers.
 *
 * Writes `feature.properties._media` (map document contract): `image: {id, alt}` (alt required
 * unless the editor marks the image decorative, which stores alt ""), `video` (an https
 * address, loaded by citizens only on click) and `audio: {id, title}` (a Wagtail document).
 * The choosers are Wagtail's modal classes (window.ImageChooserModal, DocumentChooserModal),
 * loaded by editor/panels.py (PANEL_MEDIA).
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor || !editor.panelKit) return;
  const P = editor.panelKit;
  // What the choosers told us this session (title, preview), by id: a saved map only keeps ids.
  const chosenImages = new Map();

  function mediaPanel(state, container, strings, context) {
    const config = (state.config && state.config.panels) || {};
    const choosers = config.choosers || {};
    const ui = {};

    const feature = () => (state.selection && state.selection.feature) || context.feature;
    const media = () => {
      const current = feature();
      return (current && current.properties && current.properties._media) || {};
    };

    /* Set or (with undefined) remove one media key, as one undoable edit (of `target`, by
     * default the selected feature). */
    function setMedia(key, value, target = feature()) {
      if (!target) return;
      state.apply(
        strings.media_changed,
        () => {
          target.properties = target.properties || {};
          const current = { ...(target.properties._media || {}) };
          if (value === undefined) delete current[key];
          else current[key] = value;
          if (Object.keys(current).length) target.properties._media = current;
          else delete target.properties._media;
        },
        { features: [target] },
      );
    }

    function openChooser(kind, onChosen) {
      const ModalClass = kind === "image" ? window.ImageChooserModal : window.DocumentChooserModal;
      const url = choosers[kind === "image" ? "image" : "document"];
      if (!ModalClass || !url) {
        P.announce(container, strings.media_no_chooser);
        return;
      }
      new ModalClass(url).open({}, onChosen);
    }

    // --- image -------------------------------------------------------------------------------

    function imageGroup() {
      const preview = P.el("div", { className: "umap-media__preview" });
      const chosenText = P.el("p", { className: "umap-media__chosen" });
      const choose = P.el("button", { type: "button", className: "button button-small button-secondary" });
      const remove = P.el("button", { type: "button", className: "button button-small no", text: strings.media_image_remove });
      const alt = P.el("textarea", { rows: 2, maxlength: 500, className: "umap-media__alt" });
      const decorative = P.el("input", { type: "checkbox", id: P.uid("decorative") });
      const error = P.el("p", { className: "umap-panel__error", id: P.uid("error"), hidden: true, text: strings.media_alt_required });
      const altField = P.field(strings.media_alt, alt, strings.media_alt_help);
      altField.append(error);
      let needsAlt = false;
      const details = P.el("div", { className: "umap-media__image-details" }, [
        altField,
        P.el("div", { className: "umap-panel__field umap-panel__field--inline" }, [
          decorative,
          P.el("label", { for: decorative.id, text: strings.media_decorative }),
        ]),
      ]);

      // "Choose an image on your computer" is the file field itself: the image is sent as soon
      // as it is chosen (editor/image_upload.py), no modal and no second button.
      const file = P.el("input", { type: "file", accept: "image/*", className: "umap-editor__image-file", "data-focus-key": "feature-image-file" });
      const upload = P.el("label", { className: "button button-small button-secondary umap-editor__import-button umap-media__upload" }, [
        P.el("span", { text: strings.media_image_upload }),
        file,
      ]);
      const uploadError = P.el("p", { className: "umap-panel__error", role: "alert", hidden: true });
      const onImageChosen = (result) => {
        const id = parseInt(result.id, 10);
        if (!(id > 0)) return;
        chosenImages.set(id, { title: result.title || "", preview: result.preview || null });
        const text = (result.default_alt_text || result.title || "").slice(0, 500);
        // Focus inside the panel first: the editor then updates it instead of rebuilding it.
        choose.focus();
        needsAlt = !text;
        setMedia("image", { id, alt: text });
        showAltError(needsAlt);
        // Wagtail's modal then gives the focus back to the button that opened it.
      };
      choose.addEventListener("click", () => openChooser("image", onImageChosen));
      file.addEventListener("change", () => {
        const chosen = file.files && file.files[0];
        file.value = "";
        if (chosen) sendImage(chosen, feature(), onImageChosen);
      });
      remove.addEventListener("click", () => {
        setMedia("image", undefined);
        choose.focus();
      });
      alt.addEventListener("change", () => {
        const image = media().image;
        if (!image) return;
        const text = alt.value.trim();
        if (!text && !decorative.checked) {
          showAltError(true);
          return;
        }
        showAltError(false);
        needsAlt = false;
        setMedia("image", { id: image.id, alt: text });
      });
      decorative.addEventListener("change", () => {
        const image = media().image;
        if (!image) return;
        alt.disabled = decorative.checked;
        if (decorative.checked) {
          needsAlt = false;
          showAltError(false);
          setMedia("image", { id: image.id, alt: "" });
        } else {
          needsAlt = !alt.value.trim();
          showAltError(needsAlt);
          if (alt.value.trim()) setMedia("image", { id: image.id, alt: alt.value.trim() });
          alt.focus();
        }
      });

      function showAltError(shown) {
        error.hidden = !shown;
        if (shown) {
          alt.setAttribute("aria-invalid", "true");
          alt.setAttribute("aria-errormessage", error.id);
        } else {
          alt.removeAttribute("aria-invalid");
        }
      }

      /* Post the chosen file; once Wagtail made the image, it is `target`'s (the place selected
       * when the file was chosen), as if chosen in Wagtail's chooser. */
      function sendImage(chosen, target, onChosen) {
        if (!choosers.image_upload || !target) return;
        const token = (container.closest("form") || document).querySelector("[name=csrfmiddlewaretoken]");
        const body = new FormData();
        body.append("file", chosen);
        uploadError.hidden = true;
        upload.setAttribute("aria-busy", "true");
        P.announce(container, P.format(strings.media_image_uploading, { name: chosen.name }));
        const failed = (reason) => {
          uploadError.textContent = P.format(strings.media_image_upload_failed, { name: chosen.name, reason });
          uploadError.hidden = false;
        };
        fetch(choosers.image_upload, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "" },
        })
          .then((response) => response.json().catch(() => ({ errors: [strings.media_image_upload_offline] })))
          .then((result) => {
            if (!result || !result.id) return failed((result && result.errors || [strings.media_image_upload_offline]).join(" "));
            if (target !== feature()) {
              // The place is no longer the selected one: the image is still its own.
              chosenImages.set(result.id, { title: result.title || "", preview: result.preview || null });
              return setMedia("image", { id: result.id, alt: (result.default_alt_text || result.title || "").slice(0, 500) }, target);
            }
            onChosen(result);
            P.announce(container, P.format(strings.media_image_uploaded, { title: result.title || chosen.name }));
          })
          .catch(() => failed(strings.media_image_upload_offline))
          .finally(() => upload.removeAttribute("aria-busy"));
      }

      ui.image = () => {
        const image = media().image;
        details.hidden = remove.hidden = preview.hidden = !image;
        upload.hidden = Boolean(image) || !choosers.image_upload;
        choose.textContent = image ? strings.media_image_change : strings.media_image_choose;
        if (!image) {
          chosenText.textContent = "";
          return;
        }
        const known = chosenImages.get(image.id);
        chosenText.textContent = known && known.title
          ? P.format(strings.media_image_chosen, { title: known.title })
          : P.format(strings.media_image_number, { id: image.id });
        preview.replaceChildren();
        if (known && known.preview && known.preview.url) {
          preview.append(P.el("img", { src: known.preview.url, alt: "", width: known.preview.width, height: known.preview.height }));
        }
        if (document.activeElement !== alt) alt.value = image.alt || "";
        // A saved image with an empty alt is decorative, unless it was just chosen without one.
        decorative.checked = !image.alt && !needsAlt;
        alt.disabled = decorative.checked;
      };
      return P.el("fieldset", { className: "umap-panel__group umap-media__image", "data-umap-media": "image" }, [
        P.el("legend", { text: strings.media_image }),
        preview,
        chosenText,
        P.el("div", { className: "umap-panel__buttons" }, [upload, choose, remove]),
        uploadError,
        details,
      ]);
    }

    // --- video -------------------------------------------------------------------------------

    function videoGroup() {
      const input = P.el("input", { type: "url", inputmode: "url", placeholder: "https://", maxlength: 2000, className: "umap-media__video" });
      const error = P.el("p", { className: "umap-panel__error", id: P.uid("error"), hidden: true, text: strings.media_video_invalid });
      function commit() {
        const url = input.value.trim();
        if (url && !/^https:\/\/[^\s/]+\.[^\s]+$/i.test(url)) {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-errormessage", error.id);
          error.hidden = false;
          return;
        }
        input.removeAttribute("aria-invalid");
        error.hidden = true;
        if (url !== (media().video || "")) setMedia("video", url || undefined);
      }
      input.addEventListener("change", commit);
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          commit();
        }
      });
      ui.video = () => {
        if (document.activeElement !== input && input.getAttribute("aria-invalid") !== "true") input.value = media().video || "";
      };
      const field = P.field(strings.media_video, input, strings.media_video_help);
      field.append(error);
      return field;
    }

    // --- audio -------------------------------------------------------------------------------

    function audioGroup() {
      const chosenText = P.el("p", { className: "umap-media__chosen" });
      const choose = P.el("button", { type: "button", className: "button button-small button-secondary" });
      const remove = P.el("button", { type: "button", className: "button button-small no", text: strings.media_audio_remove });
      choose.addEventListener("click", () =>
        openChooser("document", (result) => {
          const id = parseInt(result.id, 10);
          choose.focus(); // before the edit, as for the image
          if (id > 0) setMedia("audio", { id, title: String(result.title || "").slice(0, 200) });
        }),
      );
      remove.addEventListener("click", () => {
        setMedia("audio", undefined);
        choose.focus();
      });
      ui.audio = () => {
        const audio = media().audio;
        remove.hidden = !audio;
        choose.textContent = audio ? strings.media_audio_change : strings.media_audio_choose;
        chosenText.textContent = audio ? P.format(strings.media_audio_chosen, { title: audio.title || `#${audio.id}` }) : "";
      };
      return P.el("fieldset", { className: "umap-panel__group umap-media__audio", "data-umap-media": "audio" }, [
        P.el("legend", { text: strings.media_audio }),
        chosenText,
        P.el("div", { className: "umap-panel__buttons" }, [choose, remove]),
      ]);
    }

    // --- transcript (RGAA 4.1) ------------------------------------------------------------------

    /* A transcript as the textarea shows it: plain text, paragraphs apart by a blank line (an
     * imported HTML transcript is shown as its text). */
    function transcriptText(value) {
      if (!value || !/<[a-z]/i.test(value)) return value || "";
      const body = new DOMParser().parseFromString(`<body>${value}</body>`, "text/html").body;
      for (const br of body.querySelectorAll("br")) br.replaceWith("\n");
      const blocks = [...body.querySelectorAll("p, li")];
      return blocks.length ? blocks.map((block) => block.textContent.trim()).join("\n\n") : body.textContent.trim();
    }

    function transcriptGroup() {
      const area = P.el("textarea", { rows: 5, maxlength: 50000, className: "umap-media__transcript" });
      const warning = P.el("p", { className: "umap-panel__hint umap-style__contrast--warning", id: P.uid("transcript-missing"), hidden: true, text: strings.media_transcript_missing });
      area.addEventListener("change", () => {
        const text = area.value.trim();
        if (text !== transcriptText(media().transcript || "").trim()) setMedia("transcript", text || undefined);
      });
      ui.transcript = () => {
        const current = media();
        const needed = Boolean(current.audio || current.video);
        field.hidden = !needed && !current.transcript;
        if (document.activeElement !== area) area.value = transcriptText(current.transcript || "");
        const missing = needed && !String(current.transcript || "").trim();
        warning.hidden = !missing;
        if (missing) area.setAttribute("aria-invalid", "true");
        else area.removeAttribute("aria-invalid");
      };
      const field = P.field(strings.media_transcript, area, strings.media_transcript_help);
      field.append(warning);
      area.setAttribute("aria-describedby", `${area.getAttribute("aria-describedby")} ${warning.id}`);
      field.setAttribute("data-umap-media", "transcript");
      return field;
    }

    const root = P.el("div", { className: "umap-panel umap-media", "data-umap-panel": "media" }, [
      P.el("h3", { className: "umap-panel__heading", text: strings.media_heading }),
      imageGroup(),
      videoGroup(),
      audioGroup(),
      transcriptGroup(),
    ]);
    container.append(root);
    const refresh = () => {
      ui.image();
      ui.video();
      ui.audio();
      ui.transcript();
    };
    P.statusRegion(container);
    refresh();
    return {
      update: refresh,
      destroy() {
        container.replaceChildren();
      },
    };
  }

  editor.registerPanel("media", mediaPanel);
})();
