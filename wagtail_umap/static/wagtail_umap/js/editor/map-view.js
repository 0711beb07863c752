/* The editor's Leaflet map: draws the state's layers and turns map gestures into edits.
 *
 * Every feature is a light canvas shape (points as circle markers), so 5,000 features stay
 * fluid. Only the selected feature gets an editable SVG copy with Leaflet-Geoman handles (drag,
 * vertices, snapping); its edits come back through `state.apply`.
 */
(function () {
  "use strict";

  const DEFAULT_COLOR = "#0055a4";
  const SELECTED_COLOR = "#d7263d";

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

  function featureToLayer(feature, style, renderer) {
    const options = pathOptions(style, renderer);
    return L.GeoJSON.geometryToLayer(feature, {
      pointToLayer: (_, latlng) =>
        L.circleMarker(latlng, { ...options, radius: 7, fillOpacity: 0.9, weight: 2, color: "#fff", fillColor: style.color || DEFAULT_COLOR }),
      style: () => options,
    });
  }

  function geometryBounds(geometry) {
    const layer = L.GeoJSON.geometryToLayer({ type: "Feature", geometry, properties: {} });
    return layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
  }

  class MapView {
    constructor(state, element, config) {
      this.state = state;
      this.config = config;
      this.renderer = L.canvas({ padding: 0.5, tolerance: 4 });
      this.map = L.map(element, {
        zoomControl: true,
        preferCanvas: true,
        keyboard: true,
      });
      this.groups = new Map(); // layer id → L.FeatureGroup
      this.rendered = new Map(); // layer id → Map(feature → Leaflet layer)
      this.layerMeta = new Map(); // layer id → JSON of its settings (to spot style changes)
      this.hidden = new Set();
      this.editing = null;
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
      this.groups.get(id).remove();
      this.groups.delete(id);
      this.rendered.delete(id);
      this.layerMeta.delete(id);
    }

    /* Bring one layer's drawing in line with the state: add and remove shapes by feature
     * identity, and restyle everything when the layer's own style changed. */
    syncLayer(layer) {
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
        for (const shape of shapes.values()) group.removeLayer(shape);
        shapes.clear();
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

    addShape(layer, feature, group, shapes) {
      let shape;
      try {
        shape = featureToLayer(feature, styleOf(layer, feature), this.renderer);
      } catch (error) {
        return; // a geometry Leaflet cannot draw (empty): it stays in the lists
      }
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
      const shapes = this.rendered.get(layer.id);
      const group = this.groups.get(layer.id);
      if (!shapes || !group) return;
      if (shapes.has(feature)) group.removeLayer(shapes.get(feature));
      shapes.delete(feature);
      this.addShape(layer, feature, group, shapes);
    }

    orderLayers() {
      // Later layers draw on top, as on the public map.
      for (const layer of this.state.layers) {
        const group = this.groups.get(layer.id);
        if (group && this.map.hasLayer(group)) group.bringToFront();
      }
    }

    setLayerVisible(id, visible) {
      const group = this.groups.get(id);
      if (visible) this.hidden.delete(id);
      else this.hidden.add(id);
      if (!group) return;
      if (visible) group.addTo(this.map);
      else group.remove();
    }

    onChange(detail) {
      const scope = detail.scope;
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
      this.stopEditing();
      if (!selection) return;
      const { feature } = selection;
      const shape = this.shapeOf(feature);
      if (shape) shape.setStyle && shape.setStyle({ color: SELECTED_COLOR });
      if (!this.config.readOnly) this.startEditing(feature);
    }

    shapeOf(feature) {
      const layer = this.state.layerOf(feature);
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
      const handle = L.GeoJSON.geometryToLayer(feature, {
        pointToLayer: (_, latlng) =>
          L.marker(latlng, { draggable: true, keyboard: true, title: (feature.properties || {}).name || "" }),
        style: () => ({ color: SELECTED_COLOR, weight: 4, fillOpacity: 0.2, dashArray: null }),
      });
      const original = this.shapeOf(feature);
      if (original) original.setStyle && original.setStyle({ opacity: 0, fillOpacity: 0 });
      handle.addTo(this.map);
      this.editing = { feature, handle, original, geometry: JSON.stringify(feature.geometry) };
      if (type === "Point") {
        handle.on("dragend", () => this.commitGeometry(feature, handle, "moved_feature"));
        return;
      }
      handle.pm.enable({ snappable: true, snapDistance: 15, draggable: true, allowSelfIntersection: true });
      handle.on("pm:edit", () => this.commitGeometry(feature, handle, "edited_vertices"));
      handle.on("pm:dragend", () => this.commitGeometry(feature, handle, "moved_feature"));
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
      if (original && layer && this.rendered.get(layer.id) && this.rendered.get(layer.id).get(feature) === original) {
        // Redraw with its own style (the highlight and hiding are gone).
        this.redrawFeature(feature);
      }
    }

    /* Drawing new features */

    setUpDrawing() {
      this.map.pm.setGlobalOptions({ snappable: true, snapDistance: 15 });
      this.map.on("pm:create", (event) => this.onCreate(event));
      this.map.on("pm:drawend", () => {
        this.drawing = null;
        if (this.onDrawEnd) this.onDrawEnd();
      });
    }

    startDraw(shape) {
      this.stopDraw();
      this.state.select(null);
      this.drawing = shape;
      this.map.pm.enableDraw(shape, { snappable: true, snapDistance: 15, finishOn: null, continueDrawing: false });
    }

    stopDraw() {
      if (this.map.pm.globalDrawModeEnabled()) this.map.pm.disableDraw();
      this.drawing = null;
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
