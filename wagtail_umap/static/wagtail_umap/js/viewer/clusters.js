/*
 * wagtail-umap public viewer: point clusters (supercluster in a Web Worker, cluster-worker.js).
 * A cluster shows its count, is a keyboard button named for screen readers with its count and
 * where it is on the map ("17 280 lieux, nord-est de la carte"), and zooms in to split on
 * click, Enter or Space; the status region then says how many places the map shows. Single points are drawn by the layer's own
 * markers, so popups, names and keys work as everywhere else.
 *
 * API (parts.clusters, also used for large point layers):
 *   var clusters = parts.clusters.create(viewer, {radius: 60, pointLayer: function (index) {…}});
 *   viewer.map has clusters.layer added (by the caller, e.g. inside the layer's group);
 *   clusters.setPoints([{index, lng, lat}, …])  (re)builds the index, e.g. after filtering;
 *   options.worker: a worker that has its points already (a vector-tile archive, tiles.js):
 *     it answers the same queries, and pointLayer(index, item) gets the point's name and style;
 *   clusters.destroy()                         stops the worker.
 * Without Worker support (or if the worker fails) every point is drawn unclustered.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var plural = parts.dom.plural;
  var interpolate = parts.dom.interpolate;

  // Where a point is on the map, in words: a third of its width and height each way.
  function whereOnMap(map, latlng) {
    var size = map.getSize();
    var point = map.latLngToContainerPoint(latlng);
    var column = point.x < size.x / 3 ? 'w' : point.x > size.x * 2 / 3 ? 'e' : '';
    var row = point.y < size.y / 3 ? 'n' : point.y > size.y * 2 / 3 ? 's' : '';
    return (row + column) || 'c';
  }

  function sizeClass(count) {
    return count < 10 ? 'small' : count < 100 ? 'medium' : 'large';
  }

  function create(viewer, options) {
    var L = viewer.L;
    var map = viewer.map;
    var layer = L.layerGroup();
    var points = [];
    var seq = 0;
    var ready = false;
    var worker = null;
    var opened = false; // a cluster was just opened: say what the map shows once redrawn

    try {
      // options.worker: one that already has the points (a vector-tile archive, tiles.js).
      worker = options.worker || new Worker(viewer.config.assets.clusterWorker);
    } catch (error) {
      worker = null;
    }

    function drawAll() {
      layer.clearLayers();
      points.forEach(function (point) { layer.addLayer(options.pointLayer(point.index)); });
    }

    function clusterMarker(item) {
      var strings = viewer.strings.viz;
      var places = plural(strings.cluster, item.count, viewer.config.language);
      var label = strings.clusterAt && strings.clusterWhere
        ? interpolate(strings.clusterAt, { places: places, where: strings.clusterWhere[whereOnMap(map, [item.lat, item.lng])] })
        : places;
      var body = document.createElement('span');
      body.className = 'umap-cluster__count';
      body.textContent = String(item.count);
      body.setAttribute('aria-hidden', 'true');
      var size = sizeClass(item.count) === 'large' ? 48 : sizeClass(item.count) === 'medium' ? 40 : 34;
      var marker = L.marker([item.lat, item.lng], {
        icon: L.divIcon({ html: body, className: 'umap-cluster umap-cluster--' + sizeClass(item.count), iconSize: [size, size] }),
        keyboard: true,
        title: label
      });
      function expand() {
        var zoom = Math.min(item.zoom, map.getMaxZoom());
        opened = true;
        map.setView([item.lat, item.lng], zoom, { animate: !viewer.reducedMotion });
        viewer.mapEl.focus({ preventScroll: true });
      }
      marker.on('add', function () {
        var element = marker.getElement();
        element.setAttribute('aria-label', label);
        element.setAttribute('data-umap-cluster', String(item.count));
        element.setAttribute('data-umap-cluster-at', clusterKey(item));
      });
      marker.on('click', expand);
      marker.on('keydown', function (event) {
        var key = event.originalEvent.key;
        if (key === 'Enter' || key === ' ' || key === 'Spacebar') {
          L.DomEvent.preventDefault(event.originalEvent);
          expand();
        }
      });
      return marker;
    }

    function clusterKey(item) {
      return item.count + '@' + item.lat.toFixed(6) + ',' + item.lng.toFixed(6);
    }

    // What had the keyboard's focus among the markers and clusters this redraw replaces.
    function focusedItem() {
      var active = document.activeElement;
      if (!active || active === viewer.mapEl || !viewer.mapEl.contains(active)) { return null; }
      return {
        feature: active.getAttribute('data-umap-feature'),
        cluster: active.getAttribute('data-umap-cluster-at')
      };
    }

    // The redraw gave the markers new elements: the focus goes to the same feature's or
    // cluster's new one, else to the map (never to <body>).
    function refocus(had) {
      if (!had || (document.activeElement && document.activeElement !== document.body)) { return; }
      var selector = had.feature ? '.umap-marker[data-umap-feature="' + CSS.escape(had.feature) + '"]'
        : had.cluster ? '[data-umap-cluster-at="' + CSS.escape(had.cluster) + '"]' : null;
      var again = selector && viewer.mapEl.querySelector(selector);
      (again || viewer.mapEl).focus({ preventScroll: true });
    }

    // After a cluster opens: "12 lieux affichés", the places now in view (in clusters or alone).
    function announceShown(items) {
      opened = false;
      var bounds = map.getBounds();
      var shown = items.reduce(function (total, item) {
        return total + (bounds.contains([item.lat, item.lng]) ? (item.count || 1) : 0);
      }, 0);
      if (viewer.strings.viz.clusterOpened) {
        viewer.say(plural(viewer.strings.viz.clusterOpened, shown, viewer.config.language));
      }
    }

    function query() {
      if (!worker || !ready || !map.hasLayer(layer)) { return; }
      var bounds = map.getBounds().pad(0.2);
      seq += 1;
      worker.postMessage({
        type: 'query',
        seq: seq,
        bbox: [Math.max(-180, bounds.getWest()), Math.max(-85, bounds.getSouth()), Math.min(180, bounds.getEast()), Math.min(85, bounds.getNorth())],
        zoom: map.getZoom()
      });
    }

    if (worker) {
      worker.onmessage = function (event) {
        var message = event.data;
        if (message.type === 'loaded') {
          ready = true;
          query();
        } else if (message.type === 'clusters' && message.seq === seq) {
          var had = focusedItem();
          layer.clearLayers();
          message.items.forEach(function (item) {
            var single = item.count ? null : options.pointLayer(item.index, item);
            if (item.count) { layer.addLayer(clusterMarker(item)); } else if (single) { layer.addLayer(single); }
          });
          refocus(had);
          if (opened) { announceShown(message.items); }
          viewer.emit('umap:clustered', { count: message.items.length });
        }
      };
      worker.onerror = function () {
        worker = null;
        drawAll();
      };
    }

    map.on('moveend', query);
    layer.on('add', query);

    return {
      layer: layer,
      setPoints: function (list) {
        points = list;
        if (!worker) { drawAll(); return; }
        ready = false;
        worker.postMessage({
          type: 'load',
          supercluster: new URL(viewer.config.assets.supercluster, document.baseURI).href,
          points: list.map(function (point) { return [point.lng, point.lat, point.index]; }),
          radius: options.radius || 60,
          maxZoom: Math.max(0, map.getMaxZoom() - 1)
        });
      },
      destroy: function () {
        map.off('moveend', query);
        if (worker) { worker.terminate(); }
        worker = null;
      }
    };
  }

  parts.clusters = { create: create };
}());
