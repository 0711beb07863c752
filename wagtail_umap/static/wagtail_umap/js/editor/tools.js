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

  /* A number written the French way or the computer's: "1 234,5", "1234.5", "-3", "−3"; else
   * null. */
  function parseNumber(text) {
    const compact = String(text ?? "").replace(/[\s\u00a0\u202f]/g, "").replace(/^\u2212/, "-");
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

  // --- measures (wagtail_umap/core/measure.py computes the same) -------------------------------
  // Lengths on the sphere of the Earth's mean radius (haversine), areas on the sphere of the
  // same surface as the WGS 84 ellipsoid (the authalic radius): within 0.5 % of the ellipsoid
  // at the scale of a commune, which is what an agent asks of "how long, how large".

  const MEAN_RADIUS = 6371008.8;
  const AUTHALIC_RADIUS = 6371007.2;
  const RAD = Math.PI / 180;

  function distance([lng1, lat1], [lng2, lat2]) {
    const dLat = (lat2 - lat1) * RAD;
    const dLng = (lng2 - lng1) * RAD;
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
    return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function lineLength(positions) {
    let total = 0;
    for (let i = 1; i < positions.length; i += 1) total += distance(positions[i - 1], positions[i]);
    return total;
  }

  /* The area enclosed by a ring, in m² (always positive), by the spherical excess of its
   * trapezoids to the pole. */
  function ringArea(ring) {
    const n = ring.length;
    if (n < 4) return 0;
    let sum = 0;
    for (let i = 0; i < n - 1; i += 1) {
      const [lng1, lat1] = ring[i];
      const [lng2, lat2] = ring[i + 1];
      sum += (lng2 - lng1) * RAD * (2 + Math.sin(lat1 * RAD) + Math.sin(lat2 * RAD));
    }
    return Math.abs((sum * AUTHALIC_RADIUS * AUTHALIC_RADIUS) / 2);
  }

  function polygonArea(rings) {
    if (!rings.length) return 0;
    return Math.max(0, rings.slice(1).reduce((area, hole) => area - ringArea(hole), ringArea(rings[0])));
  }

  /* {kind: "length", length} of a line, {kind: "area", area, perimeter} of a polygon (holes
   * taken out; the perimeter is the outer rings'), null for points. */
  function measure(geometry) {
    if (!geometry) return null;
    const c = geometry.coordinates;
    switch (geometry.type) {
      case "LineString":
        return { kind: "length", length: lineLength(c) };
      case "MultiLineString":
        return { kind: "length", length: c.reduce((sum, line) => sum + lineLength(line), 0) };
      case "Polygon":
        return { kind: "area", area: polygonArea(c), perimeter: c.length ? lineLength(c[0]) : 0 };
      case "MultiPolygon":
        return {
          kind: "area",
          area: c.reduce((sum, rings) => sum + polygonArea(rings), 0),
          perimeter: c.reduce((sum, rings) => sum + (rings.length ? lineLength(rings[0]) : 0), 0),
        };
      default:
        return null;
    }
  }

  function number(value, digits, lang) {
    return new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  }

  /* "7,5 m", "850 m", "1,25 km", "12,3 km", "1 234 km" (the page's language's numbers; a
   * no-break space before the unit, so that a line never ends between them). */
  function formatLength(metres, lang = document.documentElement.lang || "fr") {
    if (metres < 10) return `${number(metres, 1, lang)}\u00a0m`;
    if (metres < 1000) return `${number(Math.round(metres), 0, lang)}\u00a0m`;
    const km = metres / 1000;
    return `${number(km, km < 10 ? 2 : km < 100 ? 1 : 0, lang)}\u00a0km`;
  }

  /* "850 m²", "12,35 ha" (from 1 ha), "3,45 km²" (from 1 km²). */
  function formatArea(squareMetres, lang = document.documentElement.lang || "fr") {
    if (squareMetres < 10000) return `${number(Math.round(squareMetres), 0, lang)}\u00a0m²`;
    if (squareMetres < 1e6) return `${number(squareMetres / 10000, 2, lang)}\u00a0ha`;
    return `${number(squareMetres / 1e6, 2, lang)}\u00a0km²`;
  }

  // --- duplicates ------------------------------------------------------------------------------

  const round6 = (value) => Math.round(value * 1e6) / 1e6;

  /* A copy of `geometry` moved by (dLng, dLat) degrees, positions rounded as the editor's. */
  function offsetGeometry(geometry, dLng, dLat) {
    const move = (c) => (typeof c[0] === "number"
      ? [round6(L.Util.wrapNum(c[0] + dLng, [-180, 180], true)), round6(Math.max(-90, Math.min(90, c[1] + dLat))), ...c.slice(2)]
      : c.map(move));
    if (geometry.type === "GeometryCollection") {
      return { ...geometry, geometries: geometry.geometries.map((g) => offsetGeometry(g, dLng, dLat)) };
    }
    return { ...geometry, coordinates: move(geometry.coordinates) };
  }

  /* A copy of `feature`, moved, its name (the layer's name key) followed by `suffix`. */
  function duplicateFeature(feature, { dLng = 0, dLat = 0, nameKey = "name", suffix = "" } = {}) {
    const copy = JSON.parse(JSON.stringify(feature));
    if (copy.geometry) copy.geometry = offsetGeometry(copy.geometry, dLng, dLat);
    const properties = copy.properties || (copy.properties = {});
    if (suffix && typeof properties[nameKey] === "string" && properties[nameKey]) properties[nameKey] += suffix;
    return copy;
  }

  function newLayerId() {
    const bytes = new Uint8Array(6);
    crypto.getRandomValues(bytes);
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* A copy of `layer` (settings and features) under a new id and `name`. */
  function duplicateLayer(layer, name, taken = new Set()) {
    const copy = JSON.parse(JSON.stringify(layer));
    let id = newLayerId();
    while (taken.has(id)) id = newLayerId();
    copy.id = id;
    copy.name = name;
    delete copy.data; // a stored reference is the original's; the copy's features travel inline
    delete copy.pending;
    return copy;
  }

  // --- holes -----------------------------------------------------------------------------------

  function inRing([x, y], ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function crosses(a, b, c, d) {
    const side = (p, q, r) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
    return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
  }

  function ringsCross(first, second) {
    for (let i = 1; i < first.length; i += 1) {
      for (let j = 1; j < second.length; j += 1) {
        if (crosses(first[i - 1], first[i], second[j - 1], second[j])) return true;
      }
    }
    return false;
  }

  function closed(ring) {
    const [first, last] = [ring[0], ring[ring.length - 1]];
    return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  }

  /* Where the ring `hole` may go in a Polygon or MultiPolygon: {part} (the polygon's index in
   * a MultiPolygon, 0 for a Polygon), or {problem} (a tool string's key) when it is not inside
   * one outer ring, or crosses or overlaps a hole already there. */
  function holePlace(geometry, hole) {
    const ring = closed(hole);
    if (ring.length < 4) return { problem: "tools_hole_too_short" };
    const parts = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    const vertices = ring.slice(0, -1);
    const part = parts.findIndex((rings) => rings.length && vertices.every((v) => inRing(v, rings[0])));
    if (part < 0 || ringsCross(ring, parts[part][0])) return { problem: "tools_hole_outside" };
    for (const other of parts[part].slice(1)) {
      if (ringsCross(ring, other) || vertices.some((v) => inRing(v, other)) || other.some((v) => inRing(v, ring))) {
        return { problem: "tools_hole_overlaps" };
      }
    }
    return { part };
  }

  /* Add the hole (closed, rounded) to the geometry, in place; its ring index. */
  function addHole(geometry, hole, part) {
    const ring = closed(hole).map(([lng, lat]) => [round6(lng), round6(lat)]);
    const rings = geometry.type === "Polygon" ? geometry.coordinates : geometry.coordinates[part];
    rings.push(ring);
    return rings.length - 1;
  }

  editor.tools = Object.assign(editor.tools || {}, {
    offsetGeometry,
    duplicateFeature,
    duplicateLayer,
    holePlace,
    addHole,
    distance,
    lineLength,
    ringArea,
    measure,
    formatLength,
    formatArea,
    renameInTemplate,
    columnNameProblem,
    renameColumn,
    deleteColumn,
    parseNumber,
    convertValue,
    planRetype,
    columnType,
  });

  // --- the "tools" panel: under the feature panel and in the layer settings ---------------------

  const MEASURED = new Set(["LineString", "MultiLineString", "Polygon", "MultiPolygon"]);
  const HOLED = new Set(["Polygon", "MultiPolygon"]);
  const COPY_OFFSET_PX = 12; // a duplicate lands this far right and down, visibly apart

  function measureText(strings, feature, name) {
    const result = measure(feature.geometry);
    if (!result) return "";
    if (result.kind === "length") return format(strings.tools_measure_length, { name, length: formatLength(result.length) });
    return format(strings.tools_measure_area, { name, area: formatArea(result.area), perimeter: formatLength(result.perimeter) });
  }

  function format(template, params) {
    return editor.panelKit ? editor.panelKit.format(template, params) : String(template || "");
  }

  /* The rings of the holes: [{part, ring}] with their number in the feature (1-based). */
  function holesOf(geometry) {
    const parts = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    const holes = [];
    parts.forEach((rings, part) => rings.slice(1).forEach((ring, index) => holes.push({ part, index: index + 1 })));
    return holes;
  }

  /* Drawing a hole borrows the editor's polygon tool: what it draws becomes a ring of the
   * polygon chosen before, instead of a new feature; Escape gives the polygon back. */
  function hookHoleDrawing(mapView, view, state, strings) {
    if (mapView.umapHoleHooked) return;
    mapView.umapHoleHooked = true;
    const drawn = mapView.onDrawn;
    const ended = mapView.onDrawEnd;
    mapView.onDrawn = (shape, geometry) => {
      const pending = mapView.umapHole;
      if (!pending || shape !== "Polygon") return drawn ? drawn(shape, geometry) : undefined;
      mapView.umapHole = null;
      view.updateDrawButtons();
      finishHole(state, view, strings, pending.feature, geometry.coordinates[0]);
      return null;
    };
    mapView.onDrawEnd = () => {
      if (ended) ended();
      const pending = mapView.umapHole;
      if (pending && !mapView.drawing) {
        mapView.umapHole = null; // cancelled: back to the polygon
        if (state.layerOf(pending.feature)) state.select(pending.feature);
        // After the editor's own "drawing cancelled" and its focus on the map.
        window.setTimeout(() => {
          view.announce(strings.tools_hole_cancelled);
          focusTool(view, "tools-hole");
        }, 0);
      }
    };
  }

  function finishHole(state, view, strings, feature, ring) {
    if (!state.layerOf(feature)) return;
    const name = state.featureName(feature) || strings.unnamed || "—";
    const place = holePlace(feature.geometry, ring);
    state.select(feature);
    if (place.problem) {
      view.announce(format(strings[place.problem], { name }));
      focusTool(view, "tools-hole");
      return;
    }
    let number = 0;
    state.apply(format(strings.tools_hole_added, { name }), () => {
      addHole(feature.geometry, ring, place.part);
      number = holesOf(feature.geometry).length;
    }, { features: [feature] });
    const hole = { type: "Polygon", coordinates: [closed(ring)] };
    view.announce(format(strings.tools_hole_added_announce, { name, number, area: formatArea(measure(hole).area) }));
    focusTool(view, "tools-hole");
  }

  /* The measure tool: while a line, a polygon or a hole is drawn, its length so far (and the
   * area it closes) shows beside "Finish the shape" and follows each vertex's announcement in
   * the status line; Escape throws the drawing away, so drawing is also measuring. */
  function hookLiveMeasure(mapView, view, strings) {
    if (mapView.umapMeasureHooked || !view.drawHelp) return;
    mapView.umapMeasureHooked = true;
    const out = editor.panelKit.el("span", { className: "umap-tools__live-measure", "data-umap-live-measure": "" });
    view.drawHelp.append(" ", out);
    let drawing = null;
    const text = () => {
      if (!drawing) return "";
      const positions = drawing.layer.getLatLngs().map((ll) => [ll.lng, ll.lat]);
      if (positions.length < 2) return "";
      if (drawing.shape === "Polygon" && positions.length >= 3) {
        const ring = [...positions, positions[0]];
        return format(strings.tools_measure_drawing_area, { length: formatLength(lineLength(ring)), area: formatArea(ringArea(ring)) });
      }
      return format(strings.tools_measure_drawing, { length: formatLength(lineLength(positions)) });
    };
    const update = (event) => {
      const said = text();
      out.textContent = said;
      if (said && event && event.type === "pm:vertexadded") {
        // After the editor's "Vertex N placed: …" (said once the vertex is there).
        window.setTimeout(() => {
          if (view.status && !view.status.textContent.includes(said)) view.status.textContent += ` ${said}`;
        }, 0);
      }
    };
    mapView.map.on("pm:drawstart", (event) => {
      if (event.shape !== "Line" && event.shape !== "Polygon") return;
      drawing = { shape: event.shape, layer: event.workingLayer };
      event.workingLayer.on("pm:vertexadded pm:vertexremoved", update);
      update();
    });
    mapView.map.on("pm:drawend", () => {
      drawing = null;
      out.textContent = "";
    });
  }

  function focusTool(view, key) {
    const button = view.root.querySelector(`[data-focus-key="${key}"]`);
    if (button) button.focus();
  }

  function featureTools(state, container, strings, context) {
    const P = editor.panelKit;
    const view = context.editor;
    const mapView = context.mapView;
    const feature = context.feature;
    const result = P.el("p", { className: "umap-tools__measure", hidden: true });
    const body = P.el("div", { className: "umap-tools__buttons" });
    const holes = P.el("ul", { className: "umap-tools__holes" });
    const heading = P.el("h4", { id: P.uid("tools"), text: strings.tools_heading });
    const root = P.el("section", { className: "umap-panel umap-tools", "data-umap-panel": "tools", "aria-labelledby": heading.id }, [heading, body, result, holes]);
    container.append(root);

    const button = (text, key, action, className = "button button-small button-secondary") => {
      const node = P.el("button", { type: "button", className, "data-focus-key": key, text });
      node.addEventListener("click", action);
      return node;
    };
    const nameOf = () => state.featureName(feature) || strings.unnamed || "—";
    hookLiveMeasure(mapView, view, strings);

    function duplicate() {
      const layer = state.layerOf(feature);
      if (!layer || state.readOnly) return;
      const map = mapView.map;
      const from = map.containerPointToLatLng([0, 0]);
      const to = map.containerPointToLatLng([COPY_OFFSET_PX, COPY_OFFSET_PX]);
      const copy = duplicateFeature(feature, {
        dLng: to.lng - from.lng,
        dLat: to.lat - from.lat,
        nameKey: state.nameKey(layer),
        suffix: strings.tools_copy_suffix,
      });
      const name = nameOf();
      state.apply(format(strings.tools_duplicated, { name }), () => {
        const target = state.layer(layer.id);
        target.features.splice(target.features.indexOf(feature) + 1, 0, copy);
      }, { layers: [layer.id] });
      state.select(copy);
      view.announce(format(strings.tools_duplicated_announce, { name, copy: state.featureName(copy) || strings.unnamed || "—" }));
      const nameField = view.root.querySelector("[data-focus-key=feature-name]");
      if (nameField) nameField.focus();
    }

    function measureIt() {
      const text = measureText(strings, feature, nameOf());
      result.textContent = text;
      result.hidden = !text;
      view.announce(text);
    }

    function startHole() {
      if (state.readOnly) return;
      hookHoleDrawing(mapView, view, state, strings);
      if (mapView.drawing) mapView.stopDraw();
      const name = nameOf();
      view.toggleDraw("Polygon"); // deselects: this panel goes; the hook keeps the polygon
      mapView.umapHole = { feature };
      view.announce(format(strings.tools_hole_start, { name }));
    }

    function removeHole(hole) {
      const name = nameOf();
      state.apply(format(strings.tools_hole_removed, { name, number: hole.number }), () => {
        const rings = feature.geometry.type === "Polygon" ? feature.geometry.coordinates : feature.geometry.coordinates[hole.part];
        rings.splice(hole.index, 1);
      }, { features: [feature] });
      focusTool(view, "tools-hole");
    }

    function render() {
      if (!state.layerOf(feature)) return;
      const type = feature.geometry && feature.geometry.type;
      const buttons = [button(strings.tools_duplicate, "tools-duplicate", duplicate)];
      if (MEASURED.has(type)) buttons.push(button(strings.tools_measure, "tools-measure", measureIt));
      if (HOLED.has(type)) buttons.push(button(strings.tools_hole_add, "tools-hole", startHole));
      body.replaceChildren(...buttons);
      if (!result.hidden) result.textContent = measureText(strings, feature, nameOf());
      const list = HOLED.has(type) ? holesOf(feature.geometry) : [];
      holes.replaceChildren(...list.map((hole, index) => {
        const numbered = { ...hole, number: index + 1 };
        return P.el("li", {}, [button(format(strings.tools_hole_remove, { number: index + 1 }), `tools-hole-remove-${index + 1}`, () => removeHole(numbered), "button button-small no")]);
      }));
      holes.hidden = !list.length;
      if (state.readOnly) for (const node of root.querySelectorAll("button")) node.disabled = true;
    }

    render();
    return { update: render, destroy: () => container.replaceChildren() };
  }

  function layerTools(state, container, strings, context) {
    const P = editor.panelKit;
    const view = context.editor;
    if (context.mapView) hookLiveMeasure(context.mapView, view, strings);
    const duplicateButton = P.el("button", { type: "button", className: "button button-small button-secondary", "data-focus-key": "tools-layer-duplicate" });
    const root = P.el("div", { className: "umap-tools umap-tools--layer", "data-umap-panel": "layer-tools" }, [duplicateButton]);
    container.append(root);

    function duplicate() {
      const layer = state.layer(context.layerId);
      if (!layer || state.readOnly) return;
      const copy = duplicateLayer(layer, format(strings.tools_layer_copy_name, { name: layer.name }), new Set(state.layers.map((l) => l.id)));
      state.apply(format(strings.tools_layer_duplicated, { name: layer.name }), (doc) => {
        doc.layers.splice(doc.layers.findIndex((l) => l.id === layer.id) + 1, 0, copy);
      }, { layers: [] });
      view.setCurrentLayer(copy.id);
      view.announce(format(strings.tools_layer_duplicated_announce, { name: copy.name, count: copy.features.length }));
      focusTool(view, `pick-${copy.id}`);
    }

    function render() {
      const layer = state.layer(context.layerId);
      if (!layer) return;
      duplicateButton.textContent = format(strings.tools_layer_duplicate, { name: layer.name });
      duplicateButton.disabled = Boolean(state.readOnly);
    }
    duplicateButton.addEventListener("click", duplicate);
    render();
    return { update: render, destroy: () => container.replaceChildren() };
  }

  /* The map's own filters (options.filters): one filter for every layer that has the
   * property. Kinds, labels and help come from the schema, like the layers' filters. */
  function mapTools(state, container, strings, context) {
    const P = editor.panelKit;
    const view = context.editor;
    const option = (scope, key) => P.option(state, scope, key);
    const declared = option("map", "filters");
    const headingId = P.uid("map-filters");
    const list = P.el("ol", { className: "umap-tools__filters" });
    const add = P.el("button", { type: "button", className: "button button-small button-secondary", "data-focus-key": "mapfilter-add", text: strings.tools_map_filter_add });
    const fieldsId = P.uid("map-filter-fields");
    const datalist = P.el("datalist", { id: fieldsId });
    const root = P.el("section", { className: "umap-panel umap-tools umap-tools--map", "data-umap-panel": "map-filters", "aria-labelledby": headingId }, [
      P.el("h4", { id: headingId, text: declared.label }),
      declared.help ? P.el("p", { className: "umap-panel__hint", text: declared.help }) : null,
      list,
      add,
      datalist,
    ]);
    container.append(root);

    function properties() {
      const names = new Set();
      for (const layer of state.layers) {
        for (const feature of layer.features.slice(0, 500)) {
          for (const key of Object.keys(feature.properties || {})) if (!key.startsWith("_")) names.add(key);
        }
      }
      return [...names];
    }

    function current() {
      return JSON.parse(JSON.stringify(state.doc.options.filters || []));
    }

    function save(label, next, focusKey) {
      state.apply(label, (doc) => {
        if (next.length) doc.options.filters = next;
        else delete doc.options.filters;
      }, { options: true });
      if (focusKey) focusTool(view, focusKey);
    }

    function row(filter, index) {
      const number = index + 1;
      const key = (name) => `mapfilter-${number}-${name}`;
      const type = P.el("select", { "data-focus-key": key("type") }, P.choices(option("filter", "type")).map(([value, label]) => P.el("option", { value, text: label })));
      type.value = filter.type;
      type.addEventListener("change", () => {
        const next = current();
        const field = next[index].field || (next[index].fields || [])[0] || "";
        next[index] = type.value === "search" ? { type: type.value, fields: field ? [field] : [], label: next[index].label || "" } : { type: type.value, field, label: next[index].label || "" };
        save(strings.tools_map_filters_changed, next, key("type"));
      });
      const search = filter.type === "search";
      const property = P.el("input", { type: "text", list: fieldsId, autocomplete: "off", "data-focus-key": key("field") });
      property.value = search ? (filter.fields || []).join(", ") : filter.field || "";
      const error = P.el("p", { className: "umap-panel__error", id: P.uid("map-filter-error"), hidden: true, text: strings.tools_map_filter_needs_field });
      property.setAttribute("aria-describedby", error.id);
      property.addEventListener("change", () => {
        const names = property.value.split(",").map((name) => name.trim()).filter(Boolean);
        error.hidden = names.length > 0;
        property.setAttribute("aria-invalid", names.length ? "false" : "true");
        if (!names.length) return;
        const next = current();
        if (search) next[index].fields = names;
        else next[index].field = names[0];
        save(strings.tools_map_filters_changed, next, key("field"));
      });
      const label = P.el("input", { type: "text", "data-focus-key": key("label"), maxlength: option("filter", "label").max_length || 200 });
      label.value = filter.label || "";
      label.addEventListener("change", () => {
        const next = current();
        next[index].label = label.value.trim();
        save(strings.tools_map_filters_changed, next, key("label"));
      });
      const remove = P.el("button", { type: "button", className: "button button-small no", "data-focus-key": key("remove"), text: format(strings.tools_map_filter_remove, { number }) });
      remove.addEventListener("click", () => {
        const next = current();
        next.splice(index, 1);
        save(format(strings.tools_map_filter_removed, { number }), next, next.length ? `mapfilter-${Math.min(number, next.length)}-type` : "mapfilter-add");
      });
      return P.el("li", { "aria-label": format(strings.tools_map_filter_number, { number }) }, [
        P.field(option("filter", "type").label, type),
        P.field(search ? option("filter", "fields").label : option("filter", "field").label, property),
        error,
        P.field(option("filter", "label").label, label, option("filter", "label").help),
        remove,
      ]);
    }

    add.addEventListener("click", () => {
      const next = current();
      if (next.length >= (declared.max_length || 10)) return;
      next.push({ type: "category", field: properties()[0] || "", label: "" });
      save(strings.tools_map_filter_added, next, `mapfilter-${next.length}-type`);
    });

    function render() {
      const filters = state.doc.options.filters || [];
      list.replaceChildren(...filters.map(row));
      datalist.replaceChildren(...properties().map((name) => P.el("option", { value: name })));
      add.disabled = Boolean(state.readOnly) || filters.length >= (declared.max_length || 10);
    }
    render();
    return { update: render, destroy: () => container.replaceChildren() };
  }

  function toolsPanel(state, container, strings, context) {
    if (!editor.panelKit || !context.editor) return null;
    if (context.target === "map") return mapTools(state, container, strings, context);
    if (context.target === "layer") return layerTools(state, container, strings, context);
    if (context.feature) return featureTools(state, container, strings, context);
    return null;
  }

  if (editor.registerPanel) editor.registerPanel("tools", toolsPanel);
})();
