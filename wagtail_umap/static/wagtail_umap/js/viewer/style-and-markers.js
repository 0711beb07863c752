/*
 * wagtail-umap public viewer: feature styles and marker icons.
 * Our style keys to Leaflet's path options; point markers as SVG built with DOM APIs.
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var SVG_NS = parts.dom.SVG_NS;
  var svgChild = parts.dom.svgChild;

  // Colours only reach setAttribute, but stay strict anyway: #hex, rgb()/hsl() or a name.
  var COLOR_RE = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([0-9.,%\s]+\)|[a-z]{3,20})$/i;
  function safeColor(value, fallback) {
    return typeof value === 'string' && COLOR_RE.test(value.trim()) ? value.trim() : fallback;
  }
  function safeNumber(value, fallback, min, max) {
    return typeof value === 'number' && isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  }

  var DEFAULT_STYLE = { color: '#1f5fa8', weight: 3, opacity: 0.9, fill_opacity: 0.3, fill: true };

  function mergeStyle(layerStyle, featureStyle) {
    var style = {};
    [DEFAULT_STYLE, layerStyle || {}, featureStyle || {}].forEach(function (source) {
      Object.keys(source).forEach(function (key) { style[key] = source[key]; });
    });
    return style;
  }

  // Our style keys (the map document's) to Leaflet's path options.
  function leafletPathStyle(style) {
    var color = safeColor(style.color, DEFAULT_STYLE.color);
    var options = {
      color: color,
      weight: safeNumber(style.weight, DEFAULT_STYLE.weight, 0, 50),
      opacity: safeNumber(style.opacity, DEFAULT_STYLE.opacity, 0, 1),
      fillColor: safeColor(style.fill_color, color),
      fillOpacity: safeNumber(style.fill_opacity, DEFAULT_STYLE.fill_opacity, 0, 1),
      fill: style.fill !== false
    };
    if (typeof style.dash_array === 'string' && /^[0-9.,\s]+$/.test(style.dash_array)) {
      options.dashArray = style.dash_array;
    }
    return options;
  }

  // --- markers -----------------------------------------------------------------------------

  // Each shape: box size, anchor (the point on the map), popup anchor and how to draw it.
  var SHAPES = {
    pin: { size: [26, 36], anchor: [13, 35], popup: [0, -32], draw: function (svg, fill) {
      svgChild(svg, 'path', { d: 'M13 1C6.4 1 1 6.2 1 12.7 1 21.4 13 35 13 35s12-13.6 12-22.3C25 6.2 19.6 1 13 1z', fill: fill });
      svgChild(svg, 'circle', { cx: 13, cy: 12.5, r: 4.5, fill: '#fff', stroke: 'none' });
    } },
    drop: { size: [26, 32], anchor: [13, 31], popup: [0, -28], draw: function (svg, fill) {
      svgChild(svg, 'path', { d: 'M13 31 4.5 19.5A10.5 10.5 0 1 1 21.5 19.5z', fill: fill });
    } },
    circle: { size: [24, 24], anchor: [12, 12], popup: [0, -10], draw: function (svg, fill) {
      svgChild(svg, 'circle', { cx: 12, cy: 12, r: 10, fill: fill });
    } },
    square: { size: [24, 24], anchor: [12, 12], popup: [0, -10], draw: function (svg, fill) {
      svgChild(svg, 'rect', { x: 2, y: 2, width: 20, height: 20, rx: 2, fill: fill });
    } }
  };

  function markerIcon(style, label, featureKey) {
    var shape = SHAPES[style.marker_shape] || SHAPES.pin;
    var fill = safeColor(style.fill_color || style.color, DEFAULT_STYLE.color);
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + shape.size[0] + ' ' + shape.size[1]);
    svg.setAttribute('width', shape.size[0]);
    svg.setAttribute('height', shape.size[1]);
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('stroke', '#fff');
    svg.setAttribute('stroke-width', '1.5');
    shape.draw(svg, fill);
    var icon = new NamedDivIcon({
      html: svg,
      className: 'umap-marker umap-marker--' + (style.marker_shape in SHAPES ? style.marker_shape : 'pin'),
      iconSize: shape.size,
      iconAnchor: shape.anchor,
      popupAnchor: shape.popup,
      label: label,
      featureKey: featureKey
    });
    return icon;
  }

  var NamedDivIcon;
  function defineClasses(L) {
    // A DivIcon whose element carries the feature's accessible name and key.
    NamedDivIcon = L.DivIcon.extend({
      createIcon: function (oldIcon) {
        // Leaflet moves an HTMLElement `html` into the icon: give each icon its own copy.
        var options = this.options;
        var html = options.html;
        options.html = html.cloneNode(true);
        var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
        options.html = html;
        div.setAttribute('aria-label', options.label);
        div.setAttribute('data-umap-feature', options.featureKey);
        return div;
      }
    });
  }

  function ensureClasses(L) {
    if (!NamedDivIcon) { defineClasses(L); }
  }

  parts.style = {
    mergeStyle: mergeStyle,
    leafletPathStyle: leafletPathStyle,
    markerIcon: markerIcon,
    ensureClasses: ensureClasses
  };
}());
