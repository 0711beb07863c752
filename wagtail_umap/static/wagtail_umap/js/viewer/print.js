/*
 * wagtail-umap public viewer: printing.
 *
 * On every live map (controls.print on, config.printUrl set): a "Print or save as an image"
 * link under the zoom, which opens the map's print view at the view the reader is looking at
 * (lat, lng, zoom and the visible layers travel in its query).
 * On the print view (templates/wagtail_umap/print.html, body[data-umap-print-page]): the
 * "Print…" button (the browser's print: css/print.css lays out the sheet), the PNG export
 * (image-export.js) and the view fields of the settings form, kept current as the map moves so
 * that choosing another paper keeps the view.
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var PRINTER = ['M7 9V3h10v6', 'M7 17H5a2 2 0 0 1-2-2v-4a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2h-2',
    'M7 14h10v7H7z'];

  function round(number, digits) {
    var factor = Math.pow(10, digits);
    return Math.round(number * factor) / factor;
  }

  function interpolate(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  // What the print view needs to show what the reader sees: the view and the visible layers.
  function currentView(viewer) {
    var map = viewer.map;
    var center = map.getCenter();
    var layers = Object.keys(viewer.layers).filter(function (id) { return map.hasLayer(viewer.layers[id].group); });
    return { lat: round(center.lat, 5), lng: round(center.lng, 5), zoom: map.getZoom(), layers: layers.join(',') };
  }

  function printerIcon() {
    var svg = document.createElementNS(SVG_NS, 'svg');
    [['viewBox', '0 0 24 24'], ['width', '20'], ['height', '20'], ['aria-hidden', 'true'], ['focusable', 'false'],
      ['fill', 'none'], ['stroke', 'currentColor'], ['stroke-width', '2'], ['stroke-linejoin', 'round']].forEach(function (pair) {
      svg.setAttribute(pair[0], pair[1]);
    });
    PRINTER.forEach(function (d) {
      var path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }

  // The viewer's link to its print view (a link: it opens a page, and works in a new tab too).
  function addControl(viewer) {
    var L = viewer.L;
    var link = document.createElement('a');
    link.className = 'umap-control-button umap-control-button--print';
    link.setAttribute('data-umap-control', 'print');
    link.setAttribute('aria-label', viewer.strings.print);
    link.title = viewer.strings.print;
    link.appendChild(printerIcon());
    function update() {
      var url = new URL(viewer.config.printUrl, window.location.href);
      var view = currentView(viewer);
      Object.keys(view).forEach(function (key) { url.searchParams.set(key, view[key]); });
      link.href = url.pathname + url.search;
    }
    link.href = viewer.config.printUrl;
    // Kept current when the pointer or the keyboard reaches it, not at every move.
    ['focus', 'mouseenter', 'touchstart'].forEach(function (name) { link.addEventListener(name, update); });
    link.addEventListener('click', update);
    var bar = L.DomUtil.create('div', 'leaflet-bar leaflet-control umap-control-bar umap-print-control');
    L.DomEvent.disableClickPropagation(bar);
    bar.appendChild(link);
    var Control = L.Control.extend({ onAdd: function () { return bar; } });
    new Control({ position: 'topleft' }).addTo(viewer.map);
  }

  parts.print = { addControl: addControl };

  // --- the print view ----------------------------------------------------------------------

  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function setUpPrintPage(body) {
    var section = document.getElementById(body.getAttribute('data-umap-print-page'));
    var strings = JSON.parse(document.getElementById(body.getAttribute('data-umap-print-strings')).textContent);
    var status = body.querySelector('[data-umap-print-status]');
    var printButton = body.querySelector('[data-umap-print-button]');
    var exportButton = body.querySelector('[data-umap-export-button]');
    if (!section) { return; }
    var config = JSON.parse(document.getElementById(section.getAttribute('data-umap-config')).textContent);
    var map = null;

    function say(text) { status.textContent = text; }

    function keepView() {
      var center = map.getCenter();
      var values = { lat: round(center.lat, 5), lng: round(center.lng, 5), zoom: map.getZoom() };
      Object.keys(values).forEach(function (key) {
        var field = body.querySelector('[data-umap-print-view="' + key + '"]');
        if (field) { field.value = values[key]; }
      });
    }

    printButton.hidden = false;
    printButton.addEventListener('click', function () { window.print(); });
    exportButton.hidden = !parts.imageExport;
    exportButton.addEventListener('click', function () {
      if (!map) { say(strings.notReady); return; }
      exportButton.setAttribute('aria-busy', 'true');
      exportButton.disabled = true;
      say(strings.exporting);
      // The basemap the reader chose in the switcher, if any (basemaps.js).
      var shownId = section.getAttribute('data-umap-basemap');
      var basemap = (config.basemaps || []).filter(function (item) { return item.id === shownId; })[0] || config.basemap;
      parts.imageExport.exportImage(map, window.L, basemap).then(function (result) {
        var name = body.getAttribute('data-umap-image-name') || 'map.png';
        download(result.blob, name);
        var said = [interpolate(strings.exported, { name: name })];
        if (!result.withTiles) { said.unshift(interpolate(strings.basemapRefused, { name: basemap.label })); }
        say(said.join(' '));
      }).catch(function () {
        say(strings.exportError);
      }).then(function () {
        exportButton.removeAttribute('aria-busy');
        exportButton.disabled = false;
      });
    });

    // The layer switcher (screen only) chooses the layers printed: the key and the form follow.
    function keepLayers() {
      var shown = [];
      section.querySelectorAll('.leaflet-control-layers-selector').forEach(function (box, index) {
        var id = box.getAttribute('data-umap-switch-layer'); // groups: the tree's order
        var layer = id ? config.layers.filter(function (item) { return item.id === id; })[0] : config.layers[index];
        if (!layer) { return; }
        if (box.checked) { shown.push(layer.id); }
        var entry = body.querySelector('[data-umap-key-layer="' + CSS.escape(layer.id) + '"]');
        if (entry) { entry.hidden = !box.checked; }
      });
      // A group's heading is printed while one of its layers is (groups: sharing/printing.py).
      body.querySelectorAll('[data-umap-key-group]').forEach(function (group) {
        group.hidden = !group.querySelector('[data-umap-key-layer]:not([hidden])');
      });
      var field = body.querySelector('[data-umap-print-view="layers"]');
      if (field && section.querySelector('.leaflet-control-layers-selector')) { field.value = shown.join(','); }
    }

    function ready() {
      var mounted = window.wagtailUmap.get && window.wagtailUmap.get(section.id);
      if (!mounted) { return; }
      map = mounted.map;
      map.on('moveend', keepView);
      map.on('overlayadd overlayremove', keepLayers);
      // The sheet has the paper's size on screen already; a late font or stylesheet may still
      // change the map's box before the browser prints it.
      window.addEventListener('beforeprint', function () { map.invalidateSize({ animate: false }); });
    }
    if (section.getAttribute('data-umap-state') === 'ready') { ready(); } else { section.addEventListener('umap:ready', ready); }
  }

  function start() {
    var body = document.querySelector('[data-umap-print-page]');
    if (body) { setUpPrintPage(body); }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
