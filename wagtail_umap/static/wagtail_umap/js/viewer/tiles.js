/*
 * wagtail-umap public viewer: large layers (docs/large-data.md).
 * The server sends a rendering hint per layer (layer config `render`, computed in viewer/config.py
 * from its feature and vertex counts and geometry types); viewer.js hands a layer whose hint
 * is not "markers" to parts.tiles.add:
 *   "canvas"   every feature drawn on one shared <canvas> (points as circles): no DOM element
 *              per feature.
 *   "cluster"  points grouped by parts.clusters (clusters.js, supercluster in a Web Worker);
 *              without it (or without Worker support), drawn as "canvas".
 *   "tiles"    lines and polygons cut into tiles by geojson-vt in a Web Worker
 *              (tiles-worker.js): viewer.js fetches the layer as bytes, which move to the
 *              worker without a copy and are parsed and indexed there, off the main thread;
 *              drawn on canvas tiles of an L.GridLayer, a zoom redraws the tiles in view,
 *              never the millions of vertices of the whole layer.
 * In every mode the features stay reachable as in a small layer: entry.features[index] builds
 * the feature's Leaflet layer on first use (popups, "Voir sur la carte", permalinks), and the
 * server-rendered list is the keyboard and screen-reader way to each feature.
 * Loaded before ../viewer.js; shares window.wagtailUmap._parts (see viewer.js).
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var dom = parts.dom;
  var styles = parts.style;

  var TILE_SIZE = 256;
  var EXTENT = 4096; // geojson-vt's tile extent
  var HIT_TOLERANCE = 4; // pixels around a line

  // --- features built on first use ------------------------------------------------------------

  // The Leaflet layer of one feature, not added to the map: what popups and showFeature read.
  // In a clustered layer a point is the accessible marker the clusters show once split.
  function featureGeo(viewer, entry, feature, index) {
    var L = viewer.L;
    var properties = feature.properties || {};
    var key = entry.config.id + ':' + index;
    var labelName = parts.rules ? parts.rules.featureName(properties, entry.config.labelKey) : dom.asText(properties.name).trim();
    var name = labelName || dom.interpolate(viewer.strings.unnamed, { number: index + 1 });
    var clustered = entry.config.render === 'cluster';
    var geo = L.geoJSON(feature, {
      pointToLayer: function (point, latlng) {
        if (!clustered) { return L.circleMarker(latlng); }
        var style = parts.tileStyles.featureStyle(viewer, entry, properties);
        var marker = L.marker(latlng, { icon: styles.markerIcon(style, name, key), keyboard: true, riseOnHover: true });
        function open() { viewer.openPopup(key, latlng, marker.getElement()); }
        marker.on('click', open);
        marker.on('keydown', function (event) {
          var k = event.originalEvent.key;
          if (k === 'Enter' || k === ' ' || k === 'Spacebar') { L.DomEvent.preventDefault(event.originalEvent); open(); }
        });
        return marker;
      }
    });
    // Not on the map (tiles or canvas draw it): Leaflet's getCenter needs a map, use the box's.
    geo.eachLayer(function (part) {
      if (part instanceof L.Polyline) {
        var onMap = part.getCenter;
        part.getCenter = function () { return this._map ? onMap.call(this) : this.getBounds().getCenter(); };
      }
    });
    geo.umapFeature = { key: key, name: name, named: !!labelName, properties: properties, geometry: feature.geometry };
    return geo;
  }

  // entry.features as a Proxy: entry.features[i] is built on first read, then kept.
  // `source` is the features, or a function that returns them (parsed on first use).
  function lazyFeatures(viewer, entry, source) {
    var built = {};
    return new Proxy(built, {
      get: function (target, property) {
        if (typeof property !== 'string' || !/^\d+$/.test(property)) { return target[property]; }
        if (!(property in target)) {
          var features = typeof source === 'function' ? source() : source;
          var feature = features[+property];
          if (!feature || !feature.geometry) { return undefined; }
          try {
            target[property] = featureGeo(viewer, entry, feature, +property);
          } catch (error) {
            return undefined; // a malformed geometry
          }
        }
        return target[property];
      }
    });
  }

  function openFeature(viewer, entry, index, latlng) {
    // A layer read from its archive fetches the feature first (wrapForArchive).
    if (entry.remote || entry.features[index]) { viewer.openPopup(entry.config.id + ':' + index, latlng, viewer.mapEl); }
  }

  // --- canvas ---------------------------------------------------------------------------------

  function addCanvas(viewer, entry, features) {
    var L = viewer.L;
    var renderer = viewer.canvasRenderer = viewer.canvasRenderer || L.canvas({ padding: 0.2, tolerance: 3 });
    var layerStyle = entry.config.style || {};
    var group = L.geoJSON(null, {
      renderer: renderer,
      style: function (feature) {
        var options = styles.leafletPathStyle(styles.mergeStyle(layerStyle, (feature.properties || {})._style));
        if (/LineString$/.test(feature.geometry.type)) { options.fill = false; }
        options.renderer = renderer;
        return options;
      },
      pointToLayer: function (feature, latlng) {
        var style = styles.leafletPathStyle(styles.mergeStyle(layerStyle, (feature.properties || {})._style));
        return L.circleMarker(latlng, L.extend(style, { radius: 5, renderer: renderer, fillOpacity: 0.8 }));
      },
      onEachFeature: function (feature, layer) {
        var index = feature.umapIndex;
        layer.on('click', function (event) { openFeature(viewer, entry, index, event.latlng); });
      }
    });
    features.forEach(function (feature, index) {
      if (!feature || !feature.geometry) { return; }
      // The index travels on a wrapper, so the page's data is not changed.
      try {
        group.addData({ type: 'Feature', geometry: feature.geometry, properties: feature.properties, umapIndex: index });
      } catch (error) { /* a malformed geometry: skip it */ }
    });
    entry.group.addLayer(group);
    return Promise.resolve();
  }

  // --- tiles ----------------------------------------------------------------------------------

  function tileKey(coords) { return coords.z + '/' + coords.x + '/' + coords.y; }

  // `styleOf(feature)`: its Leaflet path options (tile-styles.js's pathStyler, or the layer's
  // style merged with the feature's own for a layer tiled from its GeoJSON).
  function drawTile(canvas, tile, styleOf, scale) {
    var context = canvas.getContext('2d');
    tile.forEach(function (feature) {
      var style = styleOf(feature);
      context.beginPath();
      feature.g.forEach(function (ring) {
        if (feature.t === 1) {
          for (var p = 0; p < ring.length; p += 2) {
            context.moveTo(ring[p] * scale + 4, ring[p + 1] * scale);
            context.arc(ring[p] * scale, ring[p + 1] * scale, 4, 0, 2 * Math.PI);
          }
          return;
        }
        for (var i = 0; i < ring.length; i += 2) {
          if (i === 0) { context.moveTo(ring[i] * scale, ring[i + 1] * scale); } else { context.lineTo(ring[i] * scale, ring[i + 1] * scale); }
        }
        if (feature.t === 3) { context.closePath(); }
      });
      if (feature.t !== 2 && style.fill !== false) {
        context.globalAlpha = style.fillOpacity;
        context.fillStyle = style.fillColor || style.color;
        context.fill('evenodd');
      }
      if (style.stroke !== false && style.weight > 0) {
        context.globalAlpha = style.opacity;
        context.strokeStyle = style.color;
        context.lineWidth = style.weight;
        context.lineJoin = 'round';
        // A category's dashes (in pixels, as the line width).
        context.setLineDash(style.dashArray ? style.dashArray.split(/[\s,]+/).map(Number).filter(isFinite) : []);
        context.stroke();
      }
    });
  }

  // A tile's features with their rings (`g`) as views of the one array the worker sent them in
  // (tiles-worker.js, packed).
  function unpacked(answer) {
    var start = 0, ring = 0;
    answer.features.forEach(function (feature) {
      feature.g = new Array(feature.r);
      for (var r = 0; r < feature.r; r++) {
        var end = answer.ends[ring++];
        feature.g[r] = answer.positions.subarray(start, end);
        start = end;
      }
    });
    return answer.features;
  }

  function insideRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      var xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
      if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) { inside = !inside; }
    }
    return inside;
  }

  function nearLine(line, x, y, tolerance) {
    for (var i = 2; i < line.length; i += 2) {
      var ax = line[i - 2], ay = line[i - 1], bx = line[i], by = line[i + 1];
      var dx = bx - ax, dy = by - ay;
      var t = dx || dy ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy))) : 0;
      var ex = ax + t * dx - x, ey = ay + t * dy - y;
      if (ex * ex + ey * ey <= tolerance * tolerance) { return true; }
    }
    return false;
  }

  // The feature of a drawn tile under (x, y), in tile units; the topmost one wins.
  function hitTest(tile, x, y, tolerance) {
    for (var f = tile.length - 1; f >= 0; f--) {
      var feature = tile[f];
      var inside = false;
      for (var r = 0; r < feature.g.length; r++) {
        var ring = feature.g[r];
        if (feature.t === 3 ? insideRing(ring, x, y) : nearLine(ring, x, y, tolerance)) {
          inside = feature.t === 3 ? !inside : true;
          if (feature.t !== 3) { break; }
        }
      }
      if (inside) { return feature.i; }
    }
    return -1;
  }

  // `bytes`: the layer's GeoJSON as fetched, moved to the worker (no copy, parsed there).
  // `archive`: the worker's message that opens the layer's vector-tile archive instead.
  function addTiles(viewer, entry, features, bytes, archive) {
    var L = viewer.L;
    var assets = viewer.config.assets || {};
    var worker = archive ? archive.worker : new Worker(assets.tilesWorker);
    var waiting = {};
    var drawn = {}; // tile key -> the features drawn on it, for clicks
    var nextId = 1;
    var layerStyle = entry.config.style || {};
    var styleOf = archive ? parts.tileStyles.pathStyler(viewer, entry)
      : function (feature) { return styles.leafletPathStyle(styles.mergeStyle(layerStyle, feature.s)); };
    var ready;
    var readyPromise = new Promise(function (resolve, reject) { ready = { resolve: resolve, reject: reject }; });
    function drawAnswer(answer) {
      if (!waiting[answer.id]) { return; }
      waiting[answer.id](unpacked(answer));
      delete waiting[answer.id];
    }
    worker.onmessage = function (event) {
      var message = event.data;
      if (message.type === 'ready') { entry.count = message.count; ready.resolve(message); }
      if (message.type === 'error') { ready.reject(new Error(message.error)); }
      if (message.type === 'tile') { drawAnswer(message); }
      if (message.type === 'tiles') { message.tiles.forEach(drawAnswer); } // an archive's, together
    };
    worker.onerror = function (event) { ready.reject(new Error(event.message || 'tiles worker')); };
    var load = { type: 'load', geojsonVt: new URL(assets.geojsonVt, window.location.href).href };
    if (archive) {
      worker.postMessage(archive.message);
    } else if (bytes) {
      load.bytes = bytes;
      worker.postMessage(load, [bytes]);
    } else {
      load.features = features;
      worker.postMessage(load);
    }

    var Tiles = L.GridLayer.extend({
      createTile: function (coords, done) {
        var canvas = L.DomUtil.create('canvas', 'umap-data-tile');
        var size = this.getTileSize();
        var ratio = window.devicePixelRatio || 1;
        // Full size only when it has features: an empty tile (the sea around a national
        // layer, most tiles at high zooms) keeps a one-pixel bitmap, not 256 × 256 to paint.
        canvas.width = 1;
        canvas.height = 1;
        canvas.setAttribute('aria-hidden', 'true');
        var id = nextId++;
        var key = tileKey(coords);
        waiting[id] = function (tile) {
          drawn[key] = tile;
          if (tile.length) {
            canvas.width = size.x * ratio;
            canvas.height = size.y * ratio;
            drawTile(canvas, tile, styleOf, size.x * ratio / EXTENT);
          }
          done(null, canvas);
        };
        readyPromise.then(function () { worker.postMessage({ type: 'tile', id: id, z: coords.z, x: coords.x, y: coords.y }); },
          function (error) { done(error, canvas); });
        return canvas;
      }
    });
    var tiles = entry.tiles = new Tiles({
      tileSize: TILE_SIZE, pane: 'overlayPane', updateWhenZooming: false, keepBuffer: 1,
      // An archive has no tile below its first zoom: Leaflet scales those of the first.
      minNativeZoom: archive ? archive.message.minZoom : undefined
    });
    tiles.on('tileunload', function (event) { delete drawn[tileKey(event.coords)]; });
    // The worker reads ahead once the view is drawn (tiles-worker.js, prefetch).
    if (archive) { tiles.on('load', function () { worker.postMessage({ type: 'drawn' }); }); }
    entry.group.addLayer(tiles);

    // A click finds the feature in the drawn tile under it and opens its popup.
    viewer.map.on('click', function (event) {
      if (!viewer.map.hasLayer(entry.group)) { return; }
      // Below an archive's first zoom the tiles drawn are those of its first zoom, scaled.
      var zoom = Math.max(Math.round(viewer.map.getZoom()), tiles.options.minNativeZoom || 0);
      var point = viewer.map.project(event.latlng, zoom);
      var coords = { z: zoom, x: Math.floor(point.x / TILE_SIZE), y: Math.floor(point.y / TILE_SIZE) };
      var tile = drawn[tileKey(coords)];
      if (!tile) { return; }
      var unit = EXTENT / TILE_SIZE;
      var index = hitTest(tile, (point.x - coords.x * TILE_SIZE) * unit, (point.y - coords.y * TILE_SIZE) * unit, HIT_TOLERANCE * unit);
      if (index >= 0) { openFeature(viewer, entry, index, event.latlng); }
    });
    // The layer is ready once the worker has its index and the tiles in view are drawn.
    return readyPromise.then(function () {
      return new Promise(function (resolve) {
        if (!viewer.map.hasLayer(entry.group) || !tiles.isLoading || !tiles.isLoading()) { resolve(); return; }
        tiles.once('load', function () { resolve(); });
        window.setTimeout(resolve, 10000);
      });
    });
  }

  // --- clusters (clusters.js) ----------------------------------------------------------------

  function addClusters(viewer, entry, features) {
    var points = [];
    features.forEach(function (feature, index) {
      var geometry = feature && feature.geometry;
      if (geometry && geometry.type === 'Point') {
        points.push({ index: index, lng: geometry.coordinates[0], lat: geometry.coordinates[1] });
      }
    });
    var clusters = entry.clusters = parts.clusters.create(viewer, {
      radius: 60,
      pointLayer: function (index) { return entry.features[index]; }
    });
    var drawn = clusteredOnce(viewer, entry);
    entry.group.addLayer(clusters.layer);
    clusters.setPoints(points);
    return drawn;
  }

  // Resolved once the cluster worker has its index and answered for the view (umap:clustered),
  // at once for a hidden layer, after 15 s at the latest.
  function clusteredOnce(viewer, entry) {
    return new Promise(function (resolve) {
      function done() { viewer.root.removeEventListener('umap:clustered', done); resolve(); }
      viewer.root.addEventListener('umap:clustered', done);
      window.setTimeout(done, 15000);
      if (!viewer.map.hasLayer(entry.group)) { done(); }
    });
  }

  // --- a precomputed vector-tile archive (models/vector_tiles.py) -----------------------------

  // Whether the layer is read from its archive: one is ready, the layer is drawn as clusters
  // or tiles, and its tiles carry every property its representation (plain, choropleth or
  // categories), rules and label read, with no filter or zoom range (tile-styles.js): other
  // layers load their data URL as before.
  function fromArchive(viewer, entry) {
    var config = entry.config;
    var assets = viewer.config.assets || {};
    if (!config.tiles || !window.Worker || !assets.tilesWorker || !assets.pmtiles || !assets.vectorTile) { return false; }
    if (config.render !== 'tiles' && config.render !== 'cluster') { return false; }
    return !!parts.tileStyles && parts.tileStyles.canStyle(viewer, entry);
  }

  // Popups, "Voir sur la carte" and permalinks of a layer read from its archive: the feature
  // is fetched from the server (viewer/tiles.py) the first time, then they run as usual.
  function wrapForArchive(viewer) {
    if (viewer.archiveWrapped) { return; }
    viewer.archiveWrapped = true;
    ['openPopup', 'showFeature', 'restoreFeature'].forEach(function (name) {
      var original = viewer[name];
      if (typeof original !== 'function') { return; }
      viewer[name] = function (key) {
        var self = this;
        var args = arguments;
        var where = self.splitKey(key);
        var entry = self.layers[where.layerId];
        if (!entry || !entry.remote || entry.remote.has(where.index)) { return original.apply(self, args); }
        entry.remote.fetch(where.index).then(function (geo) {
          if (geo) { original.apply(self, args); }
        }, function () { /* gone: nothing to open */ });
        return true;
      };
    });
  }

  // entry.features of an archive layer: the features fetched so far, one at a time.
  function fetchedFeatures(viewer, entry) {
    var built = {};
    var pending = {};
    entry.remote = {
      has: function (index) { return index in built; },
      fetch: function (index) {
        if (index in built) { return Promise.resolve(built[index]); }
        if (!pending[index]) {
          var url = entry.config.tiles.featureUrl.replace('{index}', String(index));
          pending[index] = fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/geo+json' } })
            .then(function (response) {
              if (!response.ok) { throw new Error('HTTP ' + response.status); }
              return response.json();
            })
            .then(function (feature) {
              delete pending[index];
              if (feature && feature.geometry) { built[index] = featureGeo(viewer, entry, feature, index); }
              return built[index];
            }, function (error) {
              delete pending[index];
              throw error;
            });
        }
        return pending[index];
      }
    };
    return built;
  }

  // A single point of an archive layer: the accessible marker, named from its tile.
  function archivePoint(viewer, entry, index, item) {
    var L = viewer.L;
    var key = entry.config.id + ':' + index;
    var properties = parts.tileStyles.tileProperties({ n: item.name, s: item.style, p: item.properties });
    var name = parts.rules ? parts.rules.featureName(properties, entry.config.labelKey) : dom.asText(item.name).trim();
    var label = name || dom.interpolate(viewer.strings.unnamed, { number: index + 1 });
    var style = parts.tileStyles.featureStyle(viewer, entry, properties);
    var latlng = L.latLng(item.lat, item.lng);
    var marker = L.marker(latlng, {
      icon: styles.markerIcon(style, label, key, name ? entry.config.language : ''), keyboard: true, riseOnHover: true
    });
    function open() { viewer.openPopup(key, latlng, marker.getElement()); }
    marker.on('click', open);
    marker.on('keydown', function (event) {
      var k = event.originalEvent.key;
      if (k === 'Enter' || k === ' ' || k === 'Spacebar') { L.DomEvent.preventDefault(event.originalEvent); open(); }
    });
    return marker;
  }

  // The archive's header and root directory (its first 16 kB, what pmtiles reads first),
  // fetched here at once and handed to the worker: the request runs while the worker's
  // scripts load instead of after them (docs/large-data.md, "Vector tiles").
  function sendArchiveHead(worker, url) {
    fetch(url, { credentials: 'same-origin', headers: { Range: 'bytes=0-16383' } })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        var etag = response.headers.get('ETag');
        return response.arrayBuffer().then(function (data) {
          worker.postMessage({ type: 'head', data: data, etag: etag && etag.indexOf('W/') !== 0 ? etag : null }, [data]);
        });
      })
      .catch(function () { worker.postMessage({ type: 'head', error: true }); }); // it reads them itself
  }

  function addFromArchive(viewer, entry) {
    var assets = viewer.config.assets;
    var tiles = entry.config.tiles;
    var absolute = function (url) { return new URL(url, window.location.href).href; };
    wrapForArchive(viewer);
    entry.features = fetchedFeatures(viewer, entry);
    entry.lazy = true; // every feature can be shown (fetched on first use)
    entry.count = tiles.count;
    var worker = new Worker(assets.tilesWorker);
    var message = {
      type: 'archive', pmtiles: absolute(assets.pmtiles), vectorTile: absolute(assets.vectorTile),
      // The build's edition in the URL: a rebuild that carries more properties is a new URL
      // for the browser's cache (the archive is served as immutable).
      url: absolute(tiles.url) + (tiles.version ? '?v=' + encodeURIComponent(tiles.version) : ''), minZoom: tiles.minZoom, maxZoom: tiles.maxZoom, count: tiles.count, head: true
    };
    sendArchiveHead(worker, message.url);
    if (tiles.kind !== 'points') {
      message.drawnSignal = true;
      return addTiles(viewer, entry, null, null, { worker: worker, message: message });
    }
    var clusters = entry.clusters = parts.clusters.create(viewer, {
      radius: 60,
      worker: worker,
      pointLayer: function (index, item) { return archivePoint(viewer, entry, index, item); }
    });
    var drawn = clusteredOnce(viewer, entry);
    entry.group.addLayer(clusters.layer);
    worker.postMessage(message);
    return drawn;
  }

  // --- entry point ----------------------------------------------------------------------------

  // Whether parts.tiles draws this layer (else viewer.js makes one marker or path per feature).
  function handles(entry) {
    var render = entry.config.render;
    return render === 'canvas' || render === 'cluster' || render === 'tiles';
  }

  function tilesSupported(viewer) {
    var assets = viewer.config.assets || {};
    return !!(window.Worker && window.Proxy && assets.tilesWorker && assets.geojsonVt);
  }

  // Draw a large layer's features; resolves once they are on the map (or fails).
  function add(viewer, entry, features) {
    entry.count = features.filter(function (feature) { return feature && feature.geometry; }).length;
    entry.features = lazyFeatures(viewer, entry, features);
    entry.lazy = true; // every feature with a geometry can be shown (built on first use)
    var render = entry.config.render;
    if (render === 'tiles' && tilesSupported(viewer)) { return addTiles(viewer, entry, features); }
    if (render === 'cluster' && parts.clusters && window.Worker && (viewer.config.assets || {}).clusterWorker) {
      return addClusters(viewer, entry, features);
    }
    return addCanvas(viewer, entry, features);
  }

  // A tiled layer fetched as bytes (viewer.js): the worker parses and tiles them; the main
  // thread parses its own copy only when a feature is first needed (a popup, the list).
  function addBytes(viewer, entry, bytes) {
    var copy = bytes.slice(0);
    var features = null;
    function parsed() {
      if (!features) {
        var collection = JSON.parse(new TextDecoder().decode(copy));
        features = (collection && collection.features) || [];
        copy = null;
      }
      return features;
    }
    if (!tilesSupported(viewer)) { return add(viewer, entry, parsed()); }
    entry.features = lazyFeatures(viewer, entry, parsed);
    entry.lazy = true;
    return addTiles(viewer, entry, null, bytes);
  }

  // What viewer.js's loadLayer resolves with for a layer read from its archive.
  var ARCHIVE = { archive: true };

  parts.tiles = {
    handles: handles, add: add, addBytes: addBytes, hitTest: hitTest,
    fromArchive: fromArchive, addFromArchive: addFromArchive, ARCHIVE: ARCHIVE
  };
}());
