/* The editor's Leaflet map: draws the state's layers and turns map gestures into edits.
 *
 * Every feature is a light canvas shape, so 5,000 features stay fluid; the points of a layer
 * of at most PIN_LIMIT features are pins as the public map draws them (shape, colour,
 * pictogram), the others circle markers. A layer of more than BULK_LIMIT features has no
 * Leaflet layer per feature: one BulkCanvas draws it and finds the feature under a click (Geoman
 * does not snap to its vertices). Only the selected feature gets an editable copy with
 * Leaflet-Geoman handles (drag, vertices, snapping); its edits come back through `state.apply`.
 *
 * Without a mouse: while the map has the focus (or a drawing tool is on) a crosshair marks its
 * centre; the arrow keys pan, Enter places the marker or the next vertex there (Enter again at
 * the same place finishes the shape), Backspace removes the last vertex. The selected point and
 * each vertex are named buttons: the arrow keys move them (10 pixels a press at the current
 * zoom, 1 with Shift), Delete removes a vertex. Leaflet's and Geoman's texts come from our
 * catalogue (`map.pm.setLang` with our own translation).
 */
(function () {
  "use strict";

  const DEFAULT_COLOR = "#0055a4";
  const SELECTED_COLOR = "#d7263d";
  const PIN_LIMIT = 300; // features a layer may have for its points to be drawn as pins
  const KEY_STEP = 10; // pixels an arrow key moves a point or a vertex (1 with Shift)
  const MOVE_BURST_MS = 1500; // arrow presses closer than this make one undoable move
  const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  function format(text, params = {}) {
    return String(text || "").replace(/%\((\w+)\)s/g, (_, key) => (key in params ? params[key] : ""));
  }

  /* Geoman's texts, from our catalogue (the strings the widget sends). */
  function geomanTranslation(strings) {
    return {
      tooltips: {
        placeMarker: strings.pm_place_marker,
        placeMarkerTouch: strings.pm_place_marker,
        firstVertex: strings.pm_first_vertex,
        continueLine: strings.pm_continue_line,
        finishLine: strings.pm_finish_line,
        finishPoly: strings.pm_finish_polygon,
      },
      actions: {
        finish: strings.finish_drawing,
        cancel: strings.cancel_drawing,
        removeLastVertex: strings.remove_last_vertex,
      },
    };
  }

  function styleOf(layer, feature) {
    return { ...(layer.style || {}), ...((feature.properties || {})._style || {}) };
  }

  function pathOptions(style, renderer) {
    return {
      renderer,
      color: style.color || DEFAULT_COLOR,
      weight: style.weight ?? 3,
      opacity: style.opacity ?? 1,
      fill: style.fill ?? true,
      fillColor: style.fill_color || style.color || DEFAULT_COLOR,
      fillOpacity: style.fill_opacity ?? 0.3,
      dashArray: style.dash_array || null,
      // The drawing plugin must not turn every shape into an editable one.
      pmIgnore: false,
    };
  }

  /* A point as the public map draws it (the viewer's style-and-markers.js: shape, colour,
   * pictogram), or null without that script. Hidden from assistive technologies: the
   * editor's lists name and reach every place. */
  function pinIcon(style, selected) {
    const markers = window.wagtailUmap && window.wagtailUmap._parts && window.wagtailUmap._parts.style;
    if (!markers || !markers.markerSvg) return null;
    const drawn = markers.markerSvg(style);
    return L.divIcon({
      html: drawn.svg,
      className: `umap-marker umap-marker--${drawn.shapeName}${selected ? " umap-marker--selected" : ""}`,
      iconSize: drawn.box.size,
      iconAnchor: drawn.box.anchor,
    });
  }

  function pinMarker(latlng, style) {
    const icon = pinIcon(style, false);
    if (!icon) return null;
    const marker = L.marker(latlng, { icon, keyboard: false, pmIgnore: false });
    marker.on("add", () => marker.getElement().setAttribute("aria-hidden", "true"));
    return marker;
  }

  function featureToLayer(feature, style, renderer, pins) {
    const options = pathOptions(style, renderer);
    return L.GeoJSON.geometryToLayer(feature, {
      pointToLayer: (_, latlng) =>
        (pins && pinMarker(latlng, style)) ||
        L.circleMarker(latlng, { ...options, radius: 7, fillOpacity: 0.9, weight: 2, color: "#fff", fillColor: style.color || DEFAULT_COLOR }),
      style: () => options,
    });
  }

  /* A feature's drawing options in a large layer: its path's, or a point's dot. */
  function bulkOptions(layer, feature, renderer) {
    const style = styleOf(layer, feature);
    const options = pathOptions(style, renderer);
    delete options.renderer;
    delete options.pmIgnore;
    const type = feature.geometry && feature.geometry.type;
    if (type !== "Point" && type !== "MultiPoint") return options;
    return { ...options, radius: 7, fill: true, fillOpacity: 0.9, weight: 2, color: "#fff", fillColor: style.color || DEFAULT_COLOR };
  }

  function geometryBounds(geometry) {
    const layer = L.GeoJSON.geometryToLayer({ type: "Feature", geometry, properties: {} });
    return layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
  }

  /* Large layers (over BULK_LIMIT features) are not one Leaflet layer per feature: building
   * 35,000 polygons' objects (455,000 LatLng, their events, Geoman's look at each) took most of
   * the editor's start. One BulkCanvas draws such a layer's features from their coordinates,
   * projected once into typed arrays, and finds the feature under a click itself (bounding
   * boxes scanned in a packed array, then the exact shape). The selected feature gets its
   * Leaflet layer (the editing handle) as in any layer; the lists reach every feature by keyboard. */
  const BULK_LIMIT = 1000;
  const BATCH_PARTS = 128; // features drawn as one path
  const WORLD = 256; // pixels of the world at zoom 0 (EPSG:3857)
  const MAX_LAT = 85.0511287798;

  function mercator(lng, lat, out, at) {
    const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * (Math.PI / 180);
    out[at] = WORLD * (0.5 + lng / 360);
    out[at + 1] = WORLD * (0.5 - Math.log(Math.tan(Math.PI / 4 + clamped / 2)) / (2 * Math.PI));
  }

  /* A geometry's rings (or lines, or one point) in world pixels at zoom 0: one Float64Array of
   * x, y pairs, the pair index where each part starts, and its box. Null when not drawable. */
  function projectGeometry(geometry) {
    const type = geometry && geometry.type;
    let parts;
    if (type === "Point") parts = [[geometry.coordinates]];
    else if (type === "MultiPoint") parts = geometry.coordinates.map((c) => [c]);
    else if (type === "LineString") parts = [geometry.coordinates];
    else if (type === "MultiLineString" || type === "Polygon") parts = geometry.coordinates;
    else if (type === "MultiPolygon") parts = geometry.coordinates.flat();
    else return null;
    let count = 0;
    for (const part of parts) count += part.length;
    if (!count) return null;
    const xy = new Float64Array(count * 2);
    const starts = new Uint32Array(parts.length + 1);
    let at = 0;
    parts.forEach((part, index) => {
      starts[index] = at / 2;
      for (const position of part) {
        mercator(position[0], position[1], xy, at);
        at += 2;
      }
    });
    starts[parts.length] = count;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < xy.length; i += 2) {
      if (!(xy[i] >= minX)) minX = xy[i];
      if (!(xy[i] <= maxX)) maxX = xy[i];
      if (!(xy[i + 1] >= minY)) minY = xy[i + 1];
      if (!(xy[i + 1] <= maxY)) maxY = xy[i + 1];
    }
    if (!Number.isFinite(minX + minY + maxX + maxY)) return null;
    const kind = type.endsWith("Point") ? "point" : type.endsWith("LineString") ? "line" : "area";
    return { kind, xy, starts, box: [minX, minY, maxX, maxY] };
  }

  function sameShape(a, b) {
    if (!a || !b || a.kind !== b.kind || a.xy.length !== b.xy.length || a.starts.length !== b.starts.length) return false;
    for (let i = 0; i < a.xy.length; i += 1) if (a.xy[i] !== b.xy[i]) return false;
    for (let i = 0; i < a.starts.length; i += 1) if (a.starts[i] !== b.starts[i]) return false;
    return true;
  }

  function distanceToSegment(px, py, ax, ay, bx, by) {
    const dx = bx - ax, dy = by - ay;
    const length = dx * dx + dy * dy;
    const t = length ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length)) : 0;
    return Math.hypot(px - ax - t * dx, py - ay - t * dy);
  }

  const BulkCanvas = L.Canvas.extend({
    initialize(options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.items = []; // {feature, shape (projected), options, key}
      this.byFeature = new Map();
      this.hiddenFeature = null; // drawn by its editing handle instead
      this.highlighted = null;
    },

    _initContainer() {
      L.Canvas.prototype._initContainer.call(this);
      // Clicks go through to the map (and to the shapes of smaller layers under this canvas):
      // the map view asks each BulkCanvas what is under the pointer.
      this._container.style.pointerEvents = "none";
    },

    /* The features to draw, in order; `optionsOf(feature)` their Leaflet path options. */
    setFeatures(features, optionsOf) {
      const kept = this.byFeature;
      this.items = [];
      this.byFeature = new Map();
      for (const feature of features) {
        const old = kept.get(feature);
        const item = old || { feature, shape: undefined };
        item.options = optionsOf(feature);
        item.key = null;
        this.items.push(item);
        this.byFeature.set(feature, item);
      }
      this.boxes = null;
      this.redraw();
    },

    has(feature) {
      return this.byFeature.has(feature);
    },

    /* One feature changed: no redraw when its shape and style did not (a rename). */
    update(feature, options) {
      const item = this.byFeature.get(feature);
      if (!item) return;
      const shape = projectGeometry(feature.geometry);
      const key = JSON.stringify(options);
      if (item.shape !== undefined && sameShape(shape, item.shape) && key === JSON.stringify(item.options)) return;
      const before = item.shape && item.shape.box;
      item.shape = shape;
      item.options = options;
      item.key = null;
      const index = this.items.indexOf(item);
      if (this.boxes && index >= 0) this.boxes.set(shape ? shape.box : [NaN, NaN, NaN, NaN], index * 4);
      this.redrawAround(feature);
      if (before) this._requestRedraw(before);
    },

    hide(feature) {
      if (this.hiddenFeature === feature) return;
      this.redrawAround(this.hiddenFeature);
      this.hiddenFeature = feature;
      this.redrawAround(feature);
    },

    highlight(feature) {
      if (this.highlighted === feature) return;
      this.redrawAround(this.highlighted);
      this.highlighted = feature;
      this.redrawAround(feature);
    },

    /* Redraw only where one feature is (an edit, a selection): not 35,000 polygons. */
    redrawAround(feature) {
      const item = feature && this.byFeature.get(feature);
      const shape = item && this.shapeOf(item);
      if (shape) this._requestRedraw(shape.box);
    },

    redraw() {
      this._requestRedraw(null);
      return this;
    },

    /* `box`: the part to redraw (world pixels at zoom 0), or null for all of it. */
    _requestRedraw(box) {
      if (!this._map) return;
      if (!box || box.length !== 4) this.dirty = "all";
      else if (this.dirty !== "all") {
        const dirty = this.dirty;
        this.dirty = dirty
          ? [Math.min(dirty[0], box[0]), Math.min(dirty[1], box[1]), Math.max(dirty[2], box[2]), Math.max(dirty[3], box[3])]
          : box.slice();
      }
      this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
    },

    _redraw() {
      const dirty = this.dirty;
      this.dirty = null;
      this._redrawBounds = null;
      if (Array.isArray(dirty) && this._map) {
        const scale = this._map.getZoomScale(this._map.getZoom(), 0);
        const origin = this._map.getPixelOrigin();
        const pad = 24; // a stroke's width, a dot's radius
        this._redrawBounds = L.bounds(
          [dirty[0] * scale - origin.x - pad, dirty[1] * scale - origin.y - pad],
          [dirty[2] * scale - origin.x + pad, dirty[3] * scale - origin.y + pad],
        );
      }
      L.Canvas.prototype._redraw.call(this);
    },

    _updatePaths() {
      if (this._postponeUpdatePaths) return;
      this.dirty = null;
      this._redraw();
    },

    shapeOf(item) {
      if (item.shape === undefined) item.shape = projectGeometry(item.feature.geometry);
      return item.shape;
    },

    /* Every item's box, packed (minX, minY, maxX, maxY at zoom 0), made when first needed. */
    packedBoxes() {
      if (this.boxes) return this.boxes;
      const boxes = new Float64Array(this.items.length * 4).fill(NaN);
      this.items.forEach((item, index) => {
        const shape = this.shapeOf(item);
        if (shape) boxes.set(shape.box, index * 4);
      });
      this.boxes = boxes;
      return boxes;
    },

    bounds() {
      const boxes = this.packedBoxes();
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (let i = 0; i < boxes.length; i += 4) {
        if (!(boxes[i] >= minX)) minX = boxes[i];
        if (!(boxes[i + 1] >= minY)) minY = boxes[i + 1];
        if (!(boxes[i + 2] <= maxX)) maxX = boxes[i + 2];
        if (!(boxes[i + 3] <= maxY)) maxY = boxes[i + 3];
      }
      if (!Number.isFinite(minX + minY + maxX + maxY)) return null;
      const crs = L.CRS.EPSG3857;
      return L.latLngBounds(crs.pointToLatLng(L.point(minX, maxY), 0), crs.pointToLatLng(L.point(maxX, minY), 0));
    },

    _draw() {
      const map = this._map;
      if (!map || !this._bounds) return;
      const ctx = this._ctx;
      const scale = map.getZoomScale(map.getZoom(), 0);
      const origin = map.getPixelOrigin();
      const area = this._redrawBounds || this._bounds;
      // The area to draw in world pixels at zoom 0, to skip what is out of it.
      const view = [
        (area.min.x + origin.x) / scale, (area.min.y + origin.y) / scale,
        (area.max.x + origin.x) / scale, (area.max.y + origin.y) / scale,
      ];
      const boxes = this.packedBoxes();
      const pad = 20 / scale;
      // Features of the same style are drawn as one path: a few fills and strokes, not one per
      // feature. A polygon with holes is drawn alone (its holes need the even-odd rule).
      let batch = null;
      const flush = () => {
        if (!batch) return;
        this.paint(ctx, batch.options, batch.kind);
        batch = null;
      };
      ctx.save();
      if (this._redrawBounds) {
        const size = area.getSize();
        ctx.beginPath();
        ctx.rect(area.min.x, area.min.y, size.x, size.y);
        ctx.clip();
      }
      this.items.forEach((item, index) => {
        const at = index * 4;
        if (item.feature === this.hiddenFeature || item.feature === this.highlighted) return;
        if (!(boxes[at] - pad <= view[2] && boxes[at + 2] + pad >= view[0] && boxes[at + 1] - pad <= view[3] && boxes[at + 3] + pad >= view[1])) return;
        const shape = item.shape;
        const key = item.key || (item.key = shape.kind + JSON.stringify(item.options));
        const alone = shape.kind === "area" && shape.starts.length > 2 && item.feature.geometry.type === "Polygon";
        // A path of too many parts costs the canvas more than it saves (closePath slows down).
        if (!batch || batch.key !== key || alone || batch.count >= BATCH_PARTS) {
          flush();
          ctx.beginPath();
          batch = { key, options: item.options, kind: alone ? "holes" : shape.kind, count: 0 };
        }
        batch.count += 1;
        this.trace(ctx, shape, scale, origin, item.options);
        if (alone) flush();
      });
      flush();
      if (this.highlighted && this.highlighted !== this.hiddenFeature) {
        const item = this.byFeature.get(this.highlighted);
        const shape = item && this.shapeOf(item);
        if (shape) {
          ctx.beginPath();
          this.trace(ctx, shape, scale, origin, item.options);
          this.paint(ctx, { ...item.options, color: SELECTED_COLOR, fillColor: item.options.fillColor }, shape.kind === "area" ? "holes" : shape.kind);
        }
      }
      ctx.restore();
    },

    trace(ctx, shape, scale, origin, options) {
      const { xy, starts } = shape;
      for (let part = 0; part + 1 < starts.length; part += 1) {
        const first = starts[part], end = starts[part + 1];
        if (shape.kind === "point") {
          const x = xy[first * 2] * scale - origin.x, y = xy[first * 2 + 1] * scale - origin.y;
          ctx.moveTo(x + options.radius, y);
          ctx.arc(x, y, options.radius, 0, Math.PI * 2);
          continue;
        }
        let lastX = NaN, lastY = NaN;
        for (let i = first; i < end; i += 1) {
          const x = Math.round(xy[i * 2] * scale - origin.x), y = Math.round(xy[i * 2 + 1] * scale - origin.y);
          if (x === lastX && y === lastY && i + 1 < end) continue; // same pixel: no new vertex
          if (i === first) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
          lastX = x;
          lastY = y;
        }
        // Rings end where they start (GeoJSON): no closePath, which slows paths of many parts.
      }
    },

    paint(ctx, options, kind) {
      if (kind !== "line" && options.fill) {
        ctx.globalAlpha = options.fillOpacity;
        ctx.fillStyle = options.fillColor || options.color;
        ctx.fill(kind === "holes" ? "evenodd" : "nonzero");
      }
      if (options.stroke !== false && options.weight !== 0) {
        ctx.setLineDash(options.dashArray ? String(options.dashArray).split(/[ ,]+/).map(Number).filter((n) => n >= 0) : []);
        ctx.globalAlpha = options.opacity;
        ctx.lineWidth = options.weight;
        ctx.strokeStyle = options.color;
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        ctx.stroke();
      }
    },

    /* The feature drawn under a container point, the topmost first, or null. */
    featureAt(containerPoint) {
      const map = this._map;
      if (!map || !this.items.length) return null;
      const scale = map.getZoomScale(map.getZoom(), 0);
      const world = map.containerPointToLayerPoint(containerPoint).add(map.getPixelOrigin());
      const px = world.x / scale, py = world.y / scale;
      const boxes = this.packedBoxes();
      const tolerance = (this.options.tolerance || 0) + 4;
      for (let index = this.items.length - 1; index >= 0; index -= 1) {
        const item = this.items[index];
        const margin = (tolerance + (item.options.radius || 0) + (item.options.weight || 0) / 2) / scale;
        const at = index * 4;
        if (!(boxes[at] - margin <= px && boxes[at + 2] + margin >= px && boxes[at + 1] - margin <= py && boxes[at + 3] + margin >= py)) continue;
        if (this.hits(item, px, py, margin, scale)) return item.feature;
      }
      return null;
    },

    hits(item, px, py, margin) {
      const { kind, xy, starts } = item.shape;
      let inside = false;
      for (let part = 0; part + 1 < starts.length; part += 1) {
        const first = starts[part], end = starts[part + 1];
        if (kind === "point") {
          if (Math.hypot(xy[first * 2] - px, xy[first * 2 + 1] - py) <= margin) return true;
          continue;
        }
        for (let i = first + 1; i < end; i += 1) {
          const ax = xy[i * 2 - 2], ay = xy[i * 2 - 1], bx = xy[i * 2], by = xy[i * 2 + 1];
          if (distanceToSegment(px, py, ax, ay, bx, by) <= margin) return true;
          if (kind === "area" && (ay > py) !== (by > py) && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
        }
      }
      return inside && item.options.fill !== false;
    },
  });

  class MapView {
    constructor(state, element, config) {
      this.state = state;
      this.config = config;
      this.renderer = L.canvas({ padding: 0.5, tolerance: 4 });
      this.strings = state.strings;
      this.map = L.map(element, {
        zoomControl: false,
        preferCanvas: true,
        keyboard: true,
      });
      // Keyboard pans (Leaflet calls panBy without options) are instant: the crosshair is where
      // the next Enter places a point, at once, however fast the keys are pressed.
      const panBy = this.map.panBy;
      this.map.panBy = function (offset, options) {
        return panBy.call(this, offset, options || { animate: false });
      };
      L.control.zoom({ zoomInTitle: this.strings.zoom_in, zoomOutTitle: this.strings.zoom_out }).addTo(this.map);
      this.crosshair = L.DomUtil.create("div", "umap-editor__crosshair", element);
      this.crosshair.setAttribute("aria-hidden", "true");
      this.moveBurst = 0;
      this.lastKeyMove = 0;
      this.groups = new Map(); // layer id → L.FeatureGroup
      this.rendered = new Map(); // layer id → Map(feature → Leaflet layer)
      this.layerMeta = new Map(); // layer id → JSON of its settings (to spot style changes)
      this.hidden = new Set();
      this.bulks = new Map(); // layer id → BulkCanvas, for the layers over BULK_LIMIT features
      this.editing = null;
      // Large layers draw under the smaller layers' shapes, which take their clicks first.
      this.map.createPane("umapBulk").style.zIndex = 390;
      this.map.on("click", (event) => this.onMapClick(event));
      this.map.on("mousemove", (event) => this.onMapHover(event));
      const markers = window.wagtailUmap && window.wagtailUmap._parts && window.wagtailUmap._parts.style;
      const panels = (state.config || {}).panels || {};
      if (markers && markers.setAssets) markers.setAssets({ pictograms: panels.pictogramSprite, icon: panels.pictogramIconView });
      this.setBasemap(state.doc.options.basemap || config.defaultBasemap);
      this.renderAll();
      this.fitInitialView();
      this.setUpDrawing();
      this.followSize(element);
      state.on("change", (detail) => this.onChange(detail));
      state.on("select", (selection) => this.onSelect(selection));
    }

    /* The editor may mount in a tab not shown yet: Leaflet needs its size once it has one. */
    followSize(element) {
      let fitted = element.clientWidth > 0;
      new ResizeObserver(() => {
        if (!element.clientWidth) return;
        this.map.invalidateSize();
        if (!fitted) {
          fitted = true;
          this.fitInitialView();
        }
      }).observe(element);
    }

    /* Basemap */

    setBasemap(id) {
      const basemap =
        this.config.basemaps.find((b) => b.id === id) ||
        this.config.basemaps.find((b) => b.id === this.config.defaultBasemap) ||
        this.config.basemaps[0];
      if (!basemap) return;
      if (this.tiles) this.tiles.remove();
      this.tiles = L.tileLayer(basemap.url, {
        attribution: basemap.attribution,
        maxZoom: basemap.max_zoom,
        subdomains: basemap.subdomains || "abc",
        referrerPolicy: basemap.referrer_policy,
        className: basemap.grey ? "umap-editor__tiles--grey" : "",
      }).addTo(this.map);
    }

    fitInitialView() {
      const options = this.state.doc.options || {};
      if (options.center && options.zoom !== null && options.zoom !== undefined) {
        this.map.setView([options.center.lat, options.center.lng], options.zoom);
        return;
      }
      const bounds = this.dataBounds();
      if (bounds && bounds.isValid()) this.map.fitBounds(bounds, { maxZoom: 16 });
      else this.map.setView([46.6, 2.4], 5);
    }

    dataBounds() {
      let bounds = null;
      for (const bulk of this.bulks.values()) {
        const bulkBounds = bulk.bounds();
        if (bulkBounds) bounds = bounds ? bounds.extend(bulkBounds) : bulkBounds;
      }
      for (const group of this.groups.values()) {
        if (!group.getLayers().length) continue;
        const groupBounds = group.getBounds();
        bounds = bounds ? bounds.extend(groupBounds) : L.latLngBounds(groupBounds.getSouthWest(), groupBounds.getNorthEast());
      }
      return bounds;
    }

    /* Rendering */

    renderAll() {
      const ids = new Set(this.state.layers.map((layer) => layer.id));
      for (const id of [...this.groups.keys()]) if (!ids.has(id)) this.dropLayer(id);
      for (const layer of this.state.layers) this.syncLayer(layer);
      this.orderLayers();
    }

    dropLayer(id) {
      this.dropBulk(id);
      this.groups.get(id).remove();
      this.groups.delete(id);
      this.rendered.delete(id);
      this.layerMeta.delete(id);
    }

    /* Bring one layer's drawing in line with the state: add and remove shapes by feature
     * identity, and restyle everything when the layer's own style changed. */
    syncLayer(layer) {
      if (layer.features.length > BULK_LIMIT) {
        this.syncBulk(layer);
        return;
      }
      this.dropBulk(layer.id);
      let group = this.groups.get(layer.id);
      if (!group) {
        group = L.featureGroup();
        if (!this.hidden.has(layer.id)) group.addTo(this.map);
        this.groups.set(layer.id, group);
        this.rendered.set(layer.id, new Map());
      }
      const shapes = this.rendered.get(layer.id);
      const meta = JSON.stringify(layer.style || {});
      if (this.layerMeta.get(layer.id) !== meta) {
        // Its style changed: restyle each plain shape where it is (35,000 polygons are not
        // built again); the others are drawn anew.
        for (const [feature, shape] of shapes) {
          if (shape instanceof L.Path && !(shape instanceof L.CircleMarker)) {
            shape.setStyle(pathOptions(styleOf(layer, feature), this.renderer));
          } else {
            group.removeLayer(shape);
            shapes.delete(feature);
          }
        }
        this.layerMeta.set(layer.id, meta);
      }
      const present = new Set(layer.features);
      for (const [feature, shape] of shapes) {
        if (!present.has(feature)) {
          group.removeLayer(shape);
          shapes.delete(feature);
        }
      }
      for (const feature of layer.features) {
        if (!shapes.has(feature)) this.addShape(layer, feature, group, shapes);
      }
    }

    /* A large layer: its features drawn by one BulkCanvas (its Leaflet group stays empty). */
    syncBulk(layer) {
      if (!this.groups.has(layer.id)) {
        this.groups.set(layer.id, L.featureGroup());
        this.rendered.set(layer.id, new Map());
      }
      const shapes = this.rendered.get(layer.id);
      for (const shape of shapes.values()) this.groups.get(layer.id).removeLayer(shape);
      shapes.clear();
      let bulk = this.bulks.get(layer.id);
      if (!bulk) {
        bulk = new BulkCanvas({ padding: 0.5, tolerance: 4, pane: "umapBulk" });
        this.bulks.set(layer.id, bulk);
        if (!this.hidden.has(layer.id)) bulk.addTo(this.map);
      }
      bulk.setFeatures(layer.features, (feature) => bulkOptions(layer, feature, this.renderer));
      this.layerMeta.set(layer.id, JSON.stringify(layer.style || {}));
    }

    dropBulk(id) {
      const bulk = this.bulks.get(id);
      if (!bulk) return;
      bulk.remove();
      this.bulks.delete(id);
      this.layerMeta.delete(id);
    }

    /* The feature of a large layer under the pointer: the topmost layer first. */
    bulkFeatureAt(containerPoint) {
      const layers = this.state.layers;
      for (let index = layers.length - 1; index >= 0; index -= 1) {
        const bulk = this.bulks.get(layers[index].id);
        if (!bulk || !bulk._map) continue;
        const feature = bulk.featureAt(containerPoint);
        if (feature) return feature;
      }
      return null;
    }

    onMapClick(event) {
      if (this.drawing || !this.bulks.size) return;
      const feature = this.bulkFeatureAt(event.containerPoint);
      if (feature && (!this.state.selection || this.state.selection.feature !== feature)) this.state.select(feature);
    }

    onMapHover(event) {
      if (!this.bulks.size) return;
      const over = !this.drawing && Boolean(this.bulkFeatureAt(event.containerPoint));
      this.map.getContainer().classList.toggle("umap-editor__map--over-feature", over);
    }

    addShape(layer, feature, group, shapes) {
      let shape;
      try {
        // Pins as on the public map; light canvas dots for the points of a large layer.
        const pins = layer.features.length <= PIN_LIMIT;
        shape = featureToLayer(feature, styleOf(layer, feature), this.renderer, pins);
      } catch (error) {
        return; // a geometry Leaflet cannot draw (empty): it stays in the lists
      }
      shape.umapType = feature.geometry && feature.geometry.type;
      shape.on("click", (event) => {
        L.DomEvent.stopPropagation(event);
        if (!this.drawing) this.state.select(feature);
      });
      shapes.set(feature, shape);
      group.addLayer(shape);
    }

    redrawFeature(feature) {
      const layer = this.state.layerOf(feature);
      if (!layer) return;
      const bulk = this.bulks.get(layer.id);
      if (bulk) {
        bulk.update(feature, bulkOptions(layer, feature, this.renderer));
        return;
      }
      const shapes = this.rendered.get(layer.id);
      const group = this.groups.get(layer.id);
      if (!shapes || !group) return;
      if (shapes.has(feature) && this.updateShape(layer, feature, shapes.get(feature))) return;
      if (shapes.has(feature)) group.removeLayer(shapes.get(feature));
      shapes.delete(feature);
      this.addShape(layer, feature, group, shapes);
    }

    /* Bring a plain shape (a line or a polygon) in line with its feature where it is: taking it
     * off the map and back costs every layer of the map a look from Geoman (35,000 polygons).
     * False when it has to be drawn anew. */
    updateShape(layer, feature, shape) {
      const geometry = feature.geometry;
      const levels = { LineString: 0, Polygon: 1 }[geometry && geometry.type];
      if (levels === undefined || !(shape instanceof L.Polyline) || shape.umapType !== geometry.type) return false;
      try {
        shape.setLatLngs(L.GeoJSON.coordsToLatLngs(geometry.coordinates, levels));
      } catch (error) {
        return false;
      }
      shape.setStyle(pathOptions(styleOf(layer, feature), this.renderer));
      return true;
    }

    orderLayers() {
      // Later layers draw on top, as on the public map.
      for (const layer of this.state.layers) {
        const group = this.groups.get(layer.id);
        if (group && this.map.hasLayer(group)) group.bringToFront();
        const bulk = this.bulks.get(layer.id);
        if (bulk && bulk._container && bulk._container.parentNode) bulk._container.parentNode.appendChild(bulk._container);
      }
    }

    setLayerVisible(id, visible) {
      const group = this.groups.get(id);
      if (visible) this.hidden.delete(id);
      else this.hidden.add(id);
      const bulk = this.bulks.get(id);
      if (bulk && visible) bulk.addTo(this.map);
      else if (bulk) bulk.remove();
      if (!group) return;
      if (visible) group.addTo(this.map);
      else group.remove();
    }

    onChange(detail) {
      const scope = detail.scope;
      if (scope && scope.features && !scope.layers && this.keepsHandles()) {
        // A rename or a style of the feature being edited: its handles stay (Geoman's set-up
        // reads every layer of the map, 35,000 polygons), the others are redrawn.
        for (const feature of scope.features) if (feature !== this.editing.feature) this.redrawFeature(feature);
        this.relabelHandles();
        return;
      }
      if (scope && scope.features && !scope.layers) {
        for (const feature of scope.features) this.redrawFeature(feature);
      } else if (scope && scope.layers) {
        for (const feature of scope.features || []) this.redrawFeature(feature);
        const ids = new Set(scope.layers);
        for (const id of [...this.groups.keys()]) if (!this.state.layer(id)) this.dropLayer(id);
        for (const layer of this.state.layers) if (ids.has(layer.id) || !this.groups.has(layer.id)) this.syncLayer(layer);
        this.orderLayers();
      } else if (!scope || !scope.options) {
        this.renderAll();
      } else {
        this.orderLayers();
      }
      // Shapes may have been redrawn: put the selected feature's handles back on top.
      this.onSelect(this.state.selection);
    }

    /* Selection and editing of one feature */

    onSelect(selection) {
      // A redraw replaces the handles: the keyboard's focus goes to the new one.
      const focused = this.focusedHandle();
      this.stopEditing();
      for (const bulk of this.bulks.values()) bulk.highlight(null);
      if (!selection) {
        if (focused) this.map.getContainer().focus({ preventScroll: true });
        return;
      }
      const { feature } = selection;
      const shape = this.shapeOf(feature);
      if (shape instanceof BulkCanvas) shape.highlight(feature);
      else if (shape) shape.setStyle && shape.setStyle({ color: SELECTED_COLOR });
      if (shape && shape.getElement && shape.getElement()) shape.getElement().classList.add("umap-marker--selected");
      if (!this.config.readOnly) this.startEditing(feature);
      if (focused) this.focusHandle(focused);
    }

    /* Whether the selected feature's handles still fit it (same feature, same geometry). */
    keepsHandles() {
      const editing = this.editing;
      const selection = this.state.selection;
      return Boolean(editing && selection && selection.feature === editing.feature
        && this.shapeOf(editing.feature) === editing.original
        && JSON.stringify(editing.feature.geometry) === editing.geometry);
    }

    /* The handles' names after a rename. */
    relabelHandles() {
      const { feature, handle } = this.editing;
      const name = this.state.featureName(feature) || this.strings.unnamed;
      if (name === this.editing.name) return;
      this.editing.name = name;
      const element = handle.getElement && handle.getElement();
      if (element && element.hasAttribute("data-umap-point-handle")) {
        element.title = name;
        element.alt = format(this.strings.point_handle, { name });
      }
      for (const vertex of this.map.getContainer().querySelectorAll("[data-umap-vertex]")) {
        const total = vertex.getAttribute("aria-label") ? this.editing.vertexCount : null;
        if (total) vertex.setAttribute("aria-label", format(this.strings.vertex_handle, { number: Number(vertex.dataset.umapVertex), total, name }));
      }
    }

    /* "point", a vertex number (1-based), or null: the handle that has the focus. */
    focusedHandle() {
      const active = document.activeElement;
      if (!this.editing || !active || !this.map.getContainer().contains(active)) return null;
      if (active.dataset.umapVertex) return Number(active.dataset.umapVertex);
      if (active.hasAttribute("data-umap-point-handle")) return "point";
      return null;
    }

    focusHandle(which) {
      if (!this.editing) return;
      const container = this.map.getContainer();
      const element = which === "point"
        ? container.querySelector("[data-umap-point-handle]")
        : container.querySelector(`[data-umap-vertex="${which}"]`);
      if (!element) {
        container.focus({ preventScroll: true });
        return;
      }
      element.focus({ preventScroll: true });
    }

    /* The feature's Leaflet layer, or the BulkCanvas that draws it. */
    shapeOf(feature) {
      const layer = this.state.layerOf(feature);
      const bulk = layer && this.bulks.get(layer.id);
      if (bulk) return bulk.has(feature) ? bulk : null;
      return layer && this.rendered.get(layer.id) ? this.rendered.get(layer.id).get(feature) : null;
    }

    focusFeature(feature) {
      const bounds = geometryBounds(feature.geometry);
      if (!bounds.isValid()) return;
      if (feature.geometry.type === "Point") this.map.setView(bounds.getCenter(), Math.max(this.map.getZoom(), 15));
      else this.map.fitBounds(bounds, { maxZoom: 17 });
    }

    startEditing(feature) {
      const type = feature.geometry && feature.geometry.type;
      if (!["Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"].includes(type)) return;
      const name = this.state.featureName(feature) || this.strings.unnamed;
      const pin = type === "Point" && this.shapeOf(feature) instanceof L.Marker ? pinIcon(styleOf(this.state.layerOf(feature) || {}, feature), true) : null;
      const handle = L.GeoJSON.geometryToLayer(feature, {
        pointToLayer: (_, latlng) =>
          L.marker(latlng, { ...(pin ? { icon: pin } : {}), draggable: true, keyboard: true, title: name, alt: format(this.strings.point_handle, { name }) }),
        style: () => ({ color: SELECTED_COLOR, weight: 4, fillOpacity: 0.2, dashArray: null }),
      });
      const original = this.shapeOf(feature);
      if (original instanceof BulkCanvas) original.hide(feature);
      else if (original) original.setStyle && original.setStyle({ opacity: 0, fillOpacity: 0 });
      if (original && original.setOpacity) original.setOpacity(0);
      handle.addTo(this.map);
      this.editing = { feature, handle, original, name, geometry: JSON.stringify(feature.geometry) };
      if (type === "Point") {
        handle.on("dragend", () => this.commitGeometry(feature, handle, "moved_feature"));
        const element = handle.getElement();
        element.setAttribute("data-umap-point-handle", "");
        // A pin is no image: its name goes where Leaflet puts an image's alt.
        if (pin) element.setAttribute("aria-label", format(this.strings.point_handle, { name }));
        element.addEventListener("keydown", (event) => this.onHandleKey(event, feature, []));
        return;
      }
      handle.pm.enable({ snappable: true, snapDistance: 15, draggable: true, allowSelfIntersection: true });
      handle.on("pm:edit", () => this.commitGeometry(feature, handle, "edited_vertices"));
      handle.on("pm:dragend", () => this.commitGeometry(feature, handle, "moved_feature"));
      this.nameVertices(feature, handle, name);
    }

    /* Geoman's vertex handles as named buttons, numbered as the feature panel's list. */
    nameVertices(feature, handle, name) {
      const markers = [];
      const flatten = (value) => (Array.isArray(value) ? value.forEach(flatten) : markers.push(value));
      flatten(handle.pm._markers || []);
      const vertices = window.wagtailUmapEditor.geometry.vertices(feature.geometry);
      if (markers.length !== vertices.length) return; // not the shape we know: leave Geoman's
      const total = vertices.length;
      this.editing.vertexCount = total;
      markers.forEach((marker, index) => {
        const element = marker.getElement && marker.getElement();
        if (!element) return;
        const number = index + 1;
        element.setAttribute("data-umap-vertex", String(number));
        element.removeAttribute("aria-hidden");
        element.setAttribute("role", "button");
        element.setAttribute("tabindex", "0");
        element.setAttribute("aria-label", format(this.strings.vertex_handle, { number, total, name }));
        element.addEventListener("keydown", (event) => this.onHandleKey(event, feature, vertices[index].path, number));
      });
      // The middle handles (a click adds a vertex there) stay the mouse's: the feature panel's
      // "Insert a vertex after" does it by keyboard.
      for (const element of this.map.getContainer().querySelectorAll(".marker-icon-middle")) {
        element.setAttribute("tabindex", "-1");
        element.setAttribute("aria-hidden", "true");
        element.removeAttribute("role");
      }
    }

    /* Arrow keys move the handle's point or vertex; Delete (or Backspace) removes a vertex;
     * Escape gives the focus back to the map. */
    onHandleKey(event, feature, path, number = null) {
      const geometry = window.wagtailUmapEditor.geometry;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.map.getContainer().focus({ preventScroll: true });
        return;
      }
      if ((event.key === "Delete" || event.key === "Backspace") && number !== null) {
        event.preventDefault();
        event.stopPropagation();
        if (!geometry.canRemove(feature.geometry, path)) {
          if (this.onAnnounce) this.onAnnounce(this.strings.vertex_cannot_remove);
          return;
        }
        this.state.apply(format(this.strings.vertex_removed, { number }), () => geometry.removeVertex(feature.geometry, path), { features: [feature] });
        return;
      }
      const arrow = ARROWS[event.key];
      if (!arrow) return;
      event.preventDefault();
      event.stopPropagation();
      this.nudge(feature, path, number, arrow[0] * (event.shiftKey ? 1 : KEY_STEP), arrow[1] * (event.shiftKey ? 1 : KEY_STEP));
    }

    /* Move a point (path []) or a vertex by (dx, dy) screen pixels at the current zoom; quick
     * presses in a row are one undoable move. */
    nudge(feature, path, number, dx, dy) {
      const geometry = window.wagtailUmapEditor.geometry;
      const vertex = geometry.vertices(feature.geometry).find((v) => v.path.join() === path.join());
      if (!vertex) return;
      const zoom = this.map.getZoom();
      const moved = this.map.unproject(this.map.project([vertex.lat, vertex.lng], zoom).add([dx, dy]), zoom);
      const lat = Math.max(-90, Math.min(90, moved.lat));
      const lng = L.Util.wrapNum(moved.lng, [-180, 180], true);
      const now = Date.now();
      if (now - this.lastKeyMove > MOVE_BURST_MS) this.moveBurst += 1;
      this.lastKeyMove = now;
      const position = window.wagtailUmapEditor.positionText(this.strings, geometry.round(lat), geometry.round(lng));
      const label = number === null
        ? format(this.strings.point_moved, { position })
        : format(this.strings.vertex_moved, { number, position });
      this.state.apply(label, () => geometry.setVertex(feature.geometry, path, lng, lat), { features: [feature] },
        { merge: `nudge:${this.state.featureId(feature)}:${path.join()}:${this.moveBurst}` });
      if (!this.map.getBounds().pad(-0.05).contains([lat, lng])) this.map.panTo([lat, lng], { animate: false });
    }

    commitGeometry(feature, handle, labelKey) {
      const geometry = handle.toGeoJSON(6).geometry;
      if (JSON.stringify(geometry) === JSON.stringify(feature.geometry)) return;
      this.state.apply(this.state.strings[labelKey], () => {
        feature.geometry = geometry;
      }, { features: [feature] });
    }

    stopEditing() {
      if (!this.editing) return;
      const { handle, original, feature } = this.editing;
      if (handle.pm && handle.pm.enabled && handle.pm.enabled()) handle.pm.disable();
      handle.remove();
      this.editing = null;
      const layer = this.state.layerOf(feature);
      if (original instanceof BulkCanvas) {
        original.hide(null);
        original.highlight(null);
        if (layer && this.bulks.get(layer.id) === original) this.redrawFeature(feature);
      } else if (original && layer && this.rendered.get(layer.id) && this.rendered.get(layer.id).get(feature) === original) {
        // Redraw with its own style (the highlight and hiding are gone).
        this.redrawFeature(feature);
      }
    }

    /* Drawing new features */

    setUpDrawing() {
      this.map.pm.setLang("wagtail-umap", geomanTranslation(this.strings), "en");
      this.map.pm.setGlobalOptions({ snappable: true, snapDistance: 15 });
      const container = this.map.getContainer();
      // Keyboard or mouse, whichever moved last, says where the drawing's next point is.
      container.addEventListener("keydown", () => { this.keyboardDrawing = true; });
      container.addEventListener("mousemove", () => { this.keyboardDrawing = false; });
      this.map.on("move", () => { if (this.drawing && this.keyboardDrawing) this.syncHint(); });
      // Geoman's helpers (the hint under the cursor, the vertices of a shape being drawn, the
      // middle handles) are for the mouse: out of the tab order and of the accessibility tree.
      this.map.on("layeradd", (event) => {
        const layer = event.layer;
        if (!(layer instanceof L.Marker) || !layer.getElement()) return;
        const isHandle = this.editing && this.editing.handle === layer;
        const element = layer.getElement();
        if (isHandle || element.hasAttribute("data-umap-vertex")) return;
        if (layer._pmTempLayer || this.drawing) {
          element.setAttribute("tabindex", "-1");
          element.setAttribute("aria-hidden", "true");
          element.removeAttribute("role");
        }
      });
      this.map.on("pm:create", (event) => this.onCreate(event));
      this.map.on("pm:drawend", () => {
        this.drawing = null;
        this.map.getContainer().classList.remove("is-drawing");
        if (this.onDrawEnd) this.onDrawEnd();
      });
    }

    /* `keep`: the marker tool stays on after each marker (the toolbar's tool, for a map of
     * several places); Escape or the tool's button stops it. */
    startDraw(shape, { keep = false } = {}) {
      this.stopDraw();
      this.state.select(null);
      this.drawing = shape;
      this.keepDrawing = keep && shape === "Marker";
      this.map.getContainer().classList.add("is-drawing");
      this.map.pm.enableDraw(shape, {
        snappable: true,
        snapDistance: 15,
        finishOn: null,
        continueDrawing: this.keepDrawing,
        // The marker under the cursor is a picture of what a click places, not a control.
        markerStyle: { keyboard: false, alt: "", draggable: false },
      });
      this.syncHint();
    }

    stopDraw() {
      if (this.map.pm.globalDrawModeEnabled()) this.map.pm.disableDraw();
      this.drawing = null;
      this.map.getContainer().classList.remove("is-drawing");
    }

    /* The Geoman drawing in progress (Line or Polygon), or null. */
    activeDraw() {
      if (!this.drawing || this.drawing === "Marker") return null;
      const draw = this.map.pm.Draw[this.drawing];
      return draw && draw._layer ? draw : null;
    }

    drawVertexCount() {
      const draw = this.activeDraw();
      return draw ? draw._layer.getLatLngs().length : 0;
    }

    /* Centre the map on `latlng` (typed coordinates, an address): the crosshair then stands
     * for exactly that position, not the pixel nearest to it, until the map moves. */
    centreOn(latlng, zoom) {
      this.map.setView(latlng, zoom, { animate: false });
      this.exactCentre = { latlng: L.latLng(latlng), centre: this.map.getCenter() };
      this.syncHint();
    }

    /* Where the crosshair is. */
    crosshairLatLng() {
      const centre = this.map.getCenter();
      if (this.exactCentre && this.exactCentre.centre.equals(centre)) return this.exactCentre.latlng;
      return L.latLng(centre.lat, L.Util.wrapNum(centre.lng, [-180, 180], true));
    }

    /* Geoman's hint (marker, rubber band line and tooltip) at the crosshair. */
    syncHint() {
      const draw = this.drawing && this.map.pm.Draw[this.drawing];
      if (!draw || !draw._hintMarker) return;
      draw._hintMarker._snapped = false;
      draw._hintMarker.setLatLng(this.crosshairLatLng());
      if (draw._syncHintLine && draw._layer) draw._syncHintLine();
    }

    /* Place the marker, or the next vertex, at `latlng` (the crosshair by default), as a click
     * there would. Returns {finished: true} when that ended the drawing (a marker, or a vertex
     * on the last one or the first one), else {count} of the vertices so far. */
    addAtCrosshair(latlng = this.crosshairLatLng()) {
      if (!this.drawing) return null;
      const point = L.latLng(latlng.lat, L.Util.wrapNum(latlng.lng, [-180, 180], true));
      if (this.drawing === "Marker") {
        const round = (value) => Math.round(value * 1e6) / 1e6;
        if (!this.keepDrawing) this.stopDraw();
        if (this.onDrawn) this.onDrawn("Marker", { type: "Point", coordinates: [round(point.lng), round(point.lat)] });
        if (this.onDrawEnd) this.onDrawEnd();
        return { finished: true };
      }
      const draw = this.activeDraw();
      if (!draw) return null;
      draw._hintMarker._snapped = false;
      draw._hintMarker.setLatLng(point);
      draw._createVertex({ latlng: point });
      if (!this.drawing) return { finished: true };
      return { count: this.drawVertexCount() };
    }

    /* Remove the last vertex of the drawing in progress; returns how many are left. */
    removeLastVertex() {
      const draw = this.activeDraw();
      const count = this.drawVertexCount();
      if (!draw || !count) return 0;
      if (count === 1) {
        // Geoman would end the drawing: start it again, empty.
        this.startDraw(this.drawing);
        return 0;
      }
      draw._removeLastVertex();
      return this.drawVertexCount();
    }

    onCreate(event) {
      const geometry = event.layer.toGeoJSON(6).geometry;
      event.layer.remove();
      if (this.onDrawn) this.onDrawn(event.shape, geometry);
    }
  }

  window.wagtailUmapEditor = Object.assign(window.wagtailUmapEditor || {}, {
    createMapView: (state, element, config) => new MapView(state, element, config),
    geometryBounds,
  });
})();
