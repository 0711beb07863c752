/*
 * wagtail-umap public viewer: layer representations (docs/data-visualisation.md).
 * Choropleth, categorized (colour AND shape or dash), proportional circles, heat map and
 * clusters, per-layer minimum and maximum zoom, and the set of features the filters keep.
 * The server computed the classes and colours (viewer/viz.py): the map, the legend and the
 * feature list agree. Methods of the Viewer (viewer.js copies them onto Viewer.prototype).
 *
 * A layer with a representation other than "plain", filters or a zoom range is "managed":
 * its features are drawn in entry.viz.holder (inside entry.group) by vizApply, which shows
 * the features the filters keep, as markers, a heat layer or clusters, at the right zooms.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var eachLeaf = parts.dom.eachLeaf;
  var methods = parts.representations = {};

  var NUMBER_RE = /^\s*[-+]?(\d+[.,]?\d*|[.,]\d+)([eE][-+]?\d+)?\s*$/;

  // The same reading of numbers as the server's classify.as_number ("6,7" is 6.7).
  function asNumber(value) {
    if (typeof value === 'number') { return isFinite(value) ? value : null; }
    if (typeof value === 'string' && NUMBER_RE.test(value)) {
      var number = parseFloat(value.trim().replace(',', '.'));
      return isFinite(number) ? number : null;
    }
    return null;
  }

  function categoryKey(value) {
    if (value === null || value === undefined || typeof value === 'object') { return ''; }
    return String(value).trim();
  }

  // The class of a value: a value equal to an inner break is in the lower class (as classify.py).
  function classOf(value, bounds) {
    var index = 0;
    for (var i = 1; i < bounds.length - 1; i++) {
      if (value > bounds[i]) { index = i; }
    }
    return index;
  }

  function representation(entry) {
    return (entry.config.representation || { type: 'plain' });
  }

  methods.isManaged = function (entry) {
    var config = entry.config;
    var type = representation(entry).type;
    var mapFilters = this.config.filters && this.config.filters.length > 0; // filters.js
    return (type && type !== 'plain') || (config.filters && config.filters.length > 0) || mapFilters ||
      typeof config.minZoom === 'number' || typeof config.maxZoom === 'number';
  };

  // The style a feature takes from its layer's representation, over the layer's and its own.
  methods.vizStyle = function (entry, properties, style) {
    var rep = representation(entry);
    var result = {};
    Object.keys(style).forEach(function (key) { result[key] = style[key]; });
    if (rep.type === 'choropleth') {
      var number = asNumber(properties[rep.field]);
      // No classes: a large layer whose values the server did not read (its data loads later).
      var known = number !== null && rep.classes.length > 0;
      var colour = known ? rep.classes[classOf(number, rep.bounds)].colour : rep.noData.colour;
      result.fill_color = colour;
      result.fill = true;
      result.fill_opacity = 0.75;
      result.color = '#333333';
      result.weight = 1;
      if (rep.geometry !== 'area') { result.color = colour; }
    } else if (rep.type === 'categorized') {
      var category = this.vizCategory(rep, properties);
      result.color = category.colour;
      result.fill_color = category.colour;
      result.marker_shape = category.shape;
      result.dash_array = category.dash;
      if (category.pictogram) { result.pictogram = category.pictogram; }
    }
    return result;
  };

  methods.vizCategory = function (rep, properties) {
    var key = categoryKey(properties[rep.field]);
    if (!rep.byValue) {
      rep.byValue = {};
      rep.categories.forEach(function (category) { rep.byValue[category.value] = category; });
    }
    // "No value": its own dotted line and its "?" marker, never just another colour.
    return rep.byValue[key] || { colour: rep.other.colour, shape: 'circle', dash: '1 5', pictogram: '?' };
  };

  // Proportional circles: a circle marker whose area is proportional to the value.
  methods.vizPointLayer = function (entry, properties, style, latlng) {
    var rep = representation(entry);
    if (rep.type !== 'circles') { return null; }
    var value = asNumber(properties[rep.field]);
    var radius = rep.minRadius;
    if (value !== null && value > 0 && rep.largest > 0) {
      radius = Math.max(rep.minRadius, rep.maxRadius * Math.sqrt(value / rep.largest));
    }
    var colour = style.color || '#1f5fa8';
    var circle = this.L.circleMarker(latlng, {
      radius: radius, color: colour, weight: 1.5, fillColor: style.fill_color || colour, fillOpacity: 0.35
    });
    circle.umapRadius = radius;
    return circle;
  };

  // Called once a managed layer's features are built (entry.features filled, not yet drawn).
  methods.vizLayerReady = function (entry) {
    var L = this.L;
    var self = this;
    var rep = representation(entry);
    var indices = Object.keys(entry.features).map(Number);
    entry.viz = { holder: L.layerGroup(), shown: indices, zoomOk: true, drawn: null };
    entry.group.addLayer(entry.viz.holder);
    if (rep.type === 'heat') {
      // Leaflet.heat fades points by 2^(maxZoom - zoom): with maxZoom 10, a town seen at
      // zoom 16 keeps its full intensity. "intensity" 1 makes the heaviest point fully hot.
      entry.viz.heat = L.heatLayer([], {
        radius: rep.radius, blur: Math.round(rep.radius * 0.75), minOpacity: 0.1,
        max: 1 / Math.max(0.05, rep.intensity), maxZoom: 10
      });
      entry.viz.weights = this.heatWeights(entry, rep);
    } else if (rep.type === 'cluster') {
      entry.viz.cluster = parts.clusters.create(this, {
        radius: rep.radius,
        pointLayer: function (index) { return entry.features[index]; }
      });
    } else if (rep.type === 'circles') {
      // Big circles first, so that small ones stay on top and clickable.
      entry.viz.shown.sort(function (a, b) {
        return circleRadius(entry.features[b]) - circleRadius(entry.features[a]);
      });
    }
    this.map.on('zoomend', function () { self.vizCheckZoom(entry); });
    this.vizCheckZoom(entry, true);
  };

  function circleRadius(geo) {
    var radius = 0;
    eachLeaf(geo, function (part) { radius = part.umapRadius || radius; });
    return radius;
  }

  methods.heatWeights = function (entry, rep) {
    var weights = {};
    var largest = 0;
    Object.keys(entry.features).forEach(function (index) {
      var geo = entry.features[index];
      var weight = rep.field ? asNumber(geo.umapFeature.properties[rep.field]) : 1;
      weights[index] = weight === null ? 0 : Math.max(0, weight);
      largest = Math.max(largest, weights[index]);
    });
    // Weights between 0 and 1, the largest 1 (Leaflet.heat's scale).
    Object.keys(weights).forEach(function (index) { weights[index] = largest ? weights[index] / largest : 0; });
    return weights;
  };

  methods.vizCheckZoom = function (entry, force) {
    var zoom = this.map.getZoom();
    var config = entry.config;
    var ok = !(typeof config.minZoom === 'number' && zoom < config.minZoom) &&
      !(typeof config.maxZoom === 'number' && zoom > config.maxZoom);
    if (ok !== entry.viz.zoomOk || force) {
      entry.viz.zoomOk = ok;
      this.vizApply(entry);
    }
  };

  // Draw what the filters keep, as the representation says (nothing outside the zoom range).
  methods.vizApply = function (entry) {
    var viz = entry.viz;
    var L = this.L;
    var holder = viz.holder;
    holder.clearLayers();
    if (!viz.zoomOk) { return; }
    var rep = representation(entry);
    if (rep.type === 'heat') {
      viz.heat.setLatLngs(viz.shown.map(function (index) {
        var geo = entry.features[index];
        var target = geo.umapFeature.geometry.type === 'Point'
          ? L.GeoJSON.coordsToLatLng(geo.umapFeature.geometry.coordinates) : geo.getBounds().getCenter();
        return [target.lat, target.lng, viz.weights[index]];
      }));
      holder.addLayer(viz.heat);
    } else if (rep.type === 'cluster') {
      viz.cluster.setPoints(viz.shown.map(function (index) {
        var geometry = entry.features[index].umapFeature.geometry;
        return geometry.type === 'Point' ? { index: index, lng: geometry.coordinates[0], lat: geometry.coordinates[1] } : null;
      }).filter(Boolean));
      holder.addLayer(viz.cluster.layer);
      // Lines and polygons of a clustered layer are drawn as they are.
      viz.shown.forEach(function (index) {
        if (entry.features[index].umapFeature.geometry.type !== 'Point') { holder.addLayer(entry.features[index]); }
      });
    } else {
      viz.shown.forEach(function (index) { holder.addLayer(entry.features[index]); });
    }
  };

  // How many features of the layer are shown (the filters' count).
  methods.shownCount = function (entry) {
    return entry.viz ? entry.viz.shown.length : Object.keys(entry.features).length;
  };

  // Once every layer is in: the filters' form, then the slideshow (filters.js, slideshow.js).
  methods.vizMount = function () {
    if (this.legendMount) { this.legendMount(); }
    if (this.filtersMount) { this.filtersMount(); }
    if (this.slideshowMount && this.config.slideshow) { this.slideshowMount(); }
  };

  parts.vizHelpers = { asNumber: asNumber, categoryKey: categoryKey, classOf: classOf };
}());
