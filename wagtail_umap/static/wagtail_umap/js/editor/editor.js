/* The map editor's screen: toolbar, layer panel, feature panel, map settings and import.
 *
 * Builds its DOM with text nodes only (names and properties come from imported files); the one
 * piece of HTML, a feature's description, is rebuilt from an allowlist before it is shown.
 * Every edit goes through `state.apply`, which the undo history, the hidden `document` field
 * and the announcements follow.
 */
(function () {
  "use strict";

  const FEATURES_PER_PAGE = 50;
  const UNNAMED_SHOWN = 10;

  // Whether the public map names the feature: its label_key's property or template (uMap's
  // labelKey, as js/viewer/rules.js reads it), else "name"; the viewer numbers the others.
  function featureHasName(feature, labelKey) {
    const properties = (feature && feature.properties) || {};
    const text = (value) => (value === null || value === undefined ? ""
      : typeof value === "object" ? JSON.stringify(value) : String(value)).trim();
    const key = typeof labelKey === "string" ? labelKey : "";
    if (/\{[^{}]+\}/.test(key)) {
      return key.replace(/\{([^{}]+)\}/g, (match, inner) => {
        for (const option of inner.split("|").map((o) => o.trim())) {
          if (/^".*"$/.test(option)) return option.slice(1, -1);
          if (text(properties[option])) return text(properties[option]);
        }
        return "";
      }).trim() !== "";
    }
    return [key, "name"].some((name) => name && text(properties[name]));
  }
  // core/schema/options.py LANGUAGE_PATTERN (a BCP 47 tag, or empty for the page's language).
  const LANGUAGE_TAG = /^(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3})?$/;
  const DRAW_SHAPES = [
    ["Marker", "draw_marker", "added_marker", "+"],
    ["Line", "draw_line", "added_line", "╱"],
    ["Polygon", "draw_polygon", "added_polygon", "⬠"],
  ];
  const RESERVED_PROPERTIES = new Set(["name", "description"]);
  const DESCRIPTION_TAGS = new Set(["P", "BR", "STRONG", "B", "EM", "I", "A", "UL", "OL", "LI"]);

  function format(text, params = {}) {
    return String(text).replace(/%\((\w+)\)s/g, (_, key) => (key in params ? params[key] : ""));
  }

  /* h("button", {class: "x", onclick: fn, "aria-label": "…"}, "text", child…) */
  function h(tag, attrs = {}, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else if (key === "class") element.className = value;
      else if (key === "text") element.textContent = value;
      else if (key in element && typeof value !== "string") element[key] = value;
      else element.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  /* A description's HTML rebuilt with the allowed tags only (the server cleans it again). */
  function safeDescription(html) {
    const source = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html").body;
    const fragment = document.createDocumentFragment();
    const copy = (node, into) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) into.append(child.textContent);
        else if (child.nodeType !== Node.ELEMENT_NODE) continue;
        else if (!DESCRIPTION_TAGS.has(child.tagName)) copy(child, into);
        else {
          const element = document.createElement(child.tagName.toLowerCase());
          const href = child.getAttribute("href") || "";
          if (child.tagName === "A" && /^(https?:|mailto:)/i.test(href)) element.setAttribute("href", href);
          copy(child, element);
          into.append(element);
        }
      }
    };
    copy(source, fragment);
    return fragment;
  }

  function isTyping(target) {
    return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  function newLayerId() {
    const bytes = new Uint8Array(6);
    crypto.getRandomValues(bytes);
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  class Editor {
    constructor(root, input, config) {
      this.root = root;
      this.input = input;
      this.config = config;
      this.strings = config.strings;
      const api = window.wagtailUmapEditor;
      this.state = api.createState(config.document, { dataRefs: config.dataRefs, strings: config.strings, config });
      this.state.readOnly = Boolean(config.readOnly);
      this.currentLayerId = this.state.layers.length ? this.state.layers[0].id : null;
      this.page = 0;
      this.filter = "";
      this.mounted = { feature: [], layer: [], map: [], table: [], goto: [], import: [] };
      this.build();
      this.mapView = api.createMapView(this.state, this.mapElement, config);
      this.mapView.onDrawn = (shape, geometry) => this.addDrawnFeature(shape, geometry);
      this.mapView.onDrawEnd = () => this.updateDrawButtons();
      this.mapView.onAnnounce = (text) => this.announce(text);
      this.mount("goto", "goto", this.gotoBox, { mapView: this.mapView, editor: this });
      this.mount("goto", "address", this.addressBox, { mapView: this.mapView, editor: this });
      if (!this.config.readOnly) this.mount("import", "french-data", this.importHelpers, { editor: this, config: this.config.frenchData });
      this.state.on("change", (detail) => this.onChange(detail));
      this.state.on("select", () => this.onSelect());
      document.addEventListener("keydown", (event) => this.onKeydown(event));
      document.addEventListener("wagtail-umap-editor:panel", () => this.remountPanels());
      this.renderAll();
      root.dataset.umapEditorState = "ready";
      performance.mark("umap-editor-ready");
    }

    t(key, params) {
      return format(this.strings[key] || key, params);
    }

    /* Layout */

    build() {
      const s = (key, params) => this.t(key, params);
      this.root.replaceChildren();
      this.root.setAttribute("role", "region");
      this.root.setAttribute("aria-label", s("region"));
      this.status = h("p", { class: "umap-editor__status", role: "status", "aria-live": "polite" });
      this.undoButton = h("button", { type: "button", class: "button button-small button-secondary", onclick: () => this.undo() }, "↶ ", s("undo"));
      this.redoButton = h("button", { type: "button", class: "button button-small button-secondary", onclick: () => this.redo() }, "↷ ", s("redo"));
      this.drawButtons = DRAW_SHAPES.map(([shape, labelKey, , icon]) =>
        h("button", {
          type: "button",
          class: "button button-small button-secondary umap-editor__draw",
          "data-shape": shape,
          "aria-pressed": "false",
          onclick: () => this.toggleDraw(shape),
        }, h("span", { "aria-hidden": "true" }, icon, " "), s(labelKey)),
      );
      this.fileInput = h("input", {
        type: "file",
        class: "umap-editor__file",
        accept: this.config.extensions.join(","),
        onchange: (event) => event.target.files[0] && this.importFile(event.target.files[0]),
      });
      const importLabel = h("label", { class: "button button-small button-secondary umap-editor__import-button" }, "⇪ ", s("import"), this.fileInput);
      this.fullscreenButton = h("button", {
        type: "button",
        class: "button button-small button-secondary umap-editor__fullscreen-toggle",
        "aria-pressed": "false",
        onclick: () => this.toggleFullscreen(),
      }, s("fullscreen"));
      const toolbar = h("div", { class: "umap-editor__toolbar", role: "toolbar", "aria-label": s("toolbar") },
        ...this.drawButtons, this.undoButton, this.redoButton, importLabel, this.fullscreenButton);
      this.finishButton = h("button", { type: "button", class: "button button-small", onclick: () => this.finishDrawing() }, s("finish_drawing"));
      this.cancelButton = h("button", { type: "button", class: "button button-small button-secondary", onclick: () => this.cancelDrawing() }, s("cancel_drawing"));
      this.drawHelpText = h("span", { text: s("draw_help") });
      this.drawHelp = h("p", { class: "umap-editor__help", hidden: true }, this.drawHelpText, " ", this.finishButton, " ", this.cancelButton);
      const keysId = `${this.input.id}-map-keys`;
      this.mapElement = h("div", { class: "umap-editor__map", tabindex: "0", "aria-label": s("map_label"), "aria-describedby": keysId });
      this.dropOverlay = h("div", { class: "umap-editor__drop", hidden: true }, s("drop_here"));
      const mapBox = h("div", { class: "umap-editor__map-box" }, this.mapElement, this.dropOverlay);
      this.gotoBox = h("div", { class: "umap-editor__plugin umap-editor__goto-box", hidden: true });
      const mapColumn = h("div", { class: "umap-editor__map-column" },
        mapBox, h("p", { class: "umap-editor__help umap-editor__keys", id: keysId, text: s("map_keys") }), this.gotoBox);
      this.setUpDrop(mapBox);
      this.featurePanel = h("section", { class: "umap-editor__panel umap-editor__feature", "aria-label": s("feature") });
      // Where the focus goes when a field of the panel loses it (captured before the field's
      // own blur commits its edit): a click from the description to "Choose an image" must
      // not be lost to a rebuild of the panel under the pointer.
      this.featurePanel.addEventListener("blur", (event) => { this.focusComingTo = event.relatedTarget; }, true);
      this.layerList = h("ol", { class: "umap-editor__layers" });
      this.layerSettings = h("div", { class: "umap-editor__layer-settings" });
      this.featureList = h("div", { class: "umap-editor__features" });
      this.importPanel = this.buildImportPanel();
      this.mapSettings = h("details", { class: "umap-editor__panel umap-editor__map-settings" },
        h("summary", { text: s("map_settings") }));
      this.mapSettingsBody = h("div");
      this.mapSettings.append(this.mapSettingsBody);
      const layersPanel = h("section", { class: "umap-editor__panel", "aria-labelledby": `${this.input.id}-layers-heading` },
        h("div", { class: "umap-editor__panel-head" },
          h("h3", { id: `${this.input.id}-layers-heading`, text: s("layers") }),
          h("span", { class: "umap-editor__panel-buttons" },
            h("button", { type: "button", class: "button button-small", onclick: () => this.addLayer() }, "+ ", s("add_layer")),
            window.wagtailUmapEditor.groups ? h("button", {
              type: "button", class: "button button-small button-secondary", "data-focus-key": "add-group", onclick: () => this.addGroup(null),
            }, "+ ", s("groups_add")) : null)),
        this.layerList, this.featureList, this.layerSettings);
      const side = h("div", { class: "umap-editor__side" }, this.featurePanel, layersPanel, this.mapSettings, this.importPanel);
      this.tableRegion = h("section", { class: "umap-editor__table", hidden: true, "aria-label": s("table") });
      this.tableRegion.addEventListener("keydown", (event) => {
        if (event.key !== "Escape" || event.defaultPrevented) return;
        event.preventDefault();
        this.closeTable();
      });
      if (this.config.readOnly) {
        // Locked by someone else: look, select and list, but no tool that edits.
        for (const control of toolbar.querySelectorAll("button, input")) control.disabled = true;
        this.root.classList.add("is-read-only");
      }
      if (this.config.readOnly) this.root.append(h("p", { class: "help-block help-warning", text: s("read_only") }));
      // The toolbar's address search (address-search.js): beside the tools, not among them.
      this.addressBox = h("div", { class: "umap-editor__plugin umap-editor__address-box", hidden: true });
      this.root.append(
        h("div", { class: "umap-editor__topbar" }, toolbar, this.addressBox), this.drawHelp, this.status,
        h("div", { class: "umap-editor__body" }, mapColumn, side),
        this.tableRegion,
      );
    }

    buildImportPanel() {
      const s = (key, params) => this.t(key, params);
      this.importInto = h("select", { class: "umap-editor__import-into" });
      const mode = (value, key) => h("label", { class: "umap-editor__inline" },
        h("input", { type: "radio", name: `${this.input.id}-import-mode`, value, checked: value === "add" }), " ", s(key));
      this.importErrors = h("div", { class: "umap-editor__errors", role: "alert" });
      this.importHelpers = h("div", { class: "umap-editor__plugin", hidden: true }); // french-data-panel.js
      return h("details", { class: "umap-editor__panel umap-editor__import" },
        h("summary", { text: s("import") }),
        h("p", { class: "help", text: s("import_help") }),
        h("label", { class: "umap-editor__field" }, s("import_into"), this.importInto),
        h("fieldset", {}, h("legend", { text: s("import_mode") }), mode("add", "import_add"), mode("replace", "import_replace")),
        this.importHelpers, this.importErrors);
    }

    /* Rendering */

    renderAll() {
      this.renderLayers();
      this.renderLayerSettings();
      this.renderFeatureList();
      this.renderFeaturePanel();
      this.renderMapSettings();
      this.renderImportTargets();
      this.updateUndoButtons();
    }

    /* Re-render a part, keeping keyboard focus on the "same" control. */
    keepingFocus(render) {
      const active = document.activeElement;
      const key = active && this.root.contains(active) ? active.dataset.focusKey : null;
      render();
      if (key) {
        const again = this.root.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
        if (again) again.focus();
      }
    }

    renderLayers() {
      const layers = this.state.layers;
      if (!this.state.layer(this.currentLayerId)) this.currentLayerId = layers.length ? layers[0].id : null;
      // Groups of layers (js/editor/groups.js): the list is their tree; flat without groups.
      const groups = window.wagtailUmapEditor.groups;
      const roots = groups ? groups.tree(this.state.doc) : layers.map((layer) => ({ kind: "layer", id: layer.id, layer }));
      const build = (nodes) => nodes.map((node, index) => (node.kind === "group"
        ? this.groupItem(node, index === 0, index === nodes.length - 1, build)
        : this.layerItem(node.layer, index === 0, index === nodes.length - 1)));
      this.keepingFocus(() => {
        this.layerList.replaceChildren(...build(roots));
      });
    }

    layerItem(layer, first, last) {
      const s = (key, params) => this.t(key, params);
      const name = layer.name;
      const visible = !this.mapView || !this.mapView.hidden.has(layer.id);
      const current = layer.id === this.currentLayerId;
      const item = h("li", {
        class: `umap-editor__layer${current ? " is-current" : ""}`,
        draggable: "true",
        "data-layer-id": layer.id,
      },
      h("span", { class: "umap-editor__drag", "aria-hidden": "true", title: s("layer_drag", { name }) }, "⠿"),
      h("button", {
        type: "button",
        class: "umap-editor__layer-pick",
        "aria-pressed": current ? "true" : "false",
        "data-focus-key": `pick-${layer.id}`,
        title: s("layer_active"),
        onclick: () => this.setCurrentLayer(layer.id),
      }, h("span", { class: "umap-editor__layer-name", text: name }), " ",
      h("span", { class: "umap-editor__count", text: `(${layer.features.length})` })),
      h("span", { class: "umap-editor__layer-buttons" },
        this.iconButton("↑", s("layer_up", { name }), () => this.moveLayer(layer.id, -1), `up-${layer.id}`, first),
        this.iconButton("↓", s("layer_down", { name }), () => this.moveLayer(layer.id, 1), `down-${layer.id}`, last),
        this.iconButton(visible ? "◉" : "◌", s(visible ? "layer_hide" : "layer_show", { name }), () => this.toggleVisible(layer.id), `eye-${layer.id}`, false, visible),
        this.iconButton("▦", s("layer_table", { name }), () => this.openTable(layer.id), `table-${layer.id}`),
        this.iconButton("✕", s("layer_delete", { name }), () => this.deleteLayer(layer.id), `delete-${layer.id}`)));
      this.makeDraggable(item);
      return item;
    }

    iconButton(icon, label, onclick, focusKey, disabled = false, pressed = null) {
      return h("button", {
        type: "button",
        class: "umap-editor__icon",
        "aria-label": label,
        title: label,
        "data-focus-key": focusKey,
        "aria-pressed": pressed === null ? null : String(pressed),
        disabled,
        onclick,
      }, h("span", { "aria-hidden": "true", class: "umap-editor__glyph", "data-icon": icon }));
    }

    renderLayerSettings() {
      const s = (key, params) => this.t(key, params);
      this.unmount("layer");
      const layer = this.state.layer(this.currentLayerId);
      if (!layer) {
        this.layerSettings.replaceChildren();
        return;
      }
      const id = `${this.input.id}-layer`;
      const textField = (key, label, value, multiline, labelKey) => {
        const control = h(multiline ? "textarea" : "input", {
          id: `${id}-${key}`,
          class: "umap-editor__input",
          "data-focus-key": `layer-${key}`,
          rows: multiline ? "2" : null,
          onchange: (event) => this.editLayer(layer.id, s(labelKey), (l) => { l[key] = event.target.value; }),
        });
        control.value = value || "";
        return h("div", { class: "umap-editor__field" }, h("label", { for: control.id, text: label }), control);
      };
      const shown = h("input", {
        type: "checkbox",
        checked: layer.shown_on_load !== false,
        "data-focus-key": "layer-shown",
        onchange: (event) => this.editLayer(layer.id, s("toggled_layer"), (l) => { l.shown_on_load = event.target.checked; }),
      });
      const popupHelp = h("p", { class: "help", id: `${id}-popup-help`, text: s("layer_popup_help") });
      const popup = textField("popup_template", s("layer_popup_template"), layer.popup_template, true, "edited_layer");
      popup.querySelector("textarea").setAttribute("aria-describedby", popupHelp.id);
      popup.append(popupHelp);
      // Which property names the features (uMap's labelKey): a property or a {template}.
      const labelKeyHelp = h("p", { class: "help", id: `${id}-label_key-help`, text: s("layer_label_key_help") });
      const labelKey = h("input", {
        id: `${id}-label_key`,
        class: "umap-editor__input",
        list: `${id}-label_key-fields`,
        autocomplete: "off",
        "aria-describedby": labelKeyHelp.id,
        "data-focus-key": "layer-label_key",
        onchange: (event) => this.editLayer(layer.id, s("edited_layer"), (l) => {
          const value = event.target.value.trim();
          if (value) l.label_key = value;
          else delete l.label_key; // the default (name): a document without the key
        }),
      });
      labelKey.value = layer.label_key || "";
      const propertyNames = new Set();
      for (const feature of layer.features.slice(0, 500)) {
        for (const key of Object.keys(feature.properties || {})) if (!key.startsWith("_")) propertyNames.add(key);
      }
      const labelKeyField = h("div", { class: "umap-editor__field" },
        h("label", { for: labelKey.id, text: s("layer_label_key") }), labelKey, labelKeyHelp,
        h("datalist", { id: `${id}-label_key-fields` }, ...[...propertyNames].map((name) => h("option", { value: name }))));
      const language = this.languageField(layer, id);
      this.layerStyle = h("div", { class: "umap-editor__plugin", hidden: true });
      this.layerData = h("div", { class: "umap-editor__plugin", hidden: true });
      this.layerRemote = h("div", { class: "umap-editor__plugin", hidden: true });
      this.layerTools = h("div", { class: "umap-editor__plugin", hidden: true });
      this.layerSettings.replaceChildren(h("details", { class: "umap-editor__layer-details", open: this.layerDetailsOpen },
        h("summary", { text: s("layer_settings", { name: layer.name }), ontoggle: null }),
        textField("name", s("layer_name"), layer.name, false, "renamed_layer"),
        this.layerGroupField(layer, id),
        h("label", { class: "umap-editor__inline" }, shown, " ", s("layer_shown_on_load")),
        textField("description", s("layer_description"), layer.description, true, "edited_layer"),
        popup, labelKeyField, language, this.layerStyle, this.layerData, this.layerRemote, this.layerTools));
      const details = this.layerSettings.firstChild;
      details.addEventListener("toggle", () => { this.layerDetailsOpen = details.open; });
      this.mount("layer", "style", this.layerStyle, { target: "layer", layerId: layer.id });
      this.mount("layer", "data", this.layerData, { target: "layer", layerId: layer.id });
      this.mount("layer", "remote", this.layerRemote, { layerId: layer.id, remote: this.config.remote, announce: (text) => this.announce(text) });
      this.mount("layer", "tools", this.layerTools, { target: "layer", layerId: layer.id, mapView: this.mapView, editor: this });
    }

    // Features without a name (RGAA 1.3): the public map and its list announce them as
    // "Élément sans nom n° N", which tells a citizen nothing. Listed here, each a button that
    // selects it, so that the editor can name it (or choose the property that names them).
    unnamedWarning(layer) {
      const s = (key, params) => this.t(key, params);
      const unnamed = this.unnamedOf(layer);
      if (!unnamed.size) return [];
      // The first ones in the layer's order, with their numbers.
      const shown = [];
      for (let index = 0; index < layer.features.length && shown.length < UNNAMED_SHOWN; index += 1) {
        if (unnamed.has(layer.features[index])) shown.push([layer.features[index], index]);
      }
      return [h("div", { class: "help-block help-warning umap-editor__unnamed", "data-umap-unnamed": String(unnamed.size) },
        h("p", { text: s("unnamed_warning", { count: unnamed.size }) }),
        h("ul", {}, ...shown.map(([feature, index]) => h("li", {}, h("button", {
          type: "button",
          class: "button button-small button-secondary",
          "data-focus-key": `unnamed-${index}`,
          onclick: () => { this.state.select(feature); this.mapView.focusFeature(feature); },
        }, s("unnamed_item", { number: index + 1, geometry: s(`geometry_${feature.geometry && feature.geometry.type}`) }))))),
        ...(unnamed.size > shown.length ? [h("p", { text: s("unnamed_more", { count: unnamed.size - shown.length }) })] : []))];
    }

    /* The layer's features without a name, as a Set kept from one edit to the next: an edit of
     * some features only looks at those (a rename in 35,000 polygons does not scan them all). */
    unnamedOf(layer) {
      const cache = this.unnamedCache;
      const version = this.state.layerVersion(layer.id);
      if (cache && cache.layerId === layer.id && cache.labelKey === layer.label_key && cache.version === version) return cache.features;
      const features = new Set();
      for (const feature of layer.features) if (!featureHasName(feature, layer.label_key)) features.add(feature);
      this.unnamedCache = { layerId: layer.id, labelKey: layer.label_key, version, features };
      return features;
    }

    /* After an edit of `features` alone (names may have changed, not the list). */
    updateUnnamed(features) {
      const cache = this.unnamedCache;
      const layer = cache && this.state.layer(cache.layerId);
      if (!layer || layer.label_key !== cache.labelKey) return;
      for (const feature of features) {
        if (this.state.layerOf(feature) !== layer) return; // not this layer's: scan again
        if (featureHasName(feature, layer.label_key)) cache.features.delete(feature);
        else cache.features.add(feature);
      }
      cache.version = this.state.layerVersion(layer.id);
    }

    // "Language of the data" (RGAA 8.7): a language tag set as lang where the public map shows
    // the layer's values; empty for the page's language. A tag the server would refuse is
    // marked invalid and not kept.
    languageField(layer, id) {
      const s = (key, params) => this.t(key, params);
      const help = h("p", { class: "help", id: `${id}-language-help`, text: s("layer_language_help") });
      const error = h("p", { class: "error-message", id: `${id}-language-error`, role: "alert", hidden: true, text: s("layer_language_invalid") });
      const input = h("input", {
        id: `${id}-language`,
        class: "umap-editor__input",
        "data-focus-key": "layer-language",
        autocomplete: "off",
        spellcheck: "false",
        size: "12",
        "aria-describedby": `${help.id} ${error.id}`,
        onchange: (event) => {
          const value = event.target.value.trim();
          const valid = LANGUAGE_TAG.test(value);
          event.target.setAttribute("aria-invalid", valid ? "false" : "true");
          error.hidden = valid;
          if (!valid) return;
          this.editLayer(layer.id, s("edited_layer"), (l) => {
            if (value) l.language = value; else delete l.language;
          });
        },
      });
      input.value = layer.language || "";
      return h("div", { class: "umap-editor__field" },
        h("label", { for: input.id, text: s("layer_language") }), input, help, error);
    }

    /* After a rename of one feature, its row of the list, where it is: false when the list must
     * be built again (a filter on, the unnamed features' warning changed). */
    updateFeatureRows(features) {
      const layer = this.state.layer(this.currentLayerId);
      if (!layer || features.length !== 1 || this.filter.trim() || this.state.layerOf(features[0]) !== layer) return false;
      const warning = this.featureList.querySelector("[data-umap-unnamed]");
      if ((warning ? Number(warning.dataset.umapUnnamed) : 0) !== this.unnamedOf(layer).size) return false;
      const feature = features[0];
      const row = this.featureList.querySelector(`[data-focus-key="${CSS.escape(`feature-${this.state.featureId(feature)}`)}"]`);
      if (!row) return true; // not on this page
      const [nameText, geometryText] = row.querySelectorAll("span");
      const name = this.state.featureName(feature, layer);
      // Only what changed: a text set to itself is still a new text node to lay out.
      const setText = (element, text) => { if (element.textContent !== text) element.textContent = text; };
      setText(nameText, name ? String(name) : this.t("unnamed"));
      setText(geometryText, this.t(`geometry_${feature.geometry && feature.geometry.type}`));
      return true;
    }

    /* Run `work` once the browser is idle; asked again under the same `key` before then, once. */
    whenIdle(key, work) {
      this.idleWork = this.idleWork || new Map();
      const pending = this.idleWork.size > 0;
      this.idleWork.set(key, work);
      if (pending) return;
      const run = () => {
        const tasks = [...this.idleWork.values()];
        this.idleWork.clear();
        for (const task of tasks) task();
      };
      if (window.requestIdleCallback) window.requestIdleCallback(run, { timeout: 300 });
      else setTimeout(run, 50);
    }

    renderFeatureList() {
      const s = (key, params) => this.t(key, params);
      const layer = this.state.layer(this.currentLayerId);
      if (!layer) {
        this.featureList.replaceChildren();
        return;
      }
      const filter = this.filter.trim().toLowerCase();
      const matches = filter
        ? layer.features.filter((f) => this.state.featureName(f, layer).toLowerCase().includes(filter))
        : layer.features;
      const pages = Math.max(1, Math.ceil(matches.length / FEATURES_PER_PAGE));
      this.page = Math.min(this.page, pages - 1);
      const start = this.page * FEATURES_PER_PAGE;
      const shown = matches.slice(start, start + FEATURES_PER_PAGE);
      const selected = this.state.selection && this.state.selection.feature;
      const listId = `${this.input.id}-features`;
      this.keepingFocus(() => {
        const filterInput = h("input", {
          type: "search",
          class: "umap-editor__input",
          id: `${listId}-filter`,
          placeholder: s("features_filter"),
          "data-focus-key": "feature-filter",
          oninput: (event) => { this.filter = event.target.value; this.page = 0; this.renderFeatureList(); },
        });
        filterInput.value = this.filter;
        this.featureList.replaceChildren(
          h("h4", { id: `${listId}-heading`, text: s("features", { name: layer.name }) }),
          ...this.unnamedWarning(layer),
          h("label", { for: filterInput.id, class: "umap-editor__sr", text: s("features_filter") }),
          filterInput,
          h("ul", { class: "umap-editor__feature-list", "aria-labelledby": `${listId}-heading` },
            ...shown.map((feature) => {
              const name = this.state.featureName(feature, layer);
              const id = this.state.featureId(feature);
              return h("li", {}, h("button", {
                type: "button",
                class: "umap-editor__feature-item",
                "data-focus-key": `feature-${id}`,
                "aria-current": feature === selected ? "true" : null,
                onclick: () => { this.state.select(feature); this.mapView.focusFeature(feature); },
              }, h("span", { text: name ? String(name) : s("unnamed") }), " ",
              h("span", { class: "umap-editor__geometry", text: s(`geometry_${feature.geometry && feature.geometry.type}`) })));
            })),
          ...(pages <= 1 ? [] : [h("p", { class: "umap-editor__pager" },
            this.iconButton("‹", s("page_prev"), () => { this.page -= 1; this.renderFeatureList(); }, "page-prev", this.page === 0),
            h("span", { text: s("page_of", { from: start + 1, to: start + shown.length, count: matches.length }) }),
            this.iconButton("›", s("page_next"), () => { this.page += 1; this.renderFeatureList(); }, "page-next", this.page >= pages - 1))]),
        );
      });
    }

    renderFeaturePanel() {
      const s = (key, params) => this.t(key, params);
      this.unmount("feature");
      const selection = this.state.selection;
      this.featurePanelEmpty = !selection;
      if (!selection) {
        this.featurePanel.replaceChildren(h("h3", { text: s("feature") }), h("p", { class: "help", text: s("feature_none") }));
        return;
      }
      const { feature } = selection;
      const layer = this.state.layerOf(feature);
      const properties = feature.properties || {};
      const id = `${this.input.id}-feature`;
      const name = h("input", {
        id: `${id}-name`,
        class: "umap-editor__input",
        "data-focus-key": "feature-name",
        onchange: (event) => this.editFeature(feature, s("renamed_feature"), (p) => {
          const key = this.state.nameKey(this.state.layerOf(feature)); // label_key, or name
          if (event.target.value) p[key] = event.target.value;
          else delete p[key];
        }),
      });
      name.value = properties[this.state.nameKey(layer)] || "";
      const moveTo = h("select", {
        id: `${id}-layer`,
        class: "umap-editor__input",
        "data-focus-key": "feature-layer",
        onchange: (event) => this.moveFeature(feature, event.target.value),
      }, ...this.state.layers.map((l) => h("option", { value: l.id, selected: l === layer, text: l.name })));
      this.featurePosition = h("div", { class: "umap-editor__plugin", hidden: true });
      this.featureStyle = h("div", { class: "umap-editor__plugin", hidden: true });
      this.featureMedia = h("div", { class: "umap-editor__plugin", hidden: true });
      this.featureTools = h("div", { class: "umap-editor__plugin", hidden: true });
      this.featurePanel.replaceChildren(
        h("div", { class: "umap-editor__panel-head" },
          h("h3", { text: s("feature") }),
          this.iconButton("✕", s("feature_close"), () => this.state.select(null), "feature-close")),
        // What a newcomer fills in first: name, description, image; then the rest.
        h("div", { class: "umap-editor__field" }, h("label", { for: name.id, text: s("feature_name") }), name),
        this.descriptionEditor(feature, `${id}-description`),
        this.featureMedia,
        h("div", { class: "umap-editor__field" }, h("label", { for: moveTo.id, text: s("feature_layer") }), moveTo),
        this.featurePosition,
        this.propertiesEditor(feature),
        this.featureStyle,
        this.featureTools,
        h("p", { class: "umap-editor__actions" },
          h("button", { type: "button", class: "button button-small button-secondary", onclick: () => this.mapView.focusFeature(feature) }, s("feature_zoom")),
          h("button", { type: "button", class: "button button-small no", "data-focus-key": "feature-delete", onclick: () => this.deleteFeature(feature) }, s("feature_delete"))),
      );
      this.mount("feature", "position", this.featurePosition, { layerId: layer.id, feature, mapView: this.mapView });
      this.mount("feature", "style", this.featureStyle, { target: "feature", layerId: layer.id, feature });
      this.mount("feature", "media", this.featureMedia, { layerId: layer.id, feature });
      this.mount("feature", "tools", this.featureTools, { target: "feature", layerId: layer.id, feature, mapView: this.mapView, editor: this });
    }

    descriptionEditor(feature, id) {
      const s = (key) => this.t(key);
      const area = h("div", {
        id,
        class: "umap-editor__rich",
        contenteditable: "true",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": `${id}-label`,
        "data-focus-key": "feature-description",
      });
      area.append(safeDescription((feature.properties || {}).description));
      const initial = area.innerHTML;
      area.addEventListener("blur", () => {
        if (area.innerHTML === initial) return;
        const html = area.textContent.trim() ? area.innerHTML : "";
        this.editFeature(feature, s("edited_description"), (p) => {
          if (html) p.description = html;
          else delete p.description;
        });
      });
      const command = (name, value) => () => { area.focus(); document.execCommand(name, false, value); };
      const button = (icon, key, action) => h("button", {
        type: "button", class: "umap-editor__icon", "aria-label": s(key), title: s(key),
        onmousedown: (event) => event.preventDefault(), onclick: action,
      }, h("span", { "aria-hidden": "true", class: "umap-editor__glyph", "data-icon": icon }));
      const link = () => {
        const url = window.prompt(s("link_prompt"), "https://");
        if (url && /^(https?:|mailto:)/i.test(url)) command("createLink", url)();
      };
      return h("div", { class: "umap-editor__field" },
        h("span", { id: `${id}-label`, class: "umap-editor__label", text: s("feature_description") }),
        h("div", { class: "umap-editor__rich-toolbar", role: "toolbar", "aria-label": s("feature_description") },
          button("B", "bold", command("bold")),
          button("I", "italic", command("italic")),
          button("↗", "link", link),
          button("•", "bullet_list", command("insertUnorderedList")),
          button("1.", "numbered_list", command("insertOrderedList"))),
        area);
    }

    propertiesEditor(feature) {
      const s = (key, params) => this.t(key, params);
      const properties = feature.properties || {};
      const keys = Object.keys(properties).filter((key) => !key.startsWith("_") && !RESERVED_PROPERTIES.has(key));
      const valueText = (value) => (typeof value === "string" ? value : JSON.stringify(value));
      const rows = keys.map((key) => {
        const input = h("input", {
          class: "umap-editor__input",
          "aria-label": `${s("property_value")}: ${key}`,
          "data-focus-key": `prop-${key}`,
          onchange: (event) => this.editFeature(feature, s("edited_property"), (p) => { p[key] = event.target.value; }),
        });
        input.value = valueText(properties[key]);
        return h("tr", {}, h("th", { scope: "row", text: key }), h("td", {}, input),
          h("td", {}, this.iconButton("✕", s("property_remove", { key }), () => this.editFeature(feature, s("edited_property"), (p) => { delete p[key]; }), `prop-remove-${key}`)));
      });
      const newKey = h("input", { class: "umap-editor__input", "aria-label": s("property_key"), placeholder: s("property_key"), "data-focus-key": "prop-new-key" });
      const newValue = h("input", { class: "umap-editor__input", "aria-label": s("property_value"), placeholder: s("property_value") });
      const add = () => {
        const key = newKey.value.trim();
        if (!key || key.startsWith("_") || RESERVED_PROPERTIES.has(key)) return newKey.focus();
        this.editFeature(feature, s("edited_property"), (p) => { p[key] = newValue.value; });
      };
      return h("details", { class: "umap-editor__properties", open: keys.length > 0 },
        h("summary", { text: s("feature_properties") }),
        h("table", {}, h("tbody", {}, ...rows,
          h("tr", {}, h("td", {}, newKey), h("td", {}, newValue),
            h("td", {}, this.iconButton("+", s("property_add"), add, "prop-add"))))));
    }

    renderMapSettings() {
      const s = (key, params) => this.t(key, params);
      this.unmount("map");
      const options = this.state.doc.options;
      const groupName = `${this.input.id}-basemap`;
      const center = this.mapView ? this.mapView.map.getCenter() : L.latLng(46.6, 2.4);
      const basemaps = h("fieldset", { class: "umap-editor__basemaps" }, h("legend", { text: s("basemap") }),
        ...this.config.basemaps.map((basemap) => h("label", { class: "umap-editor__basemap" },
          h("input", {
            type: "radio", name: groupName, value: basemap.id,
            checked: (options.basemap || this.config.defaultBasemap) === basemap.id,
            onchange: () => this.setOption(s("changed_basemap"), "basemap", basemap.id),
          }),
          h("img", {
            src: this.thumbnail(basemap, center), alt: "", width: "64", height: "64", loading: "lazy",
            referrerpolicy: basemap.referrer_policy, class: basemap.grey ? "umap-editor__tiles--grey" : null,
          }),
          h("span", { text: basemap.label }))));
      const view = options.center && options.zoom !== null && options.zoom !== undefined
        ? s("default_view", { lat: options.center.lat.toFixed(4), lng: options.center.lng.toFixed(4), zoom: options.zoom })
        : s("default_view_fit");
      const controls = h("fieldset", { class: "umap-editor__controls" }, h("legend", { text: s("controls") }),
        ...this.config.controls.map((name) => h("label", { class: "umap-editor__inline" },
          h("input", {
            type: "checkbox",
            checked: Boolean((options.controls || {})[name]),
            "data-focus-key": `control-${name}`,
            onchange: (event) => this.setOption(s("changed_controls"), "controls", { ...(options.controls || {}), [name]: event.target.checked }),
          }), " ", s(`control_${name}`))));
      // The initial view (uMap's defaultView): its choices and labels are the schema's.
      const viewField = ((this.config.panels || {}).fields || {}).map || {};
      const viewChoice = viewField.default_view || { choices: [], default: "center" };
      const viewSelect = h("select", {
        id: `${this.input.id}-default-view`,
        class: "umap-editor__input",
        "data-focus-key": "default-view",
        onchange: (event) => this.state.apply(s("changed_view"), (doc) => {
          if (event.target.value === viewChoice.default) delete doc.options.default_view;
          else doc.options.default_view = event.target.value;
        }, { options: true }),
      }, ...viewChoice.choices.map((choice) => h("option", { value: choice.value, text: choice.label })));
      viewSelect.value = options.default_view || viewChoice.default;
      const viewChoiceField = h("div", { class: "umap-editor__field" },
        h("label", { for: viewSelect.id, text: s("default_view_choice") }), viewSelect);
      this.mapData = h("div", { class: "umap-editor__plugin", hidden: true });
      this.mapBasemaps = h("div", { class: "umap-editor__plugin", hidden: true });
      this.mapTools = h("div", { class: "umap-editor__plugin", hidden: true });
      this.keepingFocus(() => {
        this.mapSettingsBody.replaceChildren(
          basemaps,
          viewChoiceField,
          h("p", { class: "umap-editor__view", text: view }),
          h("p", { class: "umap-editor__actions" },
            h("button", { type: "button", class: "button button-small button-secondary", "data-focus-key": "use-view", onclick: () => this.useCurrentView() }, s("use_current_view")),
            h("button", { type: "button", class: "button button-small button-secondary", "data-focus-key": "fit-view", onclick: () => this.fitToData() }, s("fit_to_data"))),
          this.mapBasemaps, controls, this.mapData, this.mapTools);
      });
      // Basemaps visitors may choose, overlays, limits (basemaps-panel.js).
      this.mount("map", "basemaps", this.mapBasemaps, {
        target: "map", basemaps: this.config.basemaps, overlays: this.config.overlays || [],
        defaultBasemap: this.config.defaultBasemap, map: this.mapView ? this.mapView.map : null,
      });
      this.mount("map", "data", this.mapData, { target: "map" });
      this.mount("map", "tools", this.mapTools, { target: "map", editor: this });
    }

    thumbnail(basemap, center) {
      const zoom = 6;
      const n = 2 ** zoom;
      const x = Math.floor(((center.lng + 180) / 360) * n);
      const lat = (center.lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n);
      const sub = (basemap.subdomains || "abc")[0] || "a";
      return L.Util.template(basemap.url, { x, y, z: zoom, s: sub, r: "" });
    }

    renderImportTargets() {
      const s = (key, params) => this.t(key, params);
      const chosen = this.importInto.value;
      this.importInto.replaceChildren(
        h("option", { value: "", text: s("import_new_layer") }),
        ...this.state.layers.map((layer) => h("option", { value: layer.id, text: layer.name })));
      if (this.state.layer(chosen)) this.importInto.value = chosen;
    }

    updateUndoButtons() {
      const undo = this.state.lastLabel("undo");
      const redo = this.state.lastLabel("redo");
      const label = (button, text, fallback, key) => {
        button.disabled = this.config.readOnly || !text;
        const full = text ? this.t(key, { action: text }) : this.t(fallback);
        button.setAttribute("aria-label", full);
        button.title = `${full} (${key === "undo_label" ? "Ctrl+Z" : "Ctrl+Shift+Z"})`;
      };
      label(this.undoButton, undo, "nothing_to_undo", "undo_label");
      label(this.redoButton, redo, "nothing_to_redo", "redo_label");
    }

    updateDrawButtons() {
      const drawing = this.mapView.drawing;
      for (const button of this.drawButtons) button.setAttribute("aria-pressed", String(button.dataset.shape === drawing));
      this.drawHelp.hidden = !drawing;
      this.finishButton.hidden = drawing === "Marker";
      if (drawing) this.drawHelpText.textContent = this.t(drawing === "Marker" ? "draw_help_marker" : "draw_help");
      for (const handle of this.mounted.goto) if (handle.update) handle.update();
    }

    finishDrawing() {
      const shape = this.mapView.drawing;
      const draw = shape && this.mapView.map.pm.Draw[shape];
      if (draw && draw._finishShape) draw._finishShape();
      if (this.mapView.drawing && shape !== "Marker") {
        this.announce(this.t("vertex_not_added", { count: shape === "Polygon" ? 3 : 2 }));
      }
      // Finished, the new feature's name field has the focus; else the map keeps it.
      if (this.mapView.drawing || !this.state.selection) this.mapElement.focus();
    }

    /* The marker tool stays on after a place (map-view's `keep`): the place just added is
     * selected meanwhile, its handle kept out of the tab order while the tool is on. Once the
     * tool is off, the handle is drawn again, reachable. */
    handlesBack() {
      if (this.state.selection) this.mapView.onSelect(this.state.selection);
    }

    cancelDrawing() {
      const was = this.mapView.drawing;
      this.mapView.stopDraw();
      this.handlesBack();
      this.updateDrawButtons();
      if (was) this.announce(this.t("draw_cancelled"));
      this.mapElement.focus();
    }

    /* Plug-in panels */

    mount(group, name, container, context) {
      const handle = window.wagtailUmapEditor.mountPanel(name, this.state, container, context);
      if (handle) this.mounted[group].push(handle);
    }

    unmount(group) {
      for (const handle of this.mounted[group]) if (handle.destroy) handle.destroy();
      this.mounted[group] = [];
    }

    /* `groups`: which of the mounted panels (all by default). */
    updatePanels(groups = Object.keys(this.mounted)) {
      for (const group of groups) {
        for (const handle of this.mounted[group] || []) if (handle.update) handle.update();
      }
    }

    remountPanels() {
      this.renderLayerSettings();
      this.renderFeaturePanel();
      this.renderMapSettings();
      if (!this.tableRegion.hidden) this.openTable(this.tableLayerId);
    }

    /* Events from the state */

    /* The hidden field Wagtail's form posts; save.js replaces this (changed layers sent first). */
    writeDocument() {
      this.input.value = this.state.serialize();
      this.input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    onChange(detail) {
      if (detail.scope && detail.scope.features && !detail.scope.layers && !detail.scope.options) this.updateUnnamed(detail.scope.features);
      this.writeDocument();
      const structural = detail.source !== "edit" || !detail.scope || detail.scope.layers || detail.scope.options;
      if (!structural) {
        // An edit of features (a rename, a style): the next frame shows their rows, the feature
        // panel and its plug-ins (tools, style). The status line, the undo buttons, the layer
        // list and the layer's and map's panels follow once the browser is idle: any change
        // the edit's frame shows costs it a paint and commit of the whole admin page.
        if (!this.updateFeatureRows(detail.scope.features)) this.renderFeatureList();
        this.refreshFeaturePanel();
        this.updatePanels(["feature"]);
        this.whenIdle("undo-buttons", () => this.updateUndoButtons());
        this.whenIdle("announce", () => this.announce(detail.label));
        this.whenIdle("lists", () => {
          this.renderLayers();
          this.updatePanels(Object.keys(this.mounted).filter((group) => group !== "feature"));
        });
        return;
      }
      this.renderLayers();
      this.renderFeatureList();
      this.renderImportTargets();
      if (structural) {
        this.renderLayerSettingsIfNeeded(detail);
        this.renderMapSettings();
        if (detail.source !== "edit") this.renderFeaturePanel();
        else this.refreshFeaturePanel();
      } else {
        this.refreshFeaturePanel();
      }
      this.updatePanels();
      this.updateUndoButtons();
      if (detail.source === "undo") this.announce(this.t("undone", { action: detail.label }));
      else if (detail.source === "redo") this.announce(this.t("redone", { action: detail.label }));
      else this.announce(detail.label);
      if (this.tableLayerId && !this.state.layer(this.tableLayerId)) this.closeTable();
    }

    renderLayerSettingsIfNeeded(detail) {
      // Typing in a layer field must not rebuild the field under the cursor.
      const inside = this.layerSettings.contains(document.activeElement);
      if (detail.source !== "edit" || !inside || !this.state.layer(this.currentLayerId)) this.renderLayerSettings();
      else if (this.layerSettings.querySelector("summary")) {
        this.layerSettings.querySelector("summary").textContent = this.t("layer_settings", { name: this.state.layer(this.currentLayerId).name });
      }
    }

    refreshFeaturePanel() {
      const selection = this.state.selection;
      const active = document.activeElement;
      const staying = this.featurePanel.contains(active)
        || ((!active || active === document.body) && this.featurePanel.contains(this.focusComingTo));
      // Nothing selected and the panel already says so: the same two lines built again would
      // cost the next frame a style and layout of the page around them (and Wagtail's form
      // rules on :has()), for nothing new.
      if (!selection && this.featurePanelEmpty) return;
      if (!selection || !staying) {
        this.keepingFocus(() => this.renderFeaturePanel());
      }
    }

    onSelect() {
      const selection = this.state.selection;
      if (selection && selection.layerId !== this.currentLayerId) {
        this.currentLayerId = selection.layerId;
        this.renderLayers();
        this.renderLayerSettings();
      }
      if (selection) {
        const layer = this.state.layer(selection.layerId);
        const index = layer.features.indexOf(selection.feature);
        if (!this.filter) this.page = Math.floor(index / FEATURES_PER_PAGE);
        const name = this.state.featureName(selection.feature) || this.t("unnamed");
        this.announce(this.t("selected", { name }));
      }
      this.renderFeatureList();
      this.renderFeaturePanel();
    }

    announce(text) {
      if (this.idleWork) this.idleWork.delete("announce"); // an earlier edit's, now out of date
      this.status.textContent = text;
    }

    /* Edits */

    editFeature(feature, label, change) {
      this.state.apply(label, () => {
        feature.properties = feature.properties || {};
        change(feature.properties);
      }, { features: [feature] });
    }

    editLayer(id, label, change) {
      this.state.apply(label, () => change(this.state.layer(id)), { layers: [id] });
    }

    setOption(label, key, value) {
      this.state.apply(label, (doc) => { doc.options[key] = value; }, { options: true });
      if (key === "basemap") this.mapView.setBasemap(value);
    }

    useCurrentView() {
      const center = this.mapView.map.getCenter();
      const round = (value) => Math.round(value * 1e6) / 1e6;
      this.state.apply(this.t("changed_view"), (doc) => {
        doc.options.center = { lat: round(center.lat), lng: round(L.Util.wrapNum(center.lng, [-180, 180], true)) };
        doc.options.zoom = this.mapView.map.getZoom();
      }, { options: true });
    }

    fitToData() {
      this.state.apply(this.t("changed_view"), (doc) => {
        doc.options.center = null;
        doc.options.zoom = null;
      }, { options: true });
    }

    ensureLayer(doc) {
      let layer = doc.layers.find((l) => l.id === this.currentLayerId);
      if (!layer) {
        layer = this.blankLayer(doc);
        doc.layers.push(layer);
        this.currentLayerId = layer.id;
      }
      return layer;
    }

    blankLayer(doc) {
      const taken = new Set(doc.layers.map((l) => l.name));
      let number = doc.layers.length + 1;
      while (taken.has(this.t("new_layer_name", { number }))) number += 1;
      return {
        id: newLayerId(), name: this.t("new_layer_name", { number }), description: "",
        shown_on_load: true, style: {}, popup_template: "", features: [], umap: {},
      };
    }

    addDrawnFeature(shape, geometry) {
      const labelKey = DRAW_SHAPES.find(([name]) => name === shape)[2];
      const feature = { type: "Feature", geometry, properties: {} };
      const layerId = this.state.layer(this.currentLayerId) ? this.currentLayerId : null;
      let created = null;
      this.state.apply(this.t(labelKey), (doc) => {
        const layer = this.ensureLayer(doc);
        created = layer.id;
        layer.features.push(feature);
      }, { layers: layerId ? [layerId] : [] });
      this.updateDrawButtons();
      this.state.select(feature);
      const nameInput = this.featurePanel.querySelector("[data-focus-key=feature-name]");
      if (nameInput) nameInput.focus();
      // Said once the selection has been announced: what was added, where, and what next.
      const first = window.wagtailUmapEditor.geometry.vertices(geometry)[0];
      const position = first ? window.wagtailUmapEditor.positionText(this.strings, first.lat, first.lng) : "";
      this.announce(this.t("added_announce", { action: this.t(labelKey), position }));
      return created;
    }

    deleteFeature(feature) {
      const layer = this.state.layerOf(feature);
      if (!layer) return;
      this.state.apply(this.t("deleted_feature"), () => {
        layer.features.splice(layer.features.indexOf(feature), 1);
      }, { layers: [layer.id] });
      this.mapElement.focus();
    }

    moveFeature(feature, targetId) {
      const source = this.state.layerOf(feature);
      const target = this.state.layer(targetId);
      if (!source || !target || source === target) return;
      this.state.apply(this.t("moved_to_layer", { name: target.name }), () => {
        source.features.splice(source.features.indexOf(feature), 1);
        target.features.push(feature);
      }, { layers: [source.id, target.id] });
      this.state.select(feature);
    }

    addLayer() {
      let created;
      this.state.apply(this.t("added_layer"), (doc) => {
        created = this.blankLayer(doc);
        doc.layers.push(created);
      }, { layers: [] });
      this.setCurrentLayer(created.id);
      this.layerDetailsOpen = true;
      this.renderLayerSettings();
      const name = this.layerSettings.querySelector("[data-focus-key=layer-name]");
      if (name) { name.focus(); name.select(); }
    }

    setCurrentLayer(id) {
      if (id !== this.currentLayerId) this.layerDetailsOpen = false;
      this.currentLayerId = id;
      this.page = 0;
      this.filter = "";
      this.renderLayers();
      this.renderLayerSettings();
      this.renderFeatureList();
    }

    moveLayer(id, delta) {
      if (this.state.doc.groups && window.wagtailUmapEditor.groups) {
        this.moveInTree("layer", id, delta);
        return;
      }
      const from = this.state.layers.findIndex((l) => l.id === id);
      this.reorderLayer(id, from + delta);
    }

    reorderLayer(id, to) {
      const from = this.state.layers.findIndex((l) => l.id === id);
      if (from < 0 || to < 0 || to >= this.state.layers.length || to === from) return;
      const name = this.state.layers[from].name;
      this.state.apply(this.t("reordered_layer", { name, position: to + 1 }), (doc) => {
        const [layer] = doc.layers.splice(from, 1);
        doc.layers.splice(to, 0, layer);
      }, { options: true });
    }

    toggleVisible(id) {
      this.mapView.setLayerVisible(id, this.mapView.hidden.has(id));
      this.renderLayers();
    }

    deleteLayer(id) {
      const layer = this.state.layer(id);
      if (!layer) return;
      if (!window.confirm(this.t("layer_confirm_delete", { name: layer.name, count: layer.features.length }))) return;
      this.state.apply(this.t("deleted_layer", { name: layer.name }), (doc) => {
        doc.layers.splice(doc.layers.indexOf(layer), 1);
      }, { layers: [id] });
    }

    makeDraggable(item) {
      item.addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("application/x-umap-layer", item.dataset.layerId);
        event.dataTransfer.effectAllowed = "move";
        item.classList.add("is-dragging");
      });
      item.addEventListener("dragend", () => item.classList.remove("is-dragging"));
      item.addEventListener("dragover", (event) => {
        if (event.dataTransfer.types.includes("application/x-umap-layer")) event.preventDefault();
      });
      item.addEventListener("drop", (event) => {
        const id = event.dataTransfer.getData("application/x-umap-layer");
        if (!id) return;
        event.preventDefault();
        if (this.state.doc.groups && window.wagtailUmapEditor.groups) {
          this.dropBefore(id, { kind: "layer", id: item.dataset.layerId });
          return;
        }
        this.reorderLayer(id, this.state.layers.findIndex((l) => l.id === item.dataset.layerId));
      });
    }

    openTable(id) {
      const layer = this.state.layer(id);
      if (!layer) return;
      this.unmount("table");
      this.tableLayerId = id;
      const body = h("div", { class: "umap-editor__plugin" });
      this.tableRegion.replaceChildren(
        h("div", { class: "umap-editor__panel-head" },
          h("h3", { text: this.t("layer_table", { name: layer.name }) }),
          this.iconButton("✕", this.t("feature_close"), () => this.closeTable(), "table-close")),
        body);
      this.tableRegion.hidden = false;
      this.mount("table", "table", body, { layerId: id });
      if (!this.mounted.table.length) body.append(h("p", { class: "help", text: this.t("feature_count", { count: layer.features.length }) }));
      this.tableRegion.querySelector("[data-focus-key=table-close]").focus();
    }

    closeTable() {
      const layerId = this.tableLayerId;
      const active = document.activeElement;
      const hadFocus = this.tableRegion.contains(active) || active === document.body || !active;
      this.unmount("table");
      this.tableLayerId = null;
      this.tableRegion.hidden = true;
      if (hadFocus) {
        // Back to the "▦" button that opened it (never <body>).
        const opener = layerId && this.root.querySelector(`[data-focus-key="table-${CSS.escape(layerId)}"]`);
        (opener || this.mapElement).focus();
      }
    }

    /* Drawing */

    toggleDraw(shape) {
      if (this.config.readOnly) return;
      if (this.mapView.drawing === shape) {
        this.mapView.stopDraw();
        this.handlesBack();
        this.announce(this.t("draw_cancelled"));
      } else {
        this.mapView.startDraw(shape, { keep: true });
        this.announce(this.t(`draw_start_${shape.toLowerCase()}`));
      }
      this.updateDrawButtons();
      this.mapElement.focus();
    }

    /* The crosshair's button and Enter on the map: a marker there (starting "Add a marker" when
     * no tool is on), or the next vertex of the line or polygon being drawn. */
    placeAtCrosshair() {
      if (this.config.readOnly) return;
      if (!this.mapView.drawing) this.mapView.startDraw("Marker");
      const shape = this.mapView.drawing;
      const before = this.mapView.drawVertexCount();
      const result = this.mapView.addAtCrosshair();
      this.updateDrawButtons();
      if (!result || result.finished) return; // the new feature was announced
      const centre = this.mapView.crosshairLatLng();
      const position = window.wagtailUmapEditor.positionText(this.strings, centre.lat, centre.lng);
      if (result.count > before) {
        this.announce(this.t("vertex_added", { number: result.count, position }));
      } else {
        const needed = shape === "Polygon" ? 3 : 2;
        this.announce(this.t("vertex_not_added", { count: needed }));
      }
    }

    removeLastVertex() {
      if (!this.mapView.drawing || this.mapView.drawing === "Marker") return;
      const left = this.mapView.removeLastVertex();
      this.updateDrawButtons();
      this.announce(this.t("vertex_removed_last", { count: left }));
    }

    /* Undo, redo, keyboard */

    /* The editor over the whole window but for Wagtail's save bar, which stays below it (the
     * title and summary are then out of the way; the same button brings them back). */
    toggleFullscreen() {
      const on = !this.root.classList.contains("umap-editor--fullscreen");
      this.root.classList.toggle("umap-editor--fullscreen", on);
      document.documentElement.classList.toggle("umap-editor-fullscreen-open", on);
      this.fullscreenButton.setAttribute("aria-pressed", String(on));
      this.fitFullscreenMap();
      if (on && !this.onFullscreenResize) {
        this.onFullscreenResize = () => this.fitFullscreenMap();
        window.addEventListener("resize", this.onFullscreenResize);
      }
      this.announce(this.t(on ? "fullscreen_on" : "fullscreen_off"));
    }

    /* In full screen the map takes the height left under the toolbar, whatever the toolbar
     * holds (the address search, plug-ins), down to the band of Wagtail's save bar. */
    fitFullscreenMap() {
      const on = this.root.classList.contains("umap-editor--fullscreen");
      this.mapElement.style.height = "";
      if (on) {
        const padding = parseFloat(getComputedStyle(this.root).paddingBottom) || 0;
        const keys = this.mapElement.parentElement.nextElementSibling; // the keyboard help
        const room = this.root.getBoundingClientRect().bottom - padding
          - this.mapElement.getBoundingClientRect().top - (keys ? keys.offsetHeight + 8 : 0);
        this.mapElement.style.height = `${Math.max(240, Math.floor(room))}px`;
      }
      this.mapView.map.invalidateSize();
    }

    undo() {
      if (!this.state.undo()) this.announce(this.t("nothing_to_undo"));
    }

    redo() {
      if (!this.state.redo()) this.announce(this.t("nothing_to_redo"));
    }

    onKeydown(event) {
      if (this.config.readOnly || !document.body.contains(this.root)) return;
      const key = event.key.toLowerCase();
      const onMap = event.target === this.mapElement;
      if (this.mapView.drawing && event.key === "Escape") return this.cancelDrawing();
      if (onMap && event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        // Enter on the map places at the crosshair (and there again, finishes the shape).
        event.preventDefault();
        if (this.mapView.drawing) return this.placeAtCrosshair();
        return this.announce(this.t("map_enter_help"));
      }
      if (this.mapView.drawing && (event.key === "Backspace" || ((event.ctrlKey || event.metaKey) && key === "z" && !event.shiftKey)) && !isTyping(event.target)) {
        event.preventDefault();
        return this.removeLastVertex();
      }
      if (this.mapView.drawing && event.key === "Enter" && !isTyping(event.target) && event.target.tagName !== "BUTTON") {
        event.preventDefault();
        return this.finishDrawing();
      }
      if (isTyping(event.target)) return;
      if ((event.ctrlKey || event.metaKey) && key === "z") {
        event.preventDefault();
        if (event.shiftKey) this.redo();
        else this.undo();
      } else if ((event.ctrlKey || event.metaKey) && key === "y") {
        event.preventDefault();
        this.redo();
      } else if ((event.key === "Delete") && this.state.selection && this.root.contains(event.target)) {
        event.preventDefault();
        this.deleteFeature(this.state.selection.feature);
      }
    }

    /* Import */

    setUpDrop(box) {
      let depth = 0;
      const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");
      box.addEventListener("dragenter", (event) => {
        if (!hasFiles(event)) return;
        depth += 1;
        this.dropOverlay.hidden = false;
      });
      box.addEventListener("dragleave", () => {
        depth = Math.max(0, depth - 1);
        if (!depth) this.dropOverlay.hidden = true;
      });
      box.addEventListener("dragover", (event) => {
        if (hasFiles(event)) event.preventDefault();
      });
      box.addEventListener("drop", (event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        depth = 0;
        this.dropOverlay.hidden = true;
        if (event.dataTransfer.files[0]) this.importFile(event.dataTransfer.files[0]);
      });
    }

    /* The file goes to the import endpoint gzip-compressed, with the map's settings (the
     * answer merges the file's into them as umap_import does). A file over MAX_IMPORT_BYTES is
     * refused here with the server's own message; a large one is read by a background job
     * whose stage and progress show in the import panel until its result is merged. */
    async importFile(file) {
      if (this.config.readOnly) return;
      const s = (key, params) => this.t(key, params);
      const tools = window.wagtailUmapEditor;
      this.importErrors.replaceChildren();
      if (this.config.maxImportBytes && file.size > this.config.maxImportBytes) {
        this.fileInput.value = "";
        return this.showImportErrors([s("file_too_large", { value: file.size, limit: this.config.maxImportBytes })]);
      }
      this.announce(s("importing", { name: file.name }));
      const compressed = /\.(kmz|zip)$/i.test(file.name) ? { body: file, encoding: "identity" } : await tools.gzipped(file, this.config.gzipWorker);
      const body = new FormData();
      body.append("file", compressed.body, file.name);
      body.append("encoding", compressed.encoding);
      body.append("options", JSON.stringify(this.state.doc.options || {}));
      const token = this.input.form && this.input.form.querySelector("[name=csrfmiddlewaretoken]");
      let response;
      let payload;
      try {
        response = await fetch(this.config.importUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
        });
        payload = await response.json();
        let status = response.status;
        if (status === 202 && payload.job) {
          ({ status, payload } = await tools.pollJob(payload.job, (job) => this.showImportProgress(file.name, job)));
        }
        if (status !== 200 || !payload || !payload.document) {
          return this.showImportErrors((payload && payload.errors) || [s("import_failed")]);
        }
      } catch (error) {
        return this.showImportErrors([s("import_network_error")]);
      } finally {
        this.fileInput.value = "";
        if (this.importProgress) this.importProgress.remove();
      }
      this.mergeImport(file.name, payload);
      for (const note of payload.notes || []) this.importErrors.append(h("p", { class: "help", text: note }));
    }

    showImportProgress(filename, job) {
      if (!this.importProgress) {
        this.importProgressText = h("p", { role: "status" });
        this.importProgressBar = h("progress", { max: 100, "aria-label": this.t("import_progress", { name: filename }) });
        this.importProgress = h("div", { class: "umap-editor__import-progress help-block help-info" }, this.importProgressText, this.importProgressBar);
      }
      this.importPanel.open = true;
      if (!this.importProgress.isConnected) this.importErrors.before(this.importProgress);
      this.importProgressText.textContent = this.t("import_background", { name: filename, stage: job.stage, percent: `${job.progress} %` });
      this.importProgressBar.value = job.progress;
    }

    showImportErrors(messages) {
      this.importPanel.open = true;
      this.importErrors.replaceChildren(
        h("p", { class: "error-message", text: this.t("import_failed") }),
        h("ul", { class: "error-message" }, ...messages.map((message) => h("li", { text: message }))));
      this.announce(this.t("import_failed"));
    }

    /* `answer`: the import endpoint's (or its job's) answer: the file as a document, the map's
     * settings with the file's merged (`options`), and for a background import each stored
     * layer's reference (`refs`), so that saving sends references only. */
    mergeImport(filename, answer) {
      const imported = answer.document;
      const refs = answer.refs || {};
      const target = this.importInto.value;
      const replace = (this.importPanel.querySelector("input[type=radio]:checked") || {}).value === "replace";
      const layers = imported.layers || [];
      const features = layers.flatMap((layer) => layer.features || []);
      const touched = target ? [target] : replace ? this.state.layers.map((l) => l.id) : [];
      const stored = [];
      this.state.apply(this.t("imported_label", { name: filename }), (doc) => {
        if (answer.options) doc.options = answer.options;
        if (target) {
          const layer = doc.layers.find((l) => l.id === target);
          layer.features = replace ? features : layer.features.concat(features);
          return;
        }
        if (replace) {
          doc.layers = [];
          delete doc.groups;
        }
        const taken = new Set(doc.layers.map((l) => l.id));
        for (const layer of layers) {
          const ref = refs[layer.id];
          if (taken.has(layer.id)) layer.id = newLayerId();
          taken.add(layer.id);
          doc.layers.push(layer);
          if (ref) stored.push([layer.id, ref]);
        }
        // The file's groups of layers come along (js/editor/groups.js).
        const groups = window.wagtailUmapEditor.groups;
        if (imported.groups && imported.groups.length && groups) groups.adopt(doc, imported.groups, layers);
        else for (const layer of layers) delete layer.group;
      }, { layers: touched });
      if (this.markStored) for (const [id, ref] of stored) this.markStored(id, ref);
      this.fillEmptyFields(imported);
      if (!target && layers.length) this.setCurrentLayer(layers[0].id);
      this.announce(this.t("imported", { count: features.length, name: filename }));
      const bounds = this.mapView.dataBounds();
      if (bounds && bounds.isValid()) this.mapView.map.fitBounds(bounds, { maxZoom: 16 });
    }

    /* The title, summary and credits the editor left empty, from the file (as the server did). */
    fillEmptyFields(imported) {
      const form = this.input.form;
      if (!form) return;
      const values = { title: imported.title, summary: imported.summary, credits: (imported.options || {}).credits };
      for (const [name, value] of Object.entries(values)) {
        const field = form.querySelector(`[name=${name}]`);
        if (field && !field.value && value) {
          field.value = value;
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
    }
  }

  // Groups of layers: their list items, settings field and edits (js/editor/groups.js).
  if (window.wagtailUmapEditor && window.wagtailUmapEditor.groups) {
    Object.assign(Editor.prototype, window.wagtailUmapEditor.groups.editorMethods);
  } else {
    Editor.prototype.layerGroupField = () => null;
  }

  window.wagtailUmapEditor = Object.assign(window.wagtailUmapEditor || {}, {
    mountEditor: (root, input, config) => new Editor(root, input, config),
    h,
    safeDescription,
    format,
  });
})();
