/*
 * wagtail-umap public viewer: the basemap switcher, overlays and the map's limits.
 *
 * config.basemaps lists the basemaps a visitor may switch between (the map's own first); with
 * more than one, or with overlays, a control at the top right offers them: a button that opens
 * a panel of real form fields (radio buttons for the basemap, a checkbox and an opacity slider
 * per overlay), each with its name, all usable with the keyboard (the panel keeps the arrow
 * keys: Leaflet would pan the map with them). config.limitBounds keeps the view inside a box.
 * The section carries data-umap-basemap="<id>" of the basemap shown (print.js reads it).
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var counter = 0;

  // A tile layer from one entry of the configuration (basemap or overlay).
  function tileLayer(L, entry, extra) {
    var options = {
      attribution: entry.attribution,
      minZoom: entry.minZoom,
      maxZoom: entry.maxZoom,
      referrerPolicy: entry.referrerPolicy
    };
    if (entry.subdomains) { options.subdomains = entry.subdomains; }
    if (entry.grayscale) { options.className = 'umap-tiles-grayscale'; }
    if (entry.crossOrigin) { options.crossOrigin = 'anonymous'; }
    Object.keys(extra || {}).forEach(function (key) { options[key] = extra[key]; });
    return L.tileLayer(entry.url, options);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function layersIcon() {
    var svg = document.createElementNS(SVG_NS, 'svg');
    [['viewBox', '0 0 24 24'], ['width', '20'], ['height', '20'], ['aria-hidden', 'true'], ['focusable', 'false'],
      ['fill', 'none'], ['stroke', 'currentColor'], ['stroke-width', '2'], ['stroke-linejoin', 'round']].forEach(function (pair) {
      svg.setAttribute(pair[0], pair[1]);
    });
    ['M12 3 2 8.5 12 14l10-5.5z', 'M2 15.5 12 21l10-5.5'].forEach(function (d) {
      var path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }

  function interpolate(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (match, key) { return key in values ? values[key] : match; });
  }

  // The switcher's panel: basemaps as radio buttons, overlays as checkbox + opacity.
  function buildPanel(viewer, state) {
    var strings = viewer.strings;
    var config = viewer.config;
    var id = viewer.root.id + '-basemaps-' + (counter += 1);
    var panel = element('div', { id: id, class: 'umap-basemaps__panel' });
    panel.hidden = true;
    if (config.basemaps.length > 1) {
      var group = element('fieldset', { class: 'umap-basemaps__group' });
      group.appendChild(element('legend', {}, strings.basemap));
      config.basemaps.forEach(function (basemap, index) {
        var label = element('label', { class: 'umap-basemaps__choice' });
        var radio = element('input', { type: 'radio', name: id + '-basemap', value: basemap.id, 'data-umap-basemap-choice': basemap.id });
        radio.checked = index === 0;
        radio.addEventListener('change', function () { if (radio.checked) { state.show(basemap); } });
        label.appendChild(radio);
        label.appendChild(document.createTextNode(' ' + basemap.label));
        group.appendChild(label);
      });
      panel.appendChild(group);
    }
    if (config.overlays.length) {
      var overlays = element('fieldset', { class: 'umap-basemaps__group' });
      overlays.appendChild(element('legend', {}, strings.overlays));
      config.overlays.forEach(function (overlay, index) {
        var layer = state.overlays[index];
        var row = element('div', { class: 'umap-basemaps__overlay' });
        var label = element('label', { class: 'umap-basemaps__choice' });
        var box = element('input', { type: 'checkbox', 'data-umap-overlay': overlay.id });
        box.checked = overlay.shown;
        label.appendChild(box);
        label.appendChild(document.createTextNode(' ' + overlay.label));
        var sliderId = id + '-opacity-' + index;
        var sliderLabel = element('label', { for: sliderId, class: 'umap-basemaps__opacity-label' },
          interpolate(strings.opacity, { name: overlay.label }));
        var slider = element('input', {
          type: 'range', id: sliderId, min: '0', max: '100', step: '10',
          value: String(Math.round(overlay.opacity * 100)), 'data-umap-overlay-opacity': overlay.id
        });
        slider.setAttribute('aria-valuetext', Math.round(overlay.opacity * 100) + ' %');
        // The opacity of an overlay that is not shown would change nothing: off with it.
        slider.disabled = !box.checked;
        box.addEventListener('change', function () {
          if (box.checked) { layer.addTo(viewer.map); } else { viewer.map.removeLayer(layer); }
          slider.disabled = !box.checked;
        });
        slider.addEventListener('input', function () {
          layer.setOpacity(slider.value / 100);
          slider.setAttribute('aria-valuetext', slider.value + ' %');
        });
        row.appendChild(label);
        row.appendChild(sliderLabel);
        row.appendChild(slider);
        overlays.appendChild(row);
      });
      panel.appendChild(overlays);
    }
    return panel;
  }

  function addSwitcher(viewer, state) {
    var L = viewer.L;
    var container = L.DomUtil.create('div', 'leaflet-control leaflet-bar umap-basemaps');
    L.DomEvent.disableClickPropagation(container);
    L.DomEvent.disableScrollPropagation(container);
    // Arrow keys move between radio buttons and a slider's value, not the map.
    L.DomEvent.on(container, 'keydown', function (event) {
      if (event.key === 'Escape' && !panel.hidden) { toggle(false); button.focus(); }
      L.DomEvent.stopPropagation(event);
    });
    var panel = buildPanel(viewer, state);
    var button = element('button', {
      type: 'button', class: 'umap-control-button umap-basemaps__toggle', 'aria-expanded': 'false',
      'aria-controls': panel.id, 'data-umap-control': 'basemaps'
    });
    button.setAttribute('aria-label', viewer.strings.basemaps);
    button.title = viewer.strings.basemaps;
    button.appendChild(layersIcon());
    function toggle(open) {
      panel.hidden = !open;
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    button.addEventListener('click', function () { toggle(panel.hidden); });
    container.appendChild(button);
    container.appendChild(panel);
    var Control = L.Control.extend({ onAdd: function () { return container; } });
    new Control({ position: 'topright' }).addTo(viewer.map);
  }

  // Called by viewer.js once the map's own basemap is on the map (viewer.baseLayer).
  function mount(viewer) {
    var L = viewer.L;
    var config = viewer.config;
    var map = viewer.map;
    var root = viewer.root;
    var basemaps = config.basemaps || [];
    var overlays = config.overlays || [];
    root.setAttribute('data-umap-basemap', config.basemap.id);
    var state = {
      overlays: overlays.map(function (overlay) {
        // Over the basemap, under the data (tile pane, above the basemap's z-index).
        var layer = tileLayer(L, overlay, { opacity: overlay.opacity, zIndex: 2 });
        if (overlay.shown) { layer.addTo(map); }
        return layer;
      }),
      show: function (basemap) {
        var next = tileLayer(L, basemap, { zIndex: 1 });
        map.removeLayer(viewer.baseLayer);
        viewer.baseLayer = next.addTo(map);
        root.setAttribute('data-umap-basemap', basemap.id);
      }
    };
    if (basemaps.length > 1 || overlays.length) { addSwitcher(viewer, state); }
    if (config.limitBounds) {
      var bounds = L.latLngBounds(config.limitBounds);
      map.options.maxBoundsViscosity = 1;
      map.setMaxBounds(bounds);
      // Never so far out that the box is a speck in the middle of the map.
      map.setMinZoom(Math.max(map.getMinZoom(), map.getBoundsZoom(bounds) - 1));
    }
  }

  parts.basemaps = { mount: mount };
}());
