/* Map editor panel "data": how a layer shows its data, and the map's slideshow.
 *
 * Layer: representation (plain, cluster, heat, choropleth, categorized, circles with their
 * settings), the zoom levels it shows at, filters offered to citizens, popup layout. Map:
 * `options.slideshow`. Keys and limits follow the map document contract; the server validates
 * them again on save. Fields are offered from the layer's own properties (numeric ones where a
 * number is needed), so an editor picks instead of typing names.
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor || !editor.panelKit) return;
  const P = editor.panelKit;

  const TYPES = ["plain", "cluster", "heat", "choropleth", "categorized", "circles"];
  const DEFAULTS = {
    plain: {},
    cluster: { radius: 60 },
    heat: { field: "", radius: 25, intensity: 0.6 },
    choropleth: { field: "", method: "quantiles", classes: 5, scheme: "blues", unit: "" },
    categorized: { field: "", categories: [] },
    circles: { field: "", min_radius: 4, max_radius: 40, unit: "" },
  };
  const NEEDS_NUMBERS = new Set(["heat", "choropleth", "circles"]);
  const FILTER_TYPES = ["category", "range", "date_range", "search"];
  const LAYOUTS = ["default", "table", "panel"];
  const CATEGORY_ROWS = 20; // values shown for customising; the others stay automatic
  const SCAN_LIMIT = 2000; // features read to guess field types: enough, and instant
  const NUMBER_RE = /^\s*[-+]?(\d+[.,]?\d*|[.,]\d+)([eE][-+]?\d+)?\s*$/;

  /* The layer's free properties, each with whether its values are all numbers. */
  function layerFields(layer) {
    const fields = new Map();
    for (const feature of (layer ? layer.features : []).slice(0, SCAN_LIMIT)) {
      for (const [key, value] of Object.entries(feature.properties || {})) {
        if (key.startsWith("_") || key === "description") continue;
        if (value === null || value === undefined || value === "") {
          if (!fields.has(key)) fields.set(key, { numeric: true, seen: false });
          continue;
        }
        const numeric = typeof value === "number" || (typeof value === "string" && NUMBER_RE.test(value));
        const entry = fields.get(key) || { numeric: true, seen: false };
        fields.set(key, { numeric: entry.numeric && numeric, seen: true });
      }
    }
    return [...fields].filter(([, info]) => info.seen).map(([name, info]) => ({ name, numeric: info.numeric }));
  }

  function dataPanel(state, container, strings, context) {
    const config = (state.config && state.config.panels) || {};
    const isMap = context.target === "map";
    const layer = () => state.layer(context.layerId);

    function applyLayer(label, change) {
      const id = context.layerId;
      state.apply(label, () => change(state.layer(id)), { layers: [id] });
    }

    // --- small builders ----------------------------------------------------------------------

    function select(key, options, value, onChange) {
      const control = P.el("select", { "data-focus-key": `dp-${key}` });
      for (const [optionValue, label] of options) {
        control.append(P.el("option", { value: optionValue, text: label }));
      }
      control.value = value === null || value === undefined ? "" : String(value);
      control.addEventListener("change", () => onChange(control.value, control));
      return control;
    }

    function number(key, value, min, max, step, onChange) {
      const input = P.el("input", { type: "number", min, max, step, value, "data-focus-key": `dp-${key}`, inputmode: "decimal" });
      input.addEventListener("change", () => {
        const parsed = Number(input.value);
        if (input.value === "" || !Number.isFinite(parsed) || parsed < min || parsed > max) {
          input.setAttribute("aria-invalid", "true");
          P.announce(container, P.format(strings.style_out_of_range, { min, max }));
          return;
        }
        onChange(parsed);
      });
      return input;
    }

    function text(key, value, maxlength, onChange) {
      const input = P.el("input", { type: "text", value: value || "", maxlength, "data-focus-key": `dp-${key}` });
      input.addEventListener("change", () => onChange(input.value.trim()));
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault(); // never submit Wagtail's form from a panel
          input.dispatchEvent(new Event("change"));
        }
      });
      return input;
    }

    function checkbox(key, checked, label, onChange) {
      const input = P.el("input", { type: "checkbox", id: P.uid("check"), "data-focus-key": `dp-${key}` });
      input.checked = Boolean(checked);
      input.addEventListener("change", () => onChange(input.checked));
      return P.el("div", { className: "umap-panel__field umap-panel__field--inline" }, [input, P.el("label", { for: input.id, text: label })]);
    }

    function fieldOptions(fields, numericOnly, allowNone) {
      const options = allowNone ? [["", strings.data_field_none]] : [];
      for (const field of fields) {
        if (numericOnly && !field.numeric) continue;
        const hint = field.numeric ? strings.data_field_hint_numeric : strings.data_field_hint_text;
        options.push([field.name, `${field.name} (${hint})`]);
      }
      return options;
    }

    // --- representation ----------------------------------------------------------------------

    function representationGroup(current, fields) {
      const rep = current.representation || { type: "plain" };
      const type = TYPES.includes(rep.type) ? rep.type : "plain";
      const setRep = (changes) =>
        applyLayer(strings.data_changed, (target) => {
          target.representation = { ...(target.representation || { type }), ...changes };
          if (target.representation.method !== "manual") delete target.representation.breaks;
        });
      const typeSelect = select(
        "type",
        TYPES.map((name) => [name, strings[`data_type_${name}`] || name]),
        type,
        (value, control) => {
          const fresh = { type: value, ...JSON.parse(JSON.stringify(DEFAULTS[value])) };
          if ("field" in fresh) {
            const usable = fields.filter((field) => (NEEDS_NUMBERS.has(value) ? field.numeric : true));
            const keep = usable.find((field) => field.name === rep.field);
            // Names are unique per feature: a poor default for categories.
            const first = usable.find((field) => field.name !== "name") || usable[0];
            fresh.field = keep ? keep.name : first ? first.name : "";
            if (!fresh.field && value !== "heat") {
              control.value = type; // choropleth, circles and categories need a field
              P.announce(container, strings.data_no_numeric_field);
              return;
            }
          }
          applyLayer(strings.data_changed, (target) => {
            target.representation = fresh;
          });
        },
      );
      const parts = [P.el("legend", { text: strings.data_representation }), P.field(strings.data_type, typeSelect)];
      const numericOnly = NEEDS_NUMBERS.has(type);
      if ("field" in (DEFAULTS[type] || {})) {
        const label = numericOnly ? strings.data_field_numeric : strings.data_field_text;
        const options = fieldOptions(fields, numericOnly, type === "heat");
        if (!options.length) parts.push(P.el("p", { className: "umap-panel__hint", text: strings.data_no_numeric_field }));
        parts.push(P.field(label, select("field", options, rep.field || "", (value) => setRep({ field: value }))));
      }
      if (type === "cluster" || type === "heat") {
        const [min, max] = type === "cluster" ? [10, 200] : [5, 100];
        parts.push(P.field(strings.data_radius, number("radius", rep.radius, min, max, 1, (value) => setRep({ radius: Math.round(value) }))));
      }
      if (type === "heat") {
        parts.push(P.field(strings.data_intensity, number("intensity", rep.intensity, 0.05, 1, 0.05, (value) => setRep({ intensity: value }))));
      }
      if (type === "choropleth") parts.push(...choroplethFields(rep, setRep));
      if (type === "circles") {
        parts.push(
          P.field(strings.data_min_radius, number("min_radius", rep.min_radius, 1, 100, 1, (value) => setRep({ min_radius: Math.round(value) }))),
          P.field(strings.data_max_radius, number("max_radius", rep.max_radius, 2, 200, 1, (value) => setRep({ max_radius: Math.round(value) }))),
          P.field(strings.data_unit, text("unit", rep.unit, 50, (value) => setRep({ unit: value }))),
        );
      }
      if (type === "categorized") {
        parts.push(P.el("p", { className: "umap-panel__hint", text: strings.data_categories_auto }));
        if (rep.field) parts.push(categoriesGroup(rep, setRep));
      }
      return P.el("fieldset", { className: "umap-panel__group", "data-umap-data": "representation" }, parts);
    }

    function choroplethFields(rep, setRep) {
      const classes = config.classes || { min: 3, max: 9 };
      const schemes = config.schemes || {};
      const schemeSelect = select(
        "scheme",
        Object.keys(schemes).map((name) => [name, strings[`data_scheme_${name}`] || name]),
        rep.scheme,
        (value) => setRep({ scheme: value }),
      );
      const ramp = P.el("span", { className: "umap-data__ramp", "aria-hidden": "true" });
      for (const colour of schemes[rep.scheme] || []) {
        const chip = P.el("span");
        chip.style.backgroundColor = colour;
        ramp.append(chip);
      }
      const schemeField = P.field(strings.data_scheme, schemeSelect);
      schemeField.append(ramp);
      const fields = [
        P.field(
          strings.data_method,
          select("method", (config.methods || ["quantiles", "equal", "jenks", "manual"]).map((name) => [name, strings[`data_method_${name}`] || name]), rep.method, (value) => {
            if (value === "manual") setRep({ method: value, breaks: guessBreaks(rep) });
            else setRep({ method: value });
          }),
        ),
        P.field(strings.data_classes, number("classes", rep.classes, classes.min, classes.max, 1, (value) => {
          const changes = { classes: Math.round(value) };
          if (rep.method === "manual") changes.breaks = guessBreaks({ ...rep, ...changes });
          setRep(changes);
        })),
        schemeField,
      ];
      if (rep.method === "manual") {
        const expected = (rep.classes || 5) - 1;
        const hint = P.format(strings.data_breaks_invalid, { count: expected });
        const input = text("breaks", (rep.breaks || []).join(" "), 500, (value) => {
          const numbers = value.split(/[\s;]+/).filter(Boolean).map((item) => Number(item.replace(",", ".")));
          const ascending = numbers.every((n, i) => Number.isFinite(n) && (i === 0 || numbers[i - 1] < n));
          if (numbers.length !== expected || !ascending) {
            input.setAttribute("aria-invalid", "true");
            P.announce(container, hint);
            return;
          }
          setRep({ breaks: numbers });
        });
        fields.push(P.field(strings.data_breaks, input, hint));
      }
      fields.push(P.field(strings.data_unit, text("unit", rep.unit, 50, (value) => setRep({ unit: value }))));
      return fields;
    }

    /* One line per value of the field (the first CATEGORY_ROWS): label, colour, shape and
     * pictogram, each "automatic" until the editor picks one. Only customised values are
     * written to `categories`. */
    function categoriesGroup(rep, setRep) {
      const counts = new Map();
      for (const feature of layer() ? layer().features : []) {
        const value = (feature.properties || {})[rep.field];
        if (value === null || value === undefined || value === "") continue;
        counts.set(String(value), (counts.get(String(value)) || 0) + 1);
      }
      const values = [...counts.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      const entries = Array.isArray(rep.categories) ? rep.categories : [];
      const entryOf = (value) => entries.find((entry) => entry.value === value) || { value, label: "", color: "", marker_shape: "", pictogram: "" };
      const update = (value, key, newValue) => {
        const next = entries.filter((entry) => entry.value !== value);
        const entry = { ...entryOf(value), [key]: newValue };
        if (entry.label || entry.color || entry.marker_shape || entry.pictogram) next.push(entry);
        setRep({ categories: next });
      };
      const auto = strings.data_auto;
      const palette = [["", auto], ...(config.palette || []).map((colour) => [colour.value, colour.name])];
      const shapes = [["", auto], ...["pin", "circle", "square", "drop"].map((shape) => [shape, strings[`style_shape_${shape}`] || shape])];
      const list = P.el("div", { className: "umap-data__categories" });
      values.slice(0, CATEGORY_ROWS).forEach((value, index) => {
        const entry = entryOf(value);
        const key = (name) => `category-${index}-${name}`;
        const colours = palette.some(([option]) => option === entry.color) ? palette : [...palette, [entry.color, entry.color]];
        const colourField = P.field(strings.style_color, select(key("color"), colours, entry.color, (v) => update(value, "color", v)));
        // A colour that is not the palette's (an imported uMap category): its contrast said,
        // with a warning under 3:1 (text and ⚠, not colour alone).
        if (entry.color && !palette.some(([option]) => option === entry.color)) {
          const ratios = (config.backgrounds || ["#ffffff"]).map((b) => P.contrast(entry.color, b)).filter((r) => r !== null);
          if (ratios.length) {
            const ratio = Math.min(...ratios);
            const low = ratio < (config.minContrast || 3);
            const note = P.el("p", {
              className: `umap-panel__hint${low ? " umap-style__contrast--warning" : ""}`,
              id: P.uid("category-contrast"),
              text: `${P.format(low ? strings.style_contrast_warning : strings.style_contrast_ok, { ratio: P.ratioText(ratio) })}`,
            });
            const control = colourField.querySelector("select");
            control.setAttribute("aria-describedby", note.id);
            if (low) control.setAttribute("aria-invalid", "true");
            colourField.append(note);
          }
        }
        list.append(P.el("fieldset", { className: "umap-panel__group umap-data__category" }, [
          P.el("legend", { text: `${value} (${counts.get(value)})` }),
          P.field(strings.data_category_label, text(key("label"), entry.label, 200, (v) => update(value, "label", v))),
          colourField,
          P.field(strings.style_marker_shape, select(key("shape"), shapes, entry.marker_shape, (v) => update(value, "marker_shape", v))),
          P.field(strings.style_pictogram, text(key("pictogram"), entry.pictogram, 8, (v) => update(value, "pictogram", v))),
        ]));
      });
      const parts = [P.el("legend", { text: strings.data_categories }), list];
      if (values.length > CATEGORY_ROWS) {
        parts.push(P.el("p", { className: "umap-panel__hint", text: P.format(strings.data_categories_more, { count: values.length - CATEGORY_ROWS }) }));
      }
      return P.el("fieldset", { className: "umap-panel__group", "data-umap-data": "categories" }, parts);
    }

    /* Evenly spaced breaks over the field's values: a valid start for manual classes. */
    function guessBreaks(rep) {
      const values = (layer() ? layer().features : [])
        .map((feature) => Number(String((feature.properties || {})[rep.field]).replace(",", ".")))
        .filter(Number.isFinite);
      const classes = rep.classes || 5;
      const low = values.length ? Math.min(...values) : 0;
      const high = values.length ? Math.max(...values) : classes;
      const span = high > low ? high - low : classes;
      const breaks = [];
      for (let i = 1; i < classes; i += 1) breaks.push(Number((low + (span * i) / classes).toPrecision(6)));
      return breaks;
    }

    // --- zoom, filters, popup ----------------------------------------------------------------

    function zoomGroup(current) {
      const levels = [["", strings.data_zoom_any]];
      for (let zoom = 0; zoom <= 22; zoom += 1) levels.push([String(zoom), String(zoom)]);
      const change = (key) => (value) => {
        const zoom = value === "" ? null : Number(value);
        const other = key === "min_zoom" ? current.max_zoom : current.min_zoom;
        const low = key === "min_zoom" ? zoom : other;
        const high = key === "min_zoom" ? other : zoom;
        if (low !== null && low !== undefined && high !== null && high !== undefined && low > high) {
          P.announce(container, strings.data_zoom_invalid);
          render();
          return;
        }
        applyLayer(strings.data_changed, (target) => {
          target[key] = zoom;
        });
      };
      return P.el("fieldset", { className: "umap-panel__group umap-data__zoom" }, [
        P.el("legend", { text: strings.data_zoom }),
        P.field(strings.data_min_zoom, select("min_zoom", levels, current.min_zoom, change("min_zoom"))),
        P.field(strings.data_max_zoom, select("max_zoom", levels, current.max_zoom, change("max_zoom"))),
      ]);
    }

    function filtersGroup(current, fields) {
      const filters = Array.isArray(current.filters) ? current.filters : [];
      const setFilters = (next) =>
        applyLayer(strings.data_filters_changed, (target) => {
          target.filters = next;
        });
      const copy = () => JSON.parse(JSON.stringify(filters));
      const list = P.el("ol", { className: "umap-data__filters" });
      filters.forEach((filter, index) => {
        const number = index + 1;
        const key = (name) => `filter-${index}-${name}`;
        const typeSelect = select(key("type"), FILTER_TYPES.map((name) => [name, strings[`data_filter_${name}`] || name]), filter.type, (value) => {
          const next = copy();
          const first = fields.length ? fields[0].name : "";
          const field = filter.field || (filter.fields || [])[0] || first;
          next[index] = value === "search" ? { type: value, fields: [field], label: filter.label || "" } : { type: value, field, label: filter.label || "" };
          setFilters(next);
        });
        const parts = [P.field(strings.data_filter_type, typeSelect)];
        if (filter.type === "search") {
          const boxes = P.el("fieldset", { className: "umap-data__search-fields" }, [P.el("legend", { text: strings.data_filter_fields })]);
          for (const field of fields) {
            boxes.append(checkbox(key(`field-${field.name}`), (filter.fields || []).includes(field.name), field.name, (checked) => {
              const next = copy();
              const chosen = new Set(next[index].fields || []);
              if (checked) chosen.add(field.name);
              else chosen.delete(field.name);
              if (!chosen.size) {
                render();
                return; // a search needs at least one field
              }
              next[index].fields = fields.map((f) => f.name).filter((name) => chosen.has(name));
              setFilters(next);
            }));
          }
          parts.push(boxes);
        } else {
          const numericOnly = filter.type === "range";
          parts.push(P.field(strings.data_field, select(key("field"), fieldOptions(fields, numericOnly, false), filter.field, (value) => {
            const next = copy();
            next[index].field = value;
            setFilters(next);
          })));
        }
        parts.push(P.field(strings.data_filter_label, text(key("label"), filter.label, 200, (value) => {
          const next = copy();
          next[index].label = value;
          setFilters(next);
        })));
        const remove = P.el("button", { type: "button", className: "button button-small no", "data-focus-key": key("remove"), text: P.format(strings.data_filter_remove, { number }) });
        remove.addEventListener("click", () => {
          const next = copy();
          next.splice(index, 1);
          setFilters(next);
        });
        parts.push(remove);
        list.append(P.el("li", { "aria-label": P.format(strings.data_filter_number, { number }) }, parts));
      });
      const add = P.el("button", { type: "button", className: "button button-small button-secondary", "data-focus-key": "filter-add", text: strings.data_filter_add });
      add.disabled = !fields.length || filters.length >= 10;
      add.addEventListener("click", () => {
        const field = fields[0].name;
        setFilters([...copy(), { type: "category", field, label: "" }]);
      });
      return P.el("fieldset", { className: "umap-panel__group" }, [P.el("legend", { text: strings.data_filters }), list, add]);
    }

    function popupGroup(current) {
      const name = P.uid("layout");
      const layout = LAYOUTS.includes(current.popup_layout) ? current.popup_layout : "default";
      const options = LAYOUTS.map((value) => {
        const input = P.el("input", { type: "radio", name, value, id: P.uid("layout"), "data-focus-key": `layout-${value}` });
        input.checked = value === layout;
        input.addEventListener("change", () => {
          if (input.checked) applyLayer(strings.data_changed, (target) => {
            target.popup_layout = value;
          });
        });
        return P.el("div", { className: "umap-panel__field umap-panel__field--inline" }, [input, P.el("label", { for: input.id, text: strings[`data_popup_${value}`] })]);
      });
      return P.el("fieldset", { className: "umap-panel__group" }, [P.el("legend", { text: strings.data_popup_layout }), ...options]);
    }

    // --- map: slideshow ----------------------------------------------------------------------

    function slideshowGroup() {
      const options = state.doc.options || {};
      const show = { enabled: false, layer: null, sort_field: "", autoplay: false, delay: 5, ...(options.slideshow || {}) };
      const set = (changes) =>
        state.apply(strings.data_slideshow_changed, (doc) => {
          doc.options = doc.options || {};
          doc.options.slideshow = { ...show, ...changes };
        }, { options: true });
      const layers = [["", strings.data_slideshow_all_layers], ...state.layers.map((item) => [item.id, item.name])];
      const chosen = show.layer ? [state.layer(show.layer)] : state.layers;
      const seen = new Map();
      for (const item of chosen) for (const field of layerFields(item)) if (!seen.has(field.name)) seen.set(field.name, field);
      const sortOptions = [["", strings.data_field_none], ...[...seen.values()].map((field) => [field.name, field.name])];
      if (show.sort_field && !seen.has(show.sort_field)) sortOptions.push([show.sort_field, show.sort_field]);
      return P.el("fieldset", { className: "umap-panel__group", "data-umap-data": "slideshow" }, [
        P.el("legend", { text: strings.data_slideshow }),
        checkbox("slideshow-enabled", show.enabled, strings.data_slideshow_enabled, (checked) => set({ enabled: checked })),
        P.field(strings.data_slideshow_layer, select("slideshow-layer", layers, show.layer || "", (value) => set({ layer: value || null }))),
        P.field(strings.data_slideshow_sort, select("slideshow-sort", sortOptions, show.sort_field, (value) => set({ sort_field: value }))),
        checkbox("slideshow-autoplay", show.autoplay, strings.data_slideshow_autoplay, (checked) => set({ autoplay: checked })),
        P.field(strings.data_slideshow_delay, number("slideshow-delay", show.delay, 1, 60, 1, (value) => set({ delay: value }))),
      ]);
    }

    // --- rendering ---------------------------------------------------------------------------

    /* Rebuild from the document (undo may have replaced every object); focus returns to the
     * control with the same key. */
    function render() {
      const active = document.activeElement;
      const focusKey = active && container.contains(active) ? active.getAttribute("data-focus-key") : null;
      const parts = [];
      if (isMap) {
        parts.push(slideshowGroup());
      } else {
        const current = layer();
        if (!current) {
          container.replaceChildren();
          return;
        }
        const fields = layerFields(current);
        parts.push(representationGroup(current, fields), zoomGroup(current), filtersGroup(current, fields), popupGroup(current));
      }
      const root = P.el("div", { className: "umap-panel umap-data", "data-umap-panel": isMap ? "data-map" : "data" }, [
        P.el("h3", { className: "umap-panel__heading", text: isMap ? strings.data_slideshow : strings.data }),
        ...parts,
      ]);
      const status = container.querySelector(".umap-panel__status");
      container.replaceChildren(root);
      if (status) container.append(status);
      if (focusKey) {
        const again = container.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
        if (again) again.focus();
      }
    }

    P.statusRegion(container);
    render();
    return {
      update: render,
      destroy() {
        container.replaceChildren();
      },
    };
  }

  editor.registerPanel("data", dataPanel);
})();
