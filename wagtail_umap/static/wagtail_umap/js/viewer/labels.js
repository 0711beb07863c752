/*
 * wagtail-umap public viewer: permanent labels (uMap's showLabel, labelDirection,
 * labelInteractive; our style keys show_label, label_direction, label_interactive).
 * A label is a standalone Leaflet tooltip holding the feature's name as text. It is
 * aria-hidden: the marker's accessible name and the list under the map already name the
 * feature. After each move or zoom, labels are measured in order and one that overlaps a label
 * shown before it is hidden (.umap-label--hidden), so that the map stays readable.
 * "hover": the label shows while the pointer is on the feature.
 * Loaded before ../viewer.js; shares window.wagtailUmap._parts with the other viewer scripts.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var eachLeaf = parts.dom.eachLeaf;

  var DIRECTIONS = { auto: 1, left: 1, right: 1, top: 1, bottom: 1 };
  var GAP = 2; // pixels kept between two labels

  function anchorOf(L, geo) {
    var point = null;
    eachLeaf(geo, function (part) {
      if (point) { return; }
      if (part.getLatLng) { point = { latlng: part.getLatLng(), marker: part instanceof L.Marker }; }
      else if (part.getBounds) { point = { latlng: part.getBounds().getCenter(), marker: false }; }
    });
    return point;
  }

  function offsetFor(direction, marker) {
    if (!marker) { return [0, 0]; }
    if (direction === 'top') { return [0, -32]; }
    if (direction === 'bottom') { return [0, 4]; }
    if (direction === 'left') { return [-12, -16]; }
    return [12, -16]; // right, auto
  }

  function onMap(viewer, geo) {
    var shown = false;
    eachLeaf(geo, function (part) { if (!shown && viewer.map.hasLayer(part)) { shown = true; } });
    return shown;
  }

  function hideAria(tooltip) {
    var element = tooltip.getElement();
    if (element) {
      element.setAttribute('aria-hidden', 'true');
      element.removeAttribute('role');
    }
  }

  // Show each label whose feature is on the map, hiding one that overlaps an earlier label.
  function layout(viewer) {
    var state = viewer.umapLabels;
    if (!state) { return; }
    var placed = [];
    state.labels.forEach(function (label) {
      var visible = label.mode === 'always' ? onMap(viewer, label.geo) : label.hovered && onMap(viewer, label.geo);
      if (!visible) {
        if (viewer.map.hasLayer(label.tooltip)) { viewer.map.removeLayer(label.tooltip); }
        return;
      }
      if (!viewer.map.hasLayer(label.tooltip)) {
        label.tooltip.addTo(viewer.map);
        hideAria(label.tooltip);
      }
      var element = label.tooltip.getElement();
      if (!element) { return; }
      element.classList.remove('umap-label--hidden');
      if (label.mode !== 'always') { return; } // a hovered label always shows
      var box = element.getBoundingClientRect();
      var overlaps = placed.some(function (other) {
        return box.left < other.right + GAP && box.right + GAP > other.left &&
          box.top < other.bottom + GAP && box.bottom + GAP > other.top;
      });
      if (overlaps) {
        element.classList.add('umap-label--hidden');
        element.setAttribute('data-umap-label-hidden', 'overlap');
      } else {
        element.removeAttribute('data-umap-label-hidden');
        placed.push(box);
      }
    });
  }

  function add(viewer, entry) {
    var L = viewer.L;
    if (!viewer.umapLabels) {
      viewer.umapLabels = { labels: [], scheduled: false };
      var schedule = function () {
        if (viewer.umapLabels.scheduled) { return; }
        viewer.umapLabels.scheduled = true;
        window.requestAnimationFrame(function () {
          viewer.umapLabels.scheduled = false;
          layout(viewer);
        });
      };
      viewer.umapLabels.schedule = schedule;
      viewer.map.on('zoomend moveend layeradd layerremove', function (event) {
        // Our own tooltips come and go in layout(): they must not trigger it again.
        if (event && event.layer && event.layer.umapLabel) { return; }
        schedule();
      });
    }
    var state = viewer.umapLabels;
    Object.keys(entry.features).forEach(function (index) {
      var geo = entry.features[index];
      var info = geo && geo.umapFeature;
      if (!info || !info.style) { return; }
      var mode = info.style.show_label;
      if (mode !== 'always' && mode !== 'hover') { return; }
      var anchor = anchorOf(L, geo);
      if (!anchor) { return; }
      var direction = DIRECTIONS[info.style.label_direction] ? info.style.label_direction : 'auto';
      var interactive = info.style.label_interactive === true;
      var tooltip = L.tooltip({
        permanent: true,
        direction: direction === 'auto' ? 'right' : direction,
        offset: offsetFor(direction, anchor.marker),
        interactive: interactive,
        className: 'umap-label' + (interactive ? ' umap-label--interactive' : ''),
        opacity: 1
      });
      tooltip.umapLabel = true;
      tooltip.setLatLng(anchor.latlng);
      tooltip.setContent(document.createTextNode(info.name)); // text, never markup
      var label = { geo: geo, tooltip: tooltip, mode: mode, hovered: false, key: info.key };
      tooltip.on('add', function () {
        var element = tooltip.getElement();
        if (element) {
          element.setAttribute('data-umap-label', info.key);
          if (info.named) { parts.dom.setLang(element, entry.config.language); }
        }
      });
      if (interactive) {
        tooltip.on('click', function () { viewer.openPopup(info.key, anchor.latlng, viewer.mapEl); });
      }
      if (mode === 'hover') {
        geo.on('mouseover', function () { label.hovered = true; state.schedule(); });
        geo.on('mouseout', function () { label.hovered = false; state.schedule(); });
      }
      state.labels.push(label);
    });
    state.schedule();
  }

  parts.labels = { add: add, layout: layout };
}());
