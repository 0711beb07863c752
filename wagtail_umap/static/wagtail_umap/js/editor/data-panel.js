/* Map editor panel "data": how a layer shows its data, and the map's slideshow.
 *
 * Layer: representation (plain, cluster, heat, choropleth, categorized, circles with their
 * settings), the zoom levels it shows at, filters offered to citizens, popup layout. Map:
 * `options.slideshow`. Keys and limits follow the map document contract; the server validates
 * them again on save. Labels, help, defaults, bounds and choices are the schema's
 * (core/schema, sent by editor/panels.py as `config.panels.fields`). Fields are offered from the layer's own properties (numeric ones where a
 * number is needed), so an editor picks instead of typing names.
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor || !editor.panelKit) return;
  const P = editor.panelKit;

  const NEEDS_NUMBERS = new Set(["heat", "choropleth", "circles"]);
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

  /* A fresh representation of `type`: each of its options at the schema's default (lists
   * start empty; manual breaks only exist once chosen). */
  function freshRepresentation(state, type) {
    const fields = (state.config.panels && state.config.panels.fields && state.config.panels.fields.representation) || {};
    const fresh = { type };
    for (const [name, field] of Object.entries(fields)) {
      const [kind, key] = name.split(".");
      if (kind !== type || !key || key === "breaks") continue;
      if (field.type === "list") fresh[key] = [];
      else if (field.default !== null && field.default !== undefined) fresh[key] = field.default;
    }
    return fresh;
  }

  function dataPanel(state, container, strings, context) {
    const config = (state.config && state.config.panels) || {};
    const option = (scope, key) => P.option(state, scope, key);
    const label = (scope, key) => option(scope, key).label;
    const repOption = (type, key) => option("representation", `${type}.${key}`);
    const TYPES = P.choices(option("representation", "type")).map(([value]) => value);
    const isMap = context.target === "map";
    const layer = () => state.layer(context.layerId);

    let focusNext = null; // the control to focus after the next render

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

    /* A number field bounded as the schema says. */
    function bounded(key, value, field, onChange) {
      return number(key, value, field.min, field.max, field.step || 1, onChange);
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
      // Committed once the focus has moved: a change fired by Tab comes while the focus is
      // nowhere, and the panel rebuilt then would drop the control Tab is moving to.
      input.addEventListener("change", () => {
        const typed = input.value.trim();
        window.setTimeout(() => onChange(typed), 0);
      });
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
      const type = TYPES.includes(rep.type) ? rep.type : option("representation", "type").default;
      const setRep = (changes) =>
        applyLayer(strings.data_changed, (target) => {
          target.representation = { ...(target.representation || { type }), ...changes };
          if (target.representation.method !== "manual") delete target.representation.breaks;
        });
      const typeSelect = select(
        "type",
        P.choices(option("representation", "type")),
        type,
        (value, control) => {
          const fresh = freshRepresentation(state, value);
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
      const parts = [P.el("legend", { text: label("layer", "representation") }), P.field(label("representation", "type"), typeSelect)];
      const numericOnly = NEEDS_NUMBERS.has(type);
      const own = (key) => repOption(type, key);
      const whole = (key) => P.field(own(key).label, bounded(key, rep[key], own(key), (value) => setRep({ [key]: Math.round(value) })));
      if (own("field").type) {
        const options = fieldOptions(fields, numericOnly, type === "heat");
        if (!options.length) parts.push(P.el("p", { className: "umap-panel__hint", text: strings.data_no_numeric_field }));
        parts.push(P.field(own("field").label, select("field", options, rep.field || "", (value) => setRep({ field: value })), own("field").help));
      }
      if (type === "cluster" || type === "heat") parts.push(whole("radius"));
      if (type === "heat") {
        parts.push(P.field(own("intensity").label, bounded("intensity", rep.intensity, own("intensity"), (value) => setRep({ intensity: value }))));
      }
      if (type === "choropleth") parts.push(...choroplethFields(rep, setRep));
      if (type === "circles") {
        parts.push(
          whole("min_radius"),
          whole("max_radius"),
          P.field(own("unit").label, text("unit", rep.unit, own("unit").max_length, (value) => setRep({ unit: value })), own("unit").help),
        );
      }
      if (type === "categorized") {
        parts.push(P.el("p", { className: "umap-panel__hint", text: strings.data_categories_auto }));
        if (rep.field) parts.push(categoriesGroup(rep, setRep));
      }
      return P.el("fieldset", { className: "umap-panel__group", "data-umap-data": "representation" }, parts);
    }

    function choroplethFields(rep, setRep) {
      const own = (key) => repOption("choropleth", key);
      const schemes = config.schemes || {};
      const schemeSelect = select(
        "scheme",
        P.choices(own("scheme")),
        rep.scheme,
        (value) => setRep({ scheme: value }),
      );
      const ramp = P.el("span", { className: "umap-data__ramp", "aria-hidden": "true" });
      for (const colour of schemes[rep.scheme] || []) {
        const chip = P.el("span");
        chip.style.backgroundColor = colour;
        ramp.append(chip);
      }
      const schemeField = P.field(own("scheme").label, schemeSelect);
      schemeField.append(ramp);
      const fields = [
        P.field(
          own("method").label,
          select("method", P.choices(own("method")), rep.method, (value) => {
            if (value === "manual") setRep({ method: value, breaks: guessBreaks(rep) });
            else setRep({ method: value });
          }),
        ),
        P.field(own("classes").label, bounded("classes", rep.classes, own("classes"), (value) => {
          const changes = { classes: Math.round(value) };
          if (rep.method === "manual") changes.breaks = guessBreaks({ ...rep, ...changes });
          setRep(changes);
        })),
        schemeField,
      ];
      if (rep.method === "manual") {
        const expected = (rep.classes || own("classes").default) - 1;
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
        fields.push(P.field(own("breaks").label, input, `${own("breaks").help} ${hint}`));
      }
      fields.push(P.field(own("unit").label, text("unit", rep.unit, own("unit").max_length, (value) => setRep({ unit: value })), own("unit").help));
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
      const category = (key) => option("category", key);
      const shapes = [["", auto], ...P.choices(category("marker_shape"))];
      const list = P.el("div", { className: "umap-data__categories" });
      values.slice(0, CATEGORY_ROWS).forEach((value, index) => {
        const entry = entryOf(value);
        const key = (name) => `category-${index}-${name}`;
        const colours = palette.some(([option]) => option === entry.color) ? palette : [...palette, [entry.color, entry.color]];
        const colourField = P.field(category("color").label, select(key("color"), colours, entry.color, (v) => update(value, "color", v)));
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
          P.field(category("label").label, text(key("label"), entry.label, category("label").max_length, (v) => update(value, "label", v))),
          colourField,
          P.field(category("marker_shape").label, select(key("shape"), shapes, entry.marker_shape, (v) => update(value, "marker_shape", v))),
          P.field(category("pictogram").label, text(key("pictogram"), entry.pictogram, category("pictogram").max_length, (v) => update(value, "pictogram", v))),
        ]));
      });
      const parts = [P.el("legend", { text: repOption("categorized", "categories").label }), list];
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
      const classes = rep.classes || repOption("choropleth", "classes").default;
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
      const bounds = option("layer", "min_zoom");
      for (let zoom = bounds.min; zoom <= bounds.max; zoom += 1) levels.push([String(zoom), String(zoom)]);
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
        P.field(label("layer", "min_zoom"), select("min_zoom", levels, current.min_zoom, change("min_zoom"))),
        P.field(label("layer", "max_zoom"), select("max_zoom", levels, current.max_zoom, change("max_zoom"))),
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
        const typeSelect = select(key("type"), P.choices(option("filter", "type")), filter.type, (value) => {
          const next = copy();
          const first = fields.length ? fields[0].name : "";
          const field = filter.field || (filter.fields || [])[0] || first;
          next[index] = value === "search" ? { type: value, fields: [field], label: filter.label || "" } : { type: value, field, label: filter.label || "" };
          setFilters(next);
        });
        const parts = [P.field(label("filter", "type"), typeSelect)];
        if (filter.type === "search") {
          const boxes = P.el("fieldset", { className: "umap-data__search-fields" }, [P.el("legend", { text: label("filter", "fields") })]);
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
          parts.push(P.field(label("filter", "field"), select(key("field"), fieldOptions(fields, numericOnly, false), filter.field, (value) => {
            const next = copy();
            next[index].field = value;
            setFilters(next);
          })));
        }
        parts.push(P.field(label("filter", "label"), text(key("label"), filter.label, option("filter", "label").max_length, (value) => {
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
      add.disabled = !fields.length || filters.length >= (option("layer", "filters").max_length || 10);
      add.addEventListener("click", () => {
        const field = fields[0].name;
        setFilters([...copy(), { type: "category", field, label: "" }]);
      });
      return P.el("fieldset", { className: "umap-panel__group" }, [P.el("legend", { text: label("layer", "filters") }), list, add]);
    }

    // --- conditional styles (uMap's rules) ---------------------------------------------------

    /* One fieldset per rule: property tested (the layer's properties offered, any name
     * accepted), test, value, colour and legend label; "Add a rule" and "Remove". A rule
     * without a property is not written: the field says why, with the rule's number, and
     * keeps what was typed until it is corrected. */
    function rulesGroup(current, fields) {
      const rules = Array.isArray(current.rules) ? current.rules : [];
      const rule = (key) => option("rule", key);
      const copy = () => JSON.parse(JSON.stringify(rules));
      const setRules = (next) =>
        applyLayer(strings.data_rules_changed, (target) => {
          if (next.length) target.rules = next;
          else delete target.rules; // sparse: a layer without rules has no key
        });
      const update = (index, changes) => {
        const next = copy();
        next[index] = { ...next[index], ...changes };
        setRules(next);
      };
      const names = fields.map((field) => field.name);
      const listId = P.uid("rule-fields");
      const datalist = P.el("datalist", { id: listId }, names.map((name) => P.el("option", { value: name })));
      const palette = (config.palette || []).map((colour) => [colour.value, colour.name]);
      const list = P.el("ol", { className: "umap-data__rules" });
      rules.forEach((entry, index) => {
        const number = index + 1;
        const key = (name) => `rule-${index}-${name}`;
        const property = text(key("field"), entry.field, rule("field").max_length, (value) => {
          if (!value) {
            showError(property, P.format(strings.data_rule_field_missing, { number }));
            return;
          }
          update(index, { field: value });
        });
        property.setAttribute("list", listId);
        property.required = true;
        const propertyField = P.field(rule("field").label, property);
        if (entry.field && names.length && !names.includes(entry.field)) {
          // Not an error (features may come later), but said: the rule matches nothing yet.
          const note = P.el("p", { className: "umap-panel__hint", id: P.uid("rule-note"), text: P.format(strings.data_rule_unknown_field, { number, field: entry.field }) });
          property.setAttribute("aria-describedby", note.id);
          propertyField.append(note);
        }
        const colours = [["", strings.data_rule_colour_none], ...palette];
        const colour = (entry.style || {}).color || "";
        if (colour && !colours.some(([value]) => value === colour)) colours.push([colour, colour]);
        const parts = [
          propertyField,
          P.field(rule("operator").label, select(key("operator"), P.choices(rule("operator")), entry.operator || rule("operator").default, (value) => update(index, { operator: value }))),
          P.field(rule("value").label, text(key("value"), entry.value === undefined ? "" : String(entry.value), rule("value").max_length, (value) => update(index, { value })), rule("value").help),
          P.field(option("style", "color").label, select(key("color"), colours, colour, (value) => {
            const style = { ...(entry.style || {}) };
            if (value) style.color = value;
            else delete style.color;
            update(index, { style });
          })),
          P.field(rule("label").label, text(key("label"), entry.label, rule("label").max_length, (value) => update(index, { label: value })), rule("label").help),
        ];
        const remove = P.el("button", { type: "button", className: "button button-small no", "data-focus-key": key("remove"), text: P.format(strings.data_rule_remove, { number }) });
        remove.addEventListener("click", () => {
          const next = copy();
          next.splice(index, 1);
          focusNext = next.length ? `dp-rule-${Math.min(index, next.length - 1)}-field` : "rule-add";
          setRules(next);
        });
        parts.push(remove);
        list.append(P.el("li", {}, [P.el("fieldset", { className: "umap-panel__group umap-data__rule" }, [P.el("legend", { text: P.format(strings.data_rule_number, { number }) }), ...parts])]));
      });
      const limit = option("layer", "rules").max_length || 50;
      const add = P.el("button", { type: "button", className: "button button-small button-secondary", "data-focus-key": "rule-add", text: strings.data_rule_add });
      add.disabled = rules.length >= limit;
      add.addEventListener("click", () => {
        // A start that already means something: the first property, "=", its first value, and
        // a palette colour other than the layer's.
        const field = fields.find((item) => item.name !== "name") || fields[0];
        const first = field ? firstValue(field.name) : "";
        const layerColour = ((current.style || {}).color || option("style", "color").default || "").toLowerCase();
        const colourChoice = palette.find(([value]) => value.toLowerCase() !== layerColour);
        const fresh = { field: field ? field.name : "", operator: rule("operator").default, value: first, style: colourChoice ? { color: colourChoice[0] } : {} };
        if (!fresh.field) {
          P.announce(container, P.format(strings.data_rule_field_missing, { number: rules.length + 1 }));
          return;
        }
        focusNext = `dp-rule-${rules.length}-field`;
        setRules([...copy(), fresh]);
      });
      return P.el("fieldset", { className: "umap-panel__group", "data-umap-data": "rules" }, [
        P.el("legend", { text: label("layer", "rules") }),
        P.el("p", { className: "umap-panel__hint", text: option("layer", "rules").help }),
        datalist,
        list,
        add,
      ]);
    }

    function firstValue(name) {
      for (const feature of layer() ? layer().features.slice(0, SCAN_LIMIT) : []) {
        const value = (feature.properties || {})[name];
        if (value !== null && value !== undefined && value !== "") return String(value);
      }
      return "";
    }

    /* A located refusal on the control itself (aria-invalid + its message) and said aloud. */
    function showError(control, message) {
      let error = control.parentNode.querySelector(".umap-panel__error");
      if (!error) {
        error = P.el("p", { className: "umap-panel__error", id: P.uid("error") });
        control.parentNode.append(error);
      }
      error.textContent = message;
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-errormessage", error.id);
      P.announce(container, message);
    }

    function popupGroup(current) {
      const name = P.uid("layout");
      const field = option("layer", "popup_layout");
      const layouts = P.choices(field);
      const layout = layouts.some(([value]) => value === current.popup_layout) ? current.popup_layout : field.default;
      const options = layouts.map(([value, text]) => {
        const input = P.el("input", { type: "radio", name, value, id: P.uid("layout"), "data-focus-key": `layout-${value}` });
        input.checked = value === layout;
        input.addEventListener("change", () => {
          if (input.checked) applyLayer(strings.data_changed, (target) => {
            target.popup_layout = value;
          });
        });
        return P.el("div", { className: "umap-panel__field umap-panel__field--inline" }, [input, P.el("label", { for: input.id, text })]);
      });
      return P.el("fieldset", { className: "umap-panel__group" }, [P.el("legend", { text: field.label }), ...options]);
    }

    // --- map: slideshow ----------------------------------------------------------------------

    function slideshowGroup() {
      const options = state.doc.options || {};
      const own = (key) => option("slideshow", key);
      const defaults = {};
      for (const key of ["enabled", "layer", "sort_field", "autoplay", "delay"]) defaults[key] = own(key).default;
      const show = { ...defaults, ...(options.slideshow || {}) };
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
        P.el("legend", { text: label("map", "slideshow") }),
        checkbox("slideshow-enabled", show.enabled, own("enabled").label, (checked) => set({ enabled: checked })),
        P.field(own("layer").label, select("slideshow-layer", layers, show.layer || "", (value) => set({ layer: value || null }))),
        P.field(own("sort_field").label, select("slideshow-sort", sortOptions, show.sort_field, (value) => set({ sort_field: value })), own("sort_field").help),
        checkbox("slideshow-autoplay", show.autoplay, own("autoplay").label, (checked) => set({ autoplay: checked })),
        P.field(own("delay").label, bounded("slideshow-delay", show.delay, own("delay"), (value) => set({ delay: value }))),
      ]);
    }

    // --- rendering ---------------------------------------------------------------------------

    /* Rebuild from the document (undo may have replaced every object); focus returns to the
     * control with the same key. */
    function render() {
      const active = document.activeElement;
      let focusKey = active && container.contains(active) ? active.getAttribute("data-focus-key") : null;
      if (focusNext) {
        focusKey = focusNext; // after adding or removing a rule: its property, or the add button
        focusNext = null;
      }
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
        parts.push(representationGroup(current, fields), rulesGroup(current, fields), zoomGroup(current), filtersGroup(current, fields), popupGroup(current));
      }
      const root = P.el("div", { className: "umap-panel umap-data", "data-umap-panel": isMap ? "data-map" : "data" }, [
        P.el("h3", { className: "umap-panel__heading", text: isMap ? label("map", "slideshow") : strings.data }),
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
