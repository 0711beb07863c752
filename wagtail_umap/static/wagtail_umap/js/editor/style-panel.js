/* Map editor panel "style": a layer's default style, or one feature's override of it.
 *
 * Colour (a palette readable on the basemap, or any colour with a contrast warning), line
 * opacity, width and pattern, fill, marker shape, pictogram (of the library, or text) and size. Every control is a native,
 * labelled form control (keyboard and screen readers get them for free); each change is one
 * undoable edit through `state.apply`. Texts come from the server (editor/panels.py).
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor) return;
  const P = (editor.panelKit = editor.panelKit || createKit());

  /* Small DOM and text helpers shared by the panels (the first panel file defines them). */
  function createKit() {
    let counter = 0;
    const kit = {
      uid(prefix) {
        counter += 1;
        return `umap-${prefix}-${counter}`;
      },
      format(template, params) {
        return String(template || "").replace(/%\((\w+)\)s/g, (match, key) =>
          params && key in params ? String(params[key]) : match,
        );
      },
      el(tag, attributes, children) {
        const node = document.createElement(tag);
        for (const [key, value] of Object.entries(attributes || {})) {
          if (value === null || value === undefined || value === false) continue;
          if (key === "text") node.textContent = value;
          else if (key === "className") node.className = value;
          else node.setAttribute(key, value === true ? "" : String(value));
        }
        for (const child of children || []) if (child) node.append(child);
        return node;
      },
      /* The schema's description of an option (core/schema via editor/panels.py): label, help,
       * default, bounds and choices. `key` is "<type>.<key>" for a representation's own
       * options. Never undefined, so that a panel still draws with an older server. */
      option(state, scope, key) {
        const fields = (state.config && state.config.panels && state.config.panels.fields) || {};
        const found = (fields[scope] || {})[key];
        return found || { key, label: key, help: "", choices: [] };
      },
      /* [[value, label], …] of a choice option, for a select. */
      choices(field) {
        return (field.choices || []).map((choice) => [choice.value, choice.label]);
      },
      /* A labelled control: <div class=field><label for>…</label>control<p hint></p></div>. */
      field(label, control, hint) {
        const id = control.id || kit.uid("field");
        control.id = id;
        const parts = [kit.el("label", { for: id, text: label }), control];
        if (hint) {
          const hintId = `${id}-hint`;
          parts.push(kit.el("p", { id: hintId, className: "umap-panel__hint", text: hint }));
          control.setAttribute("aria-describedby", hintId);
        }
        return kit.el("div", { className: "umap-panel__field" }, parts);
      },
      /* Parse any CSS colour to [r, g, b, a] (0..255, alpha 0..1) through the canvas, which
       * knows every named colour; null when the browser does not take it. */
      rgba(value) {
        if (typeof value !== "string" || !value.trim()) return null;
        const ctx = kit.canvasContext || (kit.canvasContext = document.createElement("canvas").getContext("2d"));
        ctx.fillStyle = "#010203";
        ctx.fillStyle = value.trim();
        const parsed = ctx.fillStyle;
        if (parsed === "#010203" && value.trim().toLowerCase() !== "#010203") return null;
        if (parsed.startsWith("#")) {
          return [1, 3, 5].map((i) => parseInt(parsed.slice(i, i + 2), 16)).concat(1);
        }
        const numbers = parsed.match(/[\d.]+/g).map(Number);
        return [numbers[0], numbers[1], numbers[2], numbers.length > 3 ? numbers[3] : 1];
      },
      /* WCAG 2.x relative luminance and contrast, as wagtail_umap/core/colours.py computes them. */
      luminance([r, g, b]) {
        const linear = (c) => {
          const s = c / 255;
          return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
      },
      contrast(foreground, background) {
        const front = kit.rgba(foreground);
        const back = kit.rgba(background);
        if (!front || !back) return null;
        const alpha = front[3];
        const shown = [0, 1, 2].map((i) => alpha * front[i] + (1 - alpha) * back[i]);
        const [lighter, darker] = [kit.luminance(shown), kit.luminance(back)].sort((a, b) => b - a);
        return (lighter + 0.05) / (darker + 0.05);
      },
      /* Rounded down, as the server does: 2.96 must not read as 3.0. */
      ratioText(ratio) {
        return (Math.floor(ratio * 10) / 10).toFixed(1);
      },
      toHex(value) {
        const rgba = kit.rgba(value);
        if (!rgba) return "#000000";
        return `#${rgba.slice(0, 3).map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
      },
      /* The number of characters a person sees as such (an emoji is one, not two). */
      charCount(text) {
        return Array.from(text || "").length;
      },
      /* The panel's live region; made when the panel mounts, so that screen readers watch it
       * before anything is said in it. */
      statusRegion(container) {
        let region = container.querySelector(".umap-panel__status");
        if (!region) {
          region = kit.el("p", { className: "umap-panel__status", role: "status" });
          container.append(region);
        }
        return region;
      },
      /* Announce in a live region of the panel (created on first use), for what is not an edit
       * (the editor announces edits itself): sorting, refused values. */
      announce(container, message) {
        const region = kit.statusRegion(container);
        region.textContent = "";
        window.setTimeout(() => {
          region.textContent = message;
        }, 30);
      },
    };
    return kit;
  }

  function stylePanel(state, container, strings, context) {
    const config = (state.config && state.config.panels) || {};
    const palette = config.palette || [];
    const isFeature = context.target === "feature";
    const option = (key) => P.option(state, "style", key);
    const controls = {};
    const ownInputs = [];

    function currentFeature() {
      const selected = state.selection && state.selection.feature;
      return selected || context.feature;
    }
    function layer() {
      if (isFeature) return state.layerOf(currentFeature()) || state.layer(context.layerId);
      return state.layer(context.layerId);
    }
    /* The style this panel edits, and the one it inherits (the layer's, for a feature). */
    function ownStyle() {
      if (!isFeature) return (layer() && layer().style) || {};
      const feature = currentFeature();
      return (feature && feature.properties && feature.properties._style) || {};
    }
    function inheritedStyle() {
      return isFeature && layer() ? layer().style || {} : {};
    }
    function effective(key) {
      const own = ownStyle();
      return key in own ? own[key] : inheritedStyle()[key];
    }

    /* Set (or, with `undefined`, remove) one key as one undoable edit. */
    function setKey(key, value) {
      if (ownStyle()[key] === value) return;
      const feature = isFeature ? currentFeature() : null;
      const layerId = layer() && layer().id;
      state.apply(
        strings.style_changed,
        () => {
          let style;
          if (feature) {
            feature.properties = feature.properties || {};
            style = feature.properties._style = feature.properties._style || {};
          } else {
            const target = state.layer(layerId);
            style = target.style = target.style || {};
          }
          if (value === undefined) delete style[key];
          else style[key] = value;
          if (feature && !Object.keys(style).length) delete feature.properties._style;
        },
        feature ? { features: [feature] } : { layers: [layerId] },
      );
    }

    function resetFeatureStyle() {
      const feature = currentFeature();
      if (!feature || !feature.properties || !feature.properties._style) return;
      state.apply(
        strings.style_reset_done,
        () => {
          delete feature.properties._style;
        },
        { features: [feature] },
      );
    }

    // --- colour ------------------------------------------------------------------------------

    function colourFieldset() {
      const name = P.uid("colour");
      const swatches = P.el("div", { className: "umap-style__swatches" });
      controls.swatches = [];
      for (const colour of palette) {
        const input = P.el("input", { type: "radio", name, value: colour.value, id: P.uid("swatch") });
        input.addEventListener("change", () => {
          if (input.checked) setKey("color", colour.value);
        });
        const chip = P.el("span", { className: "umap-style__chip", "aria-hidden": "true" });
        chip.style.backgroundColor = colour.value; // CSSOM: allowed under the admin's CSP
        const label = P.el("label", { for: input.id, className: "umap-style__swatch" }, [
          chip,
          P.el("span", { className: "umap-style__swatch-name", text: colour.name }),
        ]);
        label.title = P.format(strings.style_swatch, { name: colour.name });
        controls.swatches.push(input);
        swatches.append(P.el("div", { className: "umap-style__swatch-item" }, [input, label]));
      }
      const custom = P.el("input", { type: "color", className: "umap-style__custom" });
      custom.addEventListener("input", () => showContrast(custom.value));
      custom.addEventListener("change", () => setKey("color", custom.value));
      controls.custom = custom;
      // The same colour as text (#rrggbb or a CSS name), for whoever prefers typing it.
      const code = P.el("input", { type: "text", className: "umap-style__code", spellcheck: "false", autocomplete: "off", maxlength: 30 });
      const codeError = P.el("p", { className: "umap-panel__error", id: P.uid("error"), hidden: true, text: strings.style_code_invalid });
      const commitCode = () => {
        const value = code.value.trim();
        const valid = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) || (/^[a-z]{3,20}$/i.test(value) && P.rgba(value));
        if (valid) code.removeAttribute("aria-invalid");
        else {
          code.setAttribute("aria-invalid", "true");
          code.setAttribute("aria-errormessage", codeError.id);
        }
        codeError.hidden = Boolean(valid);
        if (valid) setKey("color", value);
      };
      code.addEventListener("change", commitCode);
      code.addEventListener("input", () => showContrast(code.value.trim()));
      code.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          commitCode();
        }
      });
      controls.code = code;
      const codeField = P.field(strings.style_code, code, option("color").help);
      codeField.append(codeError);
      const contrast = P.el("p", { className: "umap-style__contrast", role: "status" });
      controls.contrast = contrast;
      const legend = P.el("legend", { text: option("color").label });
      return P.el("fieldset", { className: "umap-panel__group umap-style__colour" }, [
        legend,
        P.el("p", { className: "umap-panel__hint", text: strings.style_palette }),
        swatches,
        P.el("div", { className: "umap-style__custom-row" }, [P.field(strings.style_custom_color, custom), codeField]),
        contrast,
      ]);
    }

    /* The worst contrast over the basemap's backgrounds; a warning below the minimum. */
    function showContrast(colour) {
      const backgrounds = config.backgrounds || ["#ffffff"];
      const ratios = backgrounds.map((background) => P.contrast(colour, background)).filter((r) => r !== null);
      const box = controls.contrast;
      if (!ratios.length) {
        box.textContent = "";
        return;
      }
      const ratio = Math.min(...ratios);
      const low = ratio < (config.minContrast || 3);
      const template = low ? strings.style_contrast_warning : strings.style_contrast_ok;
      box.textContent = P.format(template, { ratio: P.ratioText(ratio) });
      box.classList.toggle("umap-style__contrast--warning", low);
      controls.custom.setAttribute("aria-invalid", low ? "true" : "false");
    }

    // --- lines and fill ----------------------------------------------------------------------

    /* A number field with the schema's bounds and step (a fraction shown as a percentage). */
    function numberInput(key, percent) {
      const field = option(key);
      const scale = percent ? 100 : 1;
      const min = field.min * scale;
      const max = field.max * scale;
      const step = (field.step || 1) * scale;
      const input = P.el("input", { type: "number", min, max, step, inputmode: "decimal" });
      input.addEventListener("change", () => {
        if (input.value === "") {
          setKey(key, undefined);
          return;
        }
        const number = Number(input.value);
        if (!Number.isFinite(number) || number < min || number > max) {
          input.setAttribute("aria-invalid", "true");
          P.announce(container, P.format(strings.style_out_of_range, { min, max }));
          return;
        }
        input.removeAttribute("aria-invalid");
        setKey(key, percent ? Math.round(number) / 100 : number);
      });
      controls[key] = { input, percent };
      ownInputs.push(key);
      return input;
    }

    function dashSelect() {
      const select = P.el("select");
      const dashes = config.dashes || { solid: option("dash_array").default || "" };
      for (const [name, value] of Object.entries(dashes)) {
        select.append(P.el("option", { value, text: strings[`style_dash_${name}`] || name }));
      }
      select.addEventListener("change", () => setKey("dash_array", select.value || undefined));
      controls.dash_array = { select };
      return select;
    }

    function fillCheckbox() {
      const input = P.el("input", { type: "checkbox", id: P.uid("fill") });
      input.addEventListener("change", () => setKey("fill", input.checked));
      controls.fill = input;
      return P.el("div", { className: "umap-panel__field umap-panel__field--inline" }, [
        input,
        P.el("label", { for: input.id, text: option("fill").label }),
      ]);
    }

    // --- markers -----------------------------------------------------------------------------

    function shapeFieldset() {
      const name = P.uid("shape");
      const options = P.el("div", { className: "umap-style__shapes" });
      controls.shapes = [];
      const field = option("marker_shape");
      for (const [shape, shapeLabel] of P.choices(field)) {
        const input = P.el("input", { type: "radio", name, value: shape, id: P.uid("shape") });
        input.addEventListener("change", () => {
          if (input.checked) setKey("marker_shape", shape);
        });
        controls.shapes.push(input);
        options.append(
          P.el("div", { className: "umap-style__shape" }, [
            input,
            P.el("label", { for: input.id }, [
              P.el("span", { className: `umap-style__shape-icon umap-style__shape-icon--${shape}`, "aria-hidden": "true" }),
              P.el("span", { text: shapeLabel }),
            ]),
          ]),
        );
      }
      return P.el("fieldset", { className: "umap-panel__group" }, [
        P.el("legend", { text: field.label }),
        options,
      ]);
    }

    function pictogramField() {
      const max = option("pictogram").max_length || 8;
      const input = P.el("input", { type: "text", autocomplete: "off", spellcheck: "false", className: "umap-style__pictogram" });
      const error = P.el("p", { className: "umap-panel__error", id: P.uid("error"), hidden: true });
      function commit(value) {
        const text = value.trim();
        if (P.charCount(text) > max) {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-errormessage", error.id);
          error.textContent = strings.style_pictogram_too_long;
          error.hidden = false;
          return;
        }
        input.removeAttribute("aria-invalid");
        error.hidden = true;
        setKey("pictogram", text || undefined);
      }
      input.addEventListener("change", () => commit(input.value));
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault(); // never submit Wagtail's form from here
          commit(input.value);
        }
      });
      controls.pictogram = input;
      const suggestions = P.el("div", {
        className: "umap-style__suggestions",
        role: "group",
        "aria-label": strings.style_pictogram_suggestions,
      });
      for (const pictogram of config.pictograms || []) {
        const button = P.el("button", { type: "button", className: "umap-style__suggestion", text: pictogram });
        button.addEventListener("click", () => {
          input.value = pictogram;
          commit(pictogram);
        });
        suggestions.append(button);
      }
      const field = P.field(option("pictogram").label, input, option("pictogram").help);
      field.append(error, suggestions);
      return field;
    }

    /* The library's pictograms (editor/pictogram-picker.js), when the server sends them. */
    function iconPicker() {
      if (!editor.pictogramPicker || !(config.pictogramLibrary || []).length) return null;
      const picker = editor.pictogramPicker({
        label: option("icon").label,
        help: option("icon").help,
        strings,
        library: config.pictogramLibrary,
        choosers: config.choosers,
        iconView: config.pictogramIconView,
        value: () => effective("icon") || "",
        choose: (name) => setKey("icon", name),
      });
      controls.icons = picker;
      return picker.element;
    }

    // --- assembling and refreshing ------------------------------------------------------------

    /* "point", "line", "polygon": what the feature is, or what the layer holds (all three for
     * an empty layer, whose features are still to come). */
    function geometryKinds() {
      const features = isFeature ? [currentFeature()] : ((layer() && layer().features) || []).slice(0, 2000);
      const kinds = new Set();
      for (const feature of features) {
        const type = (feature && feature.geometry && feature.geometry.type) || "";
        if (type.endsWith("Point")) kinds.add("point");
        else if (type.endsWith("LineString")) kinds.add("line");
        else if (type.endsWith("Polygon")) kinds.add("polygon");
      }
      return kinds.size ? kinds : new Set(["point", "line", "polygon"]);
    }

    function build() {
      const heading = P.el("h3", {
        className: "umap-panel__heading",
        text: isFeature ? P.option(state, "feature", "_style").label : P.option(state, "layer", "style").label,
      });
      const parts = [heading];
      if (isFeature) {
        parts.push(P.el("p", { className: "umap-panel__hint", text: strings.style_feature_help }));
        const reset = P.el("button", { type: "button", className: "button button-small button-secondary umap-style__reset", text: strings.style_reset });
        reset.addEventListener("click", resetFeatureStyle);
        controls.reset = reset;
        parts.push(reset);
      }
      const kinds = geometryKinds();
      const lines = P.el("fieldset", { className: "umap-panel__group", "data-umap-style": "lines" }, [
        P.el("legend", { text: strings.style_lines }),
        P.field(option("weight").label, numberInput("weight")),
        P.field(`${option("opacity").label} (%)`, numberInput("opacity", true)),
        P.field(option("dash_array").label, dashSelect()),
      ]);
      const fill = fillCheckbox();
      const fillOpacity = P.field(`${option("fill_opacity").label} (%)`, numberInput("fill_opacity", true));
      if (kinds.has("polygon")) lines.append(fill, fillOpacity);
      const markers = P.el("div", { className: "umap-style__markers", "data-umap-style": "markers" }, [
        shapeFieldset(),
        iconPicker(),
        pictogramField(),
        P.field(option("marker_size").label, numberInput("marker_size"), option("marker_size").help),
      ]);
      // Only what applies to the geometries at hand: a marker has no line, a line no marker.
      lines.hidden = !kinds.has("line") && !kinds.has("polygon");
      markers.hidden = !kinds.has("point");
      parts.push(colourFieldset(), lines, markers);
      let root;
      if (isFeature) {
        // Folded for a feature: most places take their layer's style, and a newcomer meets the
        // name, description and image first. Open when this feature has a style of its own.
        heading.className = "umap-panel__heading umap-style__summary-text";
        const summary = P.el("summary", { className: "umap-style__summary" }, [heading]);
        root = P.el("details", { className: "umap-panel umap-style", "data-umap-panel": "style" }, [summary, ...parts.slice(1)]);
        root.open = Object.keys(ownStyle()).length > 0;
      } else {
        root = P.el("div", { className: "umap-panel umap-style", "data-umap-panel": "style" }, parts);
      }
      container.append(root);
    }

    /* What an empty number field means: the schema's default (or the size markers are drawn
     * at, for a marker without a size of its own). */
    function placeholder(key, percent) {
      const fallback = option(key).default;
      if (typeof fallback === "number") return String(percent ? Math.round(fallback * 100) : fallback);
      if (key === "marker_size") return String(config.markerSizeShown || 32);
      return strings.style_default;
    }

    /* Show the current values without rebuilding (focus stays where it is). */
    function refresh() {
      const own = ownStyle();
      const colour = effective("color");
      for (const input of controls.swatches) {
        input.checked = typeof colour === "string" && input.value.toLowerCase() === colour.toLowerCase();
      }
      const shownColour = colour || (palette[0] && palette[0].value) || "#1f5fa8";
      if (document.activeElement !== controls.custom) controls.custom.value = P.toHex(shownColour);
      if (document.activeElement !== controls.code) {
        controls.code.value = colour || "";
        controls.code.placeholder = shownColour;
        controls.code.removeAttribute("aria-invalid");
      }
      showContrast(shownColour);
      for (const key of ownInputs) {
        const { input, percent } = controls[key];
        if (document.activeElement === input) continue;
        const value = effective(key);
        input.value = typeof value === "number" ? String(percent ? Math.round(value * 100) : value) : "";
        input.placeholder = placeholder(key, percent);
        input.classList.toggle("umap-panel__inherited", isFeature && !(key in own));
      }
      const dash = effective("dash_array") || "";
      const select = controls.dash_array.select;
      if (![...select.options].some((option) => option.value === dash)) {
        select.append(P.el("option", { value: dash, text: dash }));
      }
      select.value = dash;
      controls.fill.checked = effective("fill") !== false;
      const shape = effective("marker_shape") || option("marker_shape").default;
      for (const input of controls.shapes) input.checked = input.value === shape;
      if (document.activeElement !== controls.pictogram) controls.pictogram.value = effective("pictogram") || "";
      if (controls.icons) controls.icons.refresh();
      if (controls.reset) controls.reset.disabled = !Object.keys(own).length;
    }

    build();
    P.statusRegion(container);
    refresh();
    return {
      update: refresh,
      destroy() {
        container.replaceChildren();
      },
    };
  }

  editor.registerPanel("style", stylePanel);
})();
