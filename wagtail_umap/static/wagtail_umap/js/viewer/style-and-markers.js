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

  // Each shape: box size, anchor (the point on the map), popup anchor, how to draw it, and
  // the centre of its "head", where a pictogram goes (on a white disc: readable on any colour).
  var SHAPES = {
    pin: { size: [26, 36], anchor: [13, 35], popup: [0, -32], head: [13, 12.5], draw: function (svg, fill) {
      svgChild(svg, 'path', { d: 'M13 1C6.4 1 1 6.2 1 12.7 1 21.4 13 35 13 35s12-13.6 12-22.3C25 6.2 19.6 1 13 1z', fill: fill });
    } },
    drop: { size: [26, 32], anchor: [13, 31], popup: [0, -28], head: [13, 12], draw: function (svg, fill) {
      svgChild(svg, 'path', { d: 'M13 31 4.5 19.5A10.5 10.5 0 1 1 21.5 19.5z', fill: fill });
    } },
    circle: { size: [24, 24], anchor: [12, 12], popup: [0, -10], head: [12, 12], draw: function (svg, fill) {
      svgChild(svg, 'circle', { cx: 12, cy: 12, r: 10, fill: fill });
    } },
    square: { size: [24, 24], anchor: [12, 12], popup: [0, -10], head: [12, 12], draw: function (svg, fill) {
      svgChild(svg, 'rect', { x: 2, y: 2, width: 20, height: 20, rx: 2, fill: fill });
    } }
  };
  var PICTOGRAM_TEXT = '#1b1b1b';  // on the white disc: over 15:1
  // The library's pictograms (Maki): a sprite of <symbol>s whose address the viewer and the
  // editor set from their configuration (`assets.pictograms`).
  // An editor's own icon ("image:12", "document:12") comes from the site's icon view.
  var ICON_NAME_RE = /^[a-z0-9-]{1,40}$/;
  var OWN_ICON_RE = /^(image|document):[1-9][0-9]{0,11}$/;
  var assets = { pictograms: '', icon: '' };
  function setAssets(values) {
    if (!values) { return; }
    if (typeof values.pictograms === 'string') { assets.pictograms = values.pictograms; }
    if (typeof values.icon === 'string') { assets.icon = values.icon; }
  }
  function iconOf(style) {
    var name = typeof style.icon === 'string' ? style.icon : '';
    return ICON_NAME_RE.test(name) && assets.pictograms ? name : '';
  }
  function ownIconUrl(style) {
    var value = typeof style.icon === 'string' ? style.icon : '';
    return OWN_ICON_RE.test(value) && assets.icon ? assets.icon + '?icon=' + encodeURIComponent(value) : '';
  }

  // The pictogram on the white disc, drawn in the dark ink of the text pictograms; an
  // editor's own icon as the picture it is.
  function drawIcon(svg, cx, cy, name, url) {
    svgChild(svg, 'circle', { cx: cx, cy: cy, r: 8, fill: '#fff', stroke: 'none' });
    if (url) {
      var image = svgChild(svg, 'image', { x: cx - 6, y: cy - 6, width: 12, height: 12, preserveAspectRatio: 'xMidYMid meet' });
      image.setAttribute('href', url);
      return;
    }
    var use = svgChild(svg, 'use', { x: cx - 5.5, y: cy - 5.5, width: 11, height: 11, fill: PICTOGRAM_TEXT, stroke: 'none' });
    use.setAttribute('href', assets.pictograms + '#' + name);
  }

  // The pin keeps its white dot when it has no pictogram (as before); others stay plain.
  function drawHead(svg, shapeName, shape, pictogram, icon) {
    var cx = shape.head[0];
    var cy = shape.head[1];
    if (icon) { drawIcon(svg, cx, cy, icon.name, icon.url); return; }
    if (!pictogram) {
      if (shapeName === 'pin') { svgChild(svg, 'circle', { cx: cx, cy: cy, r: 4.5, fill: '#fff', stroke: 'none' }); }
      return;
    }
    svgChild(svg, 'circle', { cx: cx, cy: cy, r: 8, fill: '#fff', stroke: 'none' });
    var length = Array.from(pictogram).length;
    var text = svgChild(svg, 'text', {
      x: cx,
      y: cy,
      'text-anchor': 'middle',
      'dominant-baseline': 'central',
      'font-family': 'system-ui, sans-serif',
      'font-weight': '700',
      'font-size': length <= 1 ? 10 : length === 2 ? 8 : 6,
      fill: PICTOGRAM_TEXT,
      stroke: 'none'
    });
    text.textContent = pictogram;  // as text, never markup
  }

  // marker_size is the marker's height in pixels; absent, each shape keeps its own size (~32).
  function markerBox(shape, style) {
    var size = style.marker_size;
    if (typeof size !== 'number' || !isFinite(size)) { return shape; }
    var scale = Math.min(64, Math.max(16, size)) / shape.size[1];
    function scaled(pair) { return [Math.round(pair[0] * scale), Math.round(pair[1] * scale)]; }
    return { size: scaled(shape.size), anchor: scaled(shape.anchor), popup: scaled(shape.popup) };
  }

  // The marker's picture: {svg, box, shapeName, pictogram} (also drawn by the editor's map).
  function markerSvg(style) {
    var shapeName = style.marker_shape in SHAPES ? style.marker_shape : 'pin';
    var shape = SHAPES[shapeName];
    var box = markerBox(shape, style);
    var fill = safeColor(style.fill_color || style.color, DEFAULT_STYLE.color);
    var name = iconOf(style);
    var url = name ? '' : ownIconUrl(style);
    var icon = name || url ? { name: name, url: url } : null;
    var pictogram = name || url || (typeof style.pictogram === 'string' ? style.pictogram.trim() : '');
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + shape.size[0] + ' ' + shape.size[1]);
    svg.setAttribute('width', box.size[0]);
    svg.setAttribute('height', box.size[1]);
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('stroke', '#fff');
    svg.setAttribute('stroke-width', '1.5');
    shape.draw(svg, fill);
    drawHead(svg, shapeName, shape, pictogram, icon);
    return { svg: svg, box: box, shapeName: shapeName, pictogram: pictogram };
  }

  // lang: the data's language of a named feature ("" : the page's), for its accessible name.
  // The pictogram is decorative: the marker is named after its feature (see viewer.js).
  function markerIcon(style, label, featureKey, lang) {
    var drawn = markerSvg(style);
    var svg = drawn.svg;
    var box = drawn.box;
    var shapeName = drawn.shapeName;
    var pictogram = drawn.pictogram;
    var icon = new NamedDivIcon({
      html: svg,
      className: 'umap-marker umap-marker--' + shapeName + (pictogram ? ' umap-marker--pictogram' : ''),
      iconSize: box.size,
      iconAnchor: box.anchor,
      popupAnchor: box.popup,
      label: label,
      featureKey: featureKey,
      lang: lang || ''
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
        if (options.lang) { div.setAttribute('lang', options.lang); }
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
    markerSvg: markerSvg,
    setAssets: setAssets,
    iconOf: iconOf,
    ownIconUrl: ownIconUrl,
    shapes: Object.keys(SHAPES),
    ensureClasses: ensureClasses
  };
}());
