/* Positions without a mouse: the vertices of a geometry, the selected feature's coordinates and
 * the map's crosshair.
 *
 * - `wagtailUmapEditor.geometry`: the vertices of a GeoJSON geometry in a flat, numbered list
 *   (a ring's closing position is not a vertex of its own), and edits of one vertex that keep
 *   rings closed and shapes valid (a line keeps 2 vertices, a ring 3).
 * - panel "position" (feature panel): latitude and longitude of a point, or the numbered list of
 *   a line's or polygon's vertices, each with its two labelled fields, "Remove" and "Insert a
 *   vertex after"; every change is one undoable edit, announced.
 * - panel "goto" (under the map): where the crosshair is (typed coordinates move the map there),
 *   an address search with the site's geocoder, and the buttons that place a marker or a vertex
 *   at the crosshair: the keyboard's (and a single pointer's) way to draw.
 *
 * Numbers are shown and read in the admin's language ("48,8566" in French); typed numbers may
 * use a comma or a point.
 */
(function () {
  "use strict";

  const api = (window.wagtailUmapEditor = window.wagtailUmapEditor || {});
  const VERTICES_PER_PAGE = 50;
  const DECIMALS = 6;

  /* --- geometry ------------------------------------------------------------------------- */

  const RING_DEPTH = { Polygon: 1, MultiPolygon: 2 }; // depth at which arrays are rings

  function isPosition(value) {
    return Array.isArray(value) && typeof value[0] === "number";
  }

  /* [{path, lng, lat}] of every vertex, depth first; closing positions of rings left out. */
  function vertices(geometry) {
    const found = [];
    if (!geometry || !geometry.coordinates) return found;
    const ringDepth = RING_DEPTH[geometry.type];
    const walk = (value, path) => {
      if (isPosition(value)) {
        found.push({ path, lng: value[0], lat: value[1] });
        return;
      }
      const closed = path.length === ringDepth;
      const count = closed && value.length > 1 ? value.length - 1 : value.length;
      for (let i = 0; i < count; i += 1) walk(value[i], path.concat(i));
    };
    walk(geometry.coordinates, []);
    return found;
  }

  function parentOf(geometry, path) {
    let value = geometry.coordinates;
    for (const index of path.slice(0, -1)) value = value[index];
    return value;
  }

  function isRing(geometry, path) {
    return path.length - 1 === RING_DEPTH[geometry.type];
  }

  function round(value) {
    return Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;
  }

  /* Move the vertex at `path` (a Point's path is []); a ring's first vertex moves its closing
   * position too. Altitude, when there is one, is kept. */
  function setVertex(geometry, path, lng, lat) {
    const position = [round(lng), round(lat)];
    if (!path.length) {
      geometry.coordinates = position.concat(geometry.coordinates.slice(2));
      return;
    }
    const parent = parentOf(geometry, path);
    const index = path[path.length - 1];
    parent[index] = position.concat(parent[index].slice(2));
    if (isRing(geometry, path) && index === 0) parent[parent.length - 1] = parent[0].slice();
  }

  /* How many vertices the part holding `path` has (a ring's closing position not counted). */
  function partSize(geometry, path) {
    const parent = parentOf(geometry, path);
    return isRing(geometry, path) ? parent.length - 1 : parent.length;
  }

  function canRemove(geometry, path) {
    if (!path.length || geometry.type === "MultiPoint") return geometry.type === "MultiPoint" && geometry.coordinates.length > 1;
    return partSize(geometry, path) > (isRing(geometry, path) ? 3 : 2);
  }

  function removeVertex(geometry, path) {
    if (!canRemove(geometry, path)) return false;
    const parent = parentOf(geometry, path);
    const index = path[path.length - 1];
    parent.splice(index, 1);
    if (isRing(geometry, path) && index === 0) parent[parent.length - 1] = parent[0].slice();
    return true;
  }

  /* A new vertex halfway between the one at `path` and the next (a ring wraps round). */
  function insertAfter(geometry, path) {
    if (!path.length || geometry.type === "MultiPoint") return false;
    const parent = parentOf(geometry, path);
    const index = path[path.length - 1];
    const ring = isRing(geometry, path);
    const size = partSize(geometry, path);
    const next = index + 1 < size ? parent[index + 1] : ring ? parent[0] : null;
    const here = parent[index];
    const position = next
      ? [round((here[0] + next[0]) / 2), round((here[1] + next[1]) / 2)]
      : [here[0], here[1]];
    parent.splice(index + 1, 0, position);
    return true;
  }

  /* A MultiPoint's new point at (lng, lat), right after the one at `path`. */
  function insertPointAfter(geometry, path, lng, lat) {
    if (geometry.type !== "MultiPoint" || path.length !== 1) return false;
    geometry.coordinates.splice(path[0] + 1, 0, [round(lng), round(lat)]);
    return true;
  }

  api.geometry = { vertices, setVertex, removeVertex, canRemove, insertAfter, insertPointAfter, round };

  /* --- numbers and DOM ------------------------------------------------------------------ */

  function language() {
    return document.documentElement.lang || "fr";
  }

  function formatNumber(value, digits = DECIMALS) {
    return new Intl.NumberFormat(language(), { maximumFractionDigits: digits, useGrouping: false }).format(value);
  }

  /* "48,8566" or "48.8566" (or "-1,5"): a finite number, else null (tools.js reads numbers). */
  const parseNumber = (text) => api.tools.parseNumber(text);

  function format(text, params = {}) {
    return String(text || "").replace(/%\((\w+)\)s/g, (_, key) => (key in params ? params[key] : ""));
  }

  let counter = 0;
  function uid(prefix) {
    counter += 1;
    return `umap-${prefix}-${counter}`;
  }

  // The editor's element builder (editor.js), read when called: this file may load first.
  const h = (...args) => window.wagtailUmapEditor.h(...args);

  /* A text field for a coordinate; Enter applies it (and never submits Wagtail's form). */
  function coordinateInput(attrs, apply) {
    const input = h("input", {
      type: "text",
      inputmode: "decimal",
      autocomplete: "off",
      spellcheck: "false",
      class: "umap-editor__input umap-editor__coordinate",
      ...attrs,
    });
    input.addEventListener("change", () => apply(input));
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      apply(input);
    });
    return input;
  }

  function positionText(strings, lat, lng) {
    return format(strings.position_text, { lat: formatNumber(lat), lng: formatNumber(lng) });
  }

  /* Check a latitude or longitude typed in `input`; show the error next to it (text, not colour
   * alone). Returns the number or null. */
  function checked(input, error, strings, axis) {
    const value = parseNumber(input.value);
    const limit = axis === "lat" ? 90 : 180;
    const message = value === null
      ? strings.position_not_a_number
      : Math.abs(value) > limit
        ? format(strings[axis === "lat" ? "position_lat_range" : "position_lng_range"], { value: formatNumber(value) })
        : "";
    error.textContent = message ? `⚠ ${message}` : "";
    error.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    return message ? null : value;
  }

  /* --- panel "position": the selected feature's coordinates ----------------------------- */

  function positionPanel(state, container, strings, context) {
    const geo = api.geometry;
    let page = 0;
    const feature = () => (state.selection && state.selection.feature) || context.feature;
    const nameOf = (f) => state.featureName(f) || strings.unnamed;

    function moveVertex(target, path, lng, lat, label) {
      state.apply(label, () => geo.setVertex(target.geometry, path, lng, lat), { features: [target] });
    }

    function pointFields(target) {
      const [lng, lat] = target.geometry.coordinates;
      const error = h("p", { class: "umap-editor__field-error", id: uid("position-error"), hidden: true, role: "alert" });
      const latInput = coordinateInput({ id: uid("lat"), "aria-describedby": error.id, "data-axis": "lat" }, apply);
      const lngInput = coordinateInput({ id: uid("lng"), "aria-describedby": error.id, "data-axis": "lng" }, apply);
      latInput.value = formatNumber(lat);
      lngInput.value = formatNumber(lng);
      function apply() {
        const newLat = checked(latInput, error, strings, "lat");
        const newLng = newLat === null ? null : checked(lngInput, error, strings, "lng");
        if (newLat === null || newLng === null) return;
        const [oldLng, oldLat] = target.geometry.coordinates;
        if (geo.round(newLat) === oldLat && geo.round(newLng) === oldLng) return;
        moveVertex(target, [], newLng, newLat, format(strings.point_moved, { position: positionText(strings, newLat, newLng) }));
      }
      const toCentre = h("button", {
        type: "button",
        class: "button button-small button-secondary",
        "data-focus-key": "position-to-centre",
        onclick: () => {
          const centre = context.mapView.crosshairLatLng();
          moveVertex(target, [], centre.lng, centre.lat, format(strings.point_moved, { position: positionText(strings, centre.lat, centre.lng) }));
        },
      }, strings.position_to_crosshair);
      return h("fieldset", { class: "umap-editor__position" },
        h("legend", { text: strings.position }),
        h("p", { class: "help", text: strings.position_help_point }),
        h("div", { class: "umap-editor__coordinates" },
          h("div", { class: "umap-editor__field" }, h("label", { for: latInput.id, text: strings.latitude }), latInput),
          h("div", { class: "umap-editor__field" }, h("label", { for: lngInput.id, text: strings.longitude }), lngInput)),
        error,
        h("p", { class: "umap-editor__actions" }, toCentre));
    }

    // The words of the list: a MultiPoint's entries are points, a shape's are vertices.
    function listWords(multi) {
      const word = (point, vertex) => strings[multi ? point : vertex];
      return {
        heading: word("points_heading", "vertices_heading"),
        of: word("points_of", "vertices_of"),
        help: word("position_help_points", "position_help_shape"),
        column: word("multipoint_point", "vertex"),
        number: word("multipoint_number", "vertex_number"),
        latitude: word("multipoint_latitude", "vertex_latitude"),
        longitude: word("multipoint_longitude", "vertex_longitude"),
        remove: word("multipoint_remove", "vertex_remove"),
        removed: word("multipoint_removed", "vertex_removed"),
        moved: word("multipoint_moved", "vertex_moved"),
        insert: word("multipoint_insert", "vertex_insert"),
        inserted: word("multipoint_inserted", "vertex_inserted"),
      };
    }

    // A new entry after `path`: a shape's vertex halfway to the next, a MultiPoint's point at
    // the crosshair (where a keyboard places what it adds).
    function insertAfter(target, path) {
      if (target.geometry.type !== "MultiPoint") return geo.insertAfter(target.geometry, path);
      const centre = context.mapView.crosshairLatLng();
      return geo.insertPointAfter(target.geometry, path, centre.lng, centre.lat);
    }

    function vertexList(target) {
      const words = listWords(target.geometry.type === "MultiPoint");
      const all = geo.vertices(target.geometry);
      const pages = Math.max(1, Math.ceil(all.length / VERTICES_PER_PAGE));
      page = Math.min(page, pages - 1);
      const start = page * VERTICES_PER_PAGE;
      const shown = all.slice(start, start + VERTICES_PER_PAGE);
      const name = nameOf(target);
      const error = h("p", { class: "umap-editor__field-error", id: uid("vertex-error"), hidden: true, role: "alert" });
      const rows = shown.map((vertex, offset) => {
        const number = start + offset + 1;
        const key = `vertex-${number}`;
        const apply = () => {
          const lat = checked(latInput, error, strings, "lat");
          const lng = lat === null ? null : checked(lngInput, error, strings, "lng");
          if (lat === null || lng === null) return;
          // Compared with the vertex as it is now (a change event may come after an Enter).
          const now = geo.vertices(target.geometry).find((v) => v.path.join() === vertex.path.join());
          if (!now || (geo.round(lat) === now.lat && geo.round(lng) === now.lng)) return;
          moveVertex(target, vertex.path, lng, lat, format(words.moved, { number, position: positionText(strings, lat, lng) }));
        };
        const latInput = coordinateInput({ "aria-label": format(words.latitude, { number }), "data-focus-key": `${key}-lat`, "aria-describedby": error.id }, apply);
        const lngInput = coordinateInput({ "aria-label": format(words.longitude, { number }), "data-focus-key": `${key}-lng`, "aria-describedby": error.id }, apply);
        latInput.value = formatNumber(vertex.lat);
        lngInput.value = formatNumber(vertex.lng);
        const remove = h("button", {
          type: "button",
          class: "umap-editor__icon",
          "aria-label": format(words.remove, { number }),
          title: format(words.remove, { number }),
          "data-focus-key": `${key}-remove`,
          disabled: !geo.canRemove(target.geometry, vertex.path),
          onclick: () => state.apply(format(words.removed, { number }), () => geo.removeVertex(target.geometry, vertex.path), { features: [target] }),
        }, h("span", { "aria-hidden": "true", class: "umap-editor__glyph", "data-icon": "✕" }));
        const insert = h("button", {
          type: "button",
          class: "umap-editor__icon",
          "aria-label": format(words.insert, { number }),
          title: format(words.insert, { number }),
          "data-focus-key": `${key}-insert`,
          onclick: () => state.apply(format(words.inserted, { number: number + 1 }), () => insertAfter(target, vertex.path), { features: [target] }),
        }, h("span", { "aria-hidden": "true", class: "umap-editor__glyph", "data-icon": "+" }));
        return h("tr", {},
          h("th", { scope: "row", text: format(words.number, { number }) }),
          h("td", {}, latInput), h("td", {}, lngInput), h("td", { class: "umap-editor__vertex-buttons" }, insert, remove));
      });
      const pager = pages <= 1 ? null : h("p", { class: "umap-editor__pager" },
        h("button", { type: "button", class: "button button-small button-secondary", disabled: page === 0, "data-focus-key": "vertex-prev", onclick: () => { page -= 1; render(); } }, strings.page_prev),
        h("span", { text: format(strings.page_of, { from: start + 1, to: start + shown.length, count: all.length }) }),
        h("button", { type: "button", class: "button button-small button-secondary", disabled: page >= pages - 1, "data-focus-key": "vertex-next", onclick: () => { page += 1; render(); } }, strings.page_next));
      const captionId = uid("vertices");
      return h("details", { class: "umap-editor__vertices", open: all.length <= 12 },
        h("summary", { text: format(words.heading, { count: all.length }) }),
        h("p", { class: "help", text: format(words.help, { name }) }),
        h("table", { "aria-labelledby": captionId },
          h("caption", { id: captionId, class: "umap-editor__sr", text: format(words.of, { name }) }),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col", text: words.column }),
            h("th", { scope: "col", text: strings.latitude }),
            h("th", { scope: "col", text: strings.longitude }),
            h("th", { scope: "col", text: strings.vertex_actions }))),
          h("tbody", {}, ...rows)),
        error, pager);
    }

    function render() {
      const target = feature();
      const active = document.activeElement;
      const key = active && container.contains(active) ? active.dataset.focusKey : null;
      const open = container.querySelector("details") ? container.querySelector("details").open : null;
      container.replaceChildren();
      if (!target || !target.geometry || !target.geometry.coordinates) {
        container.hidden = true;
        return;
      }
      container.hidden = false;
      const part = target.geometry.type === "Point" ? pointFields(target) : vertexList(target);
      container.append(part);
      if (open !== null && part.tagName === "DETAILS") part.open = open;
      if (key) {
        const again = container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
        if (again && !again.disabled) again.focus();
        else if (part.tagName === "DETAILS") part.querySelector("summary").focus();
      }
    }

    render();
    return {
      update() {
        // Leave the field being typed in alone; the rest follows the state.
        const active = document.activeElement;
        if (active && container.contains(active) && active.tagName === "INPUT") return;
        render();
      },
      destroy() {
        container.replaceChildren();
      },
    };
  }

  /* --- panel "goto": the crosshair ------------------------------------------------------ */

  function gotoPanel(state, container, strings, context) {
    const { mapView, editor } = context;
    const map = mapView.map;
    const geocoder = (state.config || {}).geocoder;
    const announce = (text) => editor.announce(text);

    const error = h("p", { class: "umap-editor__field-error", id: uid("goto-error"), hidden: true, role: "alert" });
    const latInput = coordinateInput({ id: uid("goto-lat"), "aria-describedby": error.id, "data-focus-key": "goto-lat" }, () => go());
    const lngInput = coordinateInput({ id: uid("goto-lng"), "aria-describedby": error.id, "data-focus-key": "goto-lng" }, () => go());
    const goButton = h("button", { type: "button", class: "button button-small button-secondary", onclick: () => go() }, strings.goto_coordinates);

    function showCentre() {
      const centre = mapView.crosshairLatLng();
      if (document.activeElement !== latInput) latInput.value = formatNumber(centre.lat);
      if (document.activeElement !== lngInput) lngInput.value = formatNumber(centre.lng);
    }

    function go() {
      const lat = checked(latInput, error, strings, "lat");
      const lng = lat === null ? null : checked(lngInput, error, strings, "lng");
      if (lat === null || lng === null) return;
      mapView.centreOn([lat, lng], Math.max(map.getZoom(), 15));
      showCentre();
      announce(format(strings.crosshair_moved, { position: positionText(strings, lat, lng) }));
    }

    // The address search: one request per search, to the geocoder the site chose.
    let search = null;
    if (geocoder && geocoder.url) {
      const results = h("ul", { class: "umap-editor__search-results", "aria-label": strings.address_results, hidden: true });
      const query = h("input", { type: "search", id: uid("address"), class: "umap-editor__input", autocomplete: "off", "data-focus-key": "goto-address" });
      const submit = h("button", { type: "button", class: "button button-small button-secondary", onclick: () => find() }, strings.address_search);
      query.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        find();
      });
      let pending = null;
      const find = async () => {
        const text = query.value.trim();
        if (!text) return query.focus();
        if (pending) pending.abort();
        pending = new AbortController();
        announce(strings.address_searching);
        let places;
        try {
          // The public viewer's request and reading (js/geocoder.js).
          places = await window.wagtailUmapGeocoder.search(geocoder, text, { language: language(), signal: pending.signal });
        } catch (failure) {
          if (failure && failure.name === "AbortError") return;
          results.hidden = true;
          results.replaceChildren();
          announce(strings.address_error);
          return;
        }
        results.replaceChildren(...places.map((place) => h("li", {}, h("button", {
          type: "button",
          class: "umap-editor__search-result",
          onclick: (event) => {
            for (const other of results.querySelectorAll("[aria-current]")) other.removeAttribute("aria-current");
            event.currentTarget.setAttribute("aria-current", "true");
            mapView.centreOn([place.lat, place.lng], Math.max(map.getZoom(), 17));
            announce(format(strings.address_moved, { label: place.label }));
          },
        }, place.label))));
        results.hidden = !places.length;
        announce(places.length ? format(strings.address_count, { count: places.length }) : strings.address_none);
      };
      search = h("div", { class: "umap-editor__address" },
        h("div", { class: "umap-editor__field" },
          h("label", { for: query.id, text: strings.address }),
          h("span", { class: "umap-editor__inline-row" }, query, submit)),
        h("p", { class: "help", text: format(strings.address_source, { source: geocoder.attribution || "" }) }),
        results);
    }

    const place = h("button", { type: "button", class: "button button-small", "data-umap-place": "", onclick: () => editor.placeAtCrosshair() });
    const removeLast = h("button", { type: "button", class: "button button-small button-secondary", onclick: () => editor.removeLastVertex() }, strings.remove_last_vertex);

    function refreshButtons() {
      const drawing = mapView.drawing;
      place.textContent = drawing && drawing !== "Marker" ? strings.add_vertex_here : strings.add_marker_here;
      place.disabled = Boolean(editor.config.readOnly);
      removeLast.hidden = !drawing || drawing === "Marker";
    }

    container.append(h("details", { class: "umap-editor__goto", open: true },
      h("summary", { text: strings.crosshair_heading }),
      h("p", { class: "help", text: strings.crosshair_help }),
      h("div", { class: "umap-editor__coordinates" },
        h("div", { class: "umap-editor__field" }, h("label", { for: latInput.id, text: strings.latitude }), latInput),
        h("div", { class: "umap-editor__field" }, h("label", { for: lngInput.id, text: strings.longitude }), lngInput),
        goButton),
      error,
      search,
      h("p", { class: "umap-editor__actions" }, place, removeLast)));
    showCentre();
    refreshButtons();
    map.on("moveend", showCentre);
    return {
      update: refreshButtons,
      destroy() {
        map.off("moveend", showCentre);
        container.replaceChildren();
      },
    };
  }

  api.positionText = positionText;
  api.formatNumber = formatNumber;
  api.parseNumber = parseNumber;
  // Registered once the panel registry (state.js) is there; state.js loads first.
  if (api.registerPanel) {
    api.registerPanel("position", positionPanel);
    api.registerPanel("goto", gotoPanel);
  }
})();
