/* The editor's editing tools (issue 17): table columns renamed, retyped and deleted; a feature
 * or a layer duplicated; a line measured or an area; a hole cut in a polygon.
 *
 * The pure parts are on `wagtailUmapEditor.tools` (tested in the browser); the feature and layer
 * actions are the "tools" panel, mounted under the feature panel and the layer settings. Every
 * change is one undoable `state.apply`; every result is said in the editor's status line.
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor) return;

  const RESERVED = new Set(["name", "description"]);

  // --- columns ---------------------------------------------------------------------------------

  /* `{a|b|"text"}` templates: rename the choices that are exactly `from` (quoted text is kept). */
  function renameInTemplate(text, from, to) {
    if (typeof text !== "string" || !text.includes("{")) return text;
    return text.replace(/\{([^{}]+)\}/g, (match, inside) => {
      const parts = inside.split("|").map((choice) => {
        if (/^\s*".*"\s*$/.test(choice) || choice.trim() !== from) return choice;
        return choice.replace(from, to);
      });
      return `{${parts.join("|")}}`;
    });
  }

  /* Why a new column name cannot be used ("" when it can): the message key of the tool strings. */
  function columnNameProblem(layer, from, to) {
    const key = String(to || "").trim();
    if (!key) return "table_column_name_empty";
    if (key.startsWith("_") || RESERVED.has(key)) return "table_column_name_reserved";
    if (key === from) return "table_column_name_same";
    if (layer.features.some((feature) => feature.properties && Object.hasOwn(feature.properties, key))) {
      return "table_column_name_taken";
    }
    return "";
  }

  /* Rename property `from` to `to` in every feature (its place in each feature's properties
   * kept) and in the layer's settings that name it: the name of the features (label_key), the
   * popup template, the filters, the representation's field and the conditional styles. */
  function renameColumn(layer, from, to) {
    for (const feature of layer.features) {
      const properties = feature.properties;
      if (!properties || !Object.hasOwn(properties, from)) continue;
      const renamed = {};
      for (const [key, value] of Object.entries(properties)) renamed[key === from ? to : key] = value;
      feature.properties = renamed;
    }
    if (layer.label_key === from) layer.label_key = to;
    else if (layer.label_key) layer.label_key = renameInTemplate(layer.label_key, from, to);
    if (layer.popup_template) layer.popup_template = renameInTemplate(layer.popup_template, from, to);
    for (const filter of layer.filters || []) {
      if (filter.field === from) filter.field = to;
      if (Array.isArray(filter.fields)) filter.fields = filter.fields.map((name) => (name === from ? to : name));
    }
    if (layer.representation && layer.representation.field === from) layer.representation.field = to;
    for (const rule of layer.rules || []) if (rule.field === from) rule.field = to;
  }

  function deleteColumn(layer, column) {
    let count = 0;
    for (const feature of layer.features) {
      if (feature.properties && Object.hasOwn(feature.properties, column)) {
        delete feature.properties[column];
        count += 1;
      }
    }
    return count;
  }

  const YES = new Set(["oui", "o", "vrai", "true", "yes", "y", "1", "x"]);
  const NO = new Set(["non", "n", "faux", "false", "no", "0"]);

  /* A number written the French way or the computer's: "1 234,5", "1234.5", "-3". */
  function parseNumber(text) {
    const compact = text.replace(/[\s\u00a0\u202f]/g, "");
    if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(compact)) return null;
    const value = Number(compact.replace(",", "."));
    return Number.isFinite(value) ? value : null;
  }

  /* `{ok, value}` of one value in the type `kind` ("text", "number", "boolean"). Empty values
   * stay as they are (`ok` with `same`). */
  function convertValue(value, kind, words = { yes: "oui", no: "non" }) {
    if (value === undefined || value === null || value === "") return { ok: true, same: true, value };
    if (kind === "text") {
      if (typeof value === "string") return { ok: true, same: true, value };
      if (typeof value === "boolean") return { ok: true, value: value ? words.yes : words.no };
      if (typeof value === "number") return { ok: true, value: String(value) };
      return { ok: true, value: JSON.stringify(value) };
    }
    if (kind === "number") {
      if (typeof value === "number") return { ok: true, same: true, value };
      if (typeof value === "string") {
        const number = parseNumber(value);
        return number === null ? { ok: false } : { ok: true, value: number };
      }
      return { ok: false };
    }
    if (kind === "boolean") {
      if (typeof value === "boolean") return { ok: true, same: true, value };
      if (typeof value === "number") return value === 1 || value === 0 ? { ok: true, value: value === 1 } : { ok: false };
      if (typeof value === "string") {
        const word = value.trim().toLocaleLowerCase();
        if (YES.has(word)) return { ok: true, value: true };
        if (NO.has(word)) return { ok: true, value: false };
      }
      return { ok: false };
    }
    return { ok: false };
  }

  /* What retyping column `column` of `layer` would do, without doing it: `changes`
   * ([feature, new value]) and `failures` ({row (1-based, the layer's order), feature, value}). */
  function planRetype(layer, column, kind, words) {
    const changes = [];
    const failures = [];
    layer.features.forEach((feature, index) => {
      const properties = feature.properties || {};
      if (!Object.hasOwn(properties, column)) return;
      const result = convertValue(properties[column], kind, words);
      if (!result.ok) failures.push({ row: index + 1, feature, value: properties[column] });
      else if (!result.same) changes.push([feature, result.value]);
    });
    return { changes, failures };
  }

  /* The type a column has now: "number" or "boolean" when every value present is one, else
   * "text". */
  function columnType(layer, column) {
    let kind = null;
    for (const feature of layer.features) {
      const value = (feature.properties || {})[column];
      if (value === undefined || value === null || value === "") continue;
      const own = typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "text";
      if (kind && kind !== own) return "text";
      kind = own;
    }
    return kind || "text";
  }

  editor.tools = Object.assign(editor.tools || {}, {
    renameInTemplate,
    columnNameProblem,
    renameColumn,
    deleteColumn,
    parseNumber,
    convertValue,
    planRetype,
    columnType,
  });
})();
