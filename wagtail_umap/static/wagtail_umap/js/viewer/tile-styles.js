/*
 * wagtail-umap public viewer: the styles and names of features read from vector tiles
 * (tiles.js, docs/large-data.md "Vector tiles").
 * An archive's tiles carry, beside each feature's position, its name and its _style, the
 * properties its layer's representation, rules (the layer's and the map's) and label read
 * (models/vector_tiles.py, core/vector_tiles.style_keys). A tiled feature is styled by the
 * same functions as an inline one (rules.js's featureStyle, then representations.js's
 * vizStyle with the classes and categories the server computed), so both have the same
 * colours, and the legend (the server's) describes both.
 * Loaded before tiles.js; shares window.wagtailUmap._parts with the other viewer scripts.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};

  // Representations computed from one property of each feature, which tiles carry.
  var TILED_REPRESENTATIONS = { plain: true, choropleth: true, categorized: true };

  function ruleFields(rules) {
    return (Array.isArray(rules) ? rules : []).map(function (rule) { return rule && rule.field; })
      .filter(function (field) { return typeof field === 'string' && field; });
  }

  // The properties a label key reads: itself, or the names in its {a|b|"text"} placeholders.
  function labelFields(labelKey) {
    if (typeof labelKey !== 'string' || !labelKey.trim()) { return []; }
    if (labelKey.indexOf('{') < 0) { return [labelKey]; }
    var fields = [];
    labelKey.replace(/\{([^{}]+)\}/g, function (match, inner) {
      inner.split('|').forEach(function (name) {
        name = name.trim();
        if (name && name.charAt(0) !== '"') { fields.push(name); }
      });
      return match;
    });
    return fields;
  }

  // The properties the layer's styles read: its representation's field, its rules' and the
  // map's rules' fields.
  function styleFields(viewer, entry) {
    var config = entry.config;
    var rep = config.representation || { type: 'plain' };
    var fields = rep.type !== 'plain' && rep.field ? [rep.field] : [];
    return fields.concat(ruleFields(config.rules), ruleFields((viewer.config.umap || {}).rules));
  }

  // The properties the layer's styles and names read (as style_keys on the server).
  function neededKeys(viewer, entry) {
    return styleFields(viewer, entry).concat(labelFields(entry.config.labelKey))
      .filter(function (key) { return key !== 'name' && key !== '_style'; });
  }

  // Whether the layer's tiles carry all it is drawn with: its representation is one of the
  // above, no filter or zoom range hides features (those need every feature: the layer loads
  // its data URL), and the archive holds the properties its styles and names read.
  function canStyle(viewer, entry) {
    var config = entry.config;
    var rep = config.representation || { type: 'plain' };
    if (!TILED_REPRESENTATIONS[rep.type || 'plain']) { return false; }
    if ((config.filters && config.filters.length) || (viewer.config.filters && viewer.config.filters.length)) { return false; }
    if (typeof config.minZoom === 'number' || typeof config.maxZoom === 'number') { return false; }
    var carried = (config.tiles && config.tiles.keys) || [];
    return neededKeys(viewer, entry).every(function (key) { return carried.indexOf(key) >= 0; });
  }

  // The style of a feature from its properties, exactly as viewer.js's addFeatures gives it.
  function featureStyle(viewer, entry, properties) {
    var style = parts.rules ? parts.rules.featureStyle(viewer, entry, properties)
      : parts.style.mergeStyle(entry.config.style || {}, properties._style);
    var rep = entry.config.representation || { type: 'plain' };
    if (rep.type && rep.type !== 'plain' && viewer.vizStyle) { style = viewer.vizStyle(entry, properties, style); }
    return style;
  }

  // A tile feature's properties ({name, _style (parsed), and the carried ones}), from what
  // the tiling worker sends: n (name), s (_style), p (the other properties).
  function tileProperties(feature) {
    var properties = {};
    var carried = feature.p || {};
    Object.keys(carried).forEach(function (key) { properties[key] = carried[key]; });
    if (feature.n !== null && feature.n !== undefined) { properties.name = feature.n; }
    if (feature.s) { properties._style = feature.s; }
    return properties;
  }

  // The Leaflet path options of a tile feature, kept per value of what its style reads: its
  // _style and the properties its rules and representation read (a choropleth's classes: few
  // distinct styles). Not its name or the properties of its label, carried too, which differ
  // from one feature to the next: each feature would be styled anew (35,000 polygons: most of
  // a zoom step's drawing).
  function pathStyler(viewer, entry) {
    var cache = {};
    var size = 0;
    var read = styleFields(viewer, entry);
    return function (feature) {
      var values = read.map(function (key) { return key === 'name' ? feature.n : (feature.p || {})[key]; });
      var key = read.length || feature.s ? JSON.stringify([values, feature.s]) : '';
      if (!(key in cache)) {
        if (size > 5000) { cache = {}; size = 0; }
        cache[key] = parts.style.leafletPathStyle(featureStyle(viewer, entry, tileProperties(feature)));
        size++;
      }
      return cache[key];
    };
  }

  parts.tileStyles = {
    neededKeys: neededKeys, canStyle: canStyle, featureStyle: featureStyle,
    tileProperties: tileProperties, pathStyler: pathStyler
  };
}());
