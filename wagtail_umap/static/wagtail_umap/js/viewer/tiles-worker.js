/*
 * wagtail-umap public viewer: the tiling worker of large polygon and line layers (tiles.js).
 * Off the main thread it parses the layer's GeoJSON bytes (moved here by the main thread, no
 * copy), builds a geojson-vt index, and answers tile requests with
 * each feature's type, flat tile coordinates (0..4096), position in the layer and style.
 * Or, for a layer with precomputed vector tiles (models/vector_tiles.py), it reads the
 * layer's PMTiles archive with range requests (pmtiles) and decodes each tile it is asked for
 * (@mapbox/vector-tile): the browser never downloads the whole layer. Beyond the archive's
 * last zoom a tile is cut from its parent, scaled (overzoom). Point archives answer the
 * cluster queries of clusters.js instead of supercluster.
 * Messages in:  {type: 'load', geojsonVt, and bytes (transferred), url or features}
 *               {type: 'archive', pmtiles, vectorTile, url, minZoom, maxZoom, count}
 *               {type: 'tile', id, z, x, y}  {type: 'query', seq, bbox, zoom} (points)
 * Messages out: {type: 'ready', count} (and 'loaded' for clusters.js)  {type: 'error', error}
 *               {type: 'tile', id, features}  {type: 'clusters', seq, items}
 */
/* global GeoJSONVT, pmtiles, WagtailUmapMVT */
'use strict';

var index = null;
var archive = null; // {source: PMTiles, minZoom, maxZoom, decoded: {key: features}, order: [keys]}
var EXTENT = 4096;
var KEEP = 96; // decoded tiles kept for overzoom and pans

function flat(points) {
  var out = new Array(points.length * 2);
  for (var i = 0; i < points.length; i++) { out[2 * i] = points[i][0]; out[2 * i + 1] = points[i][1]; }
  return out;
}

function fetchLayer(url) {
  return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json' } })
    .then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    });
}

function load(message) {
  importScripts(message.geojsonVt);
  var collection = message.bytes ? Promise.resolve(JSON.parse(new TextDecoder().decode(message.bytes)))
    : message.url ? fetchLayer(message.url) : Promise.resolve({ features: message.features });
  return collection
    .then(function (collection) {
      var features = (collection.features || []).map(function (feature, position) {
        var style = feature.properties && feature.properties._style;
        return { type: 'Feature', geometry: feature.geometry, properties: { i: position, s: style || null } };
      }).filter(function (feature) { return feature.geometry; });
      index = new GeoJSONVT({ type: 'FeatureCollection', features: features }, {
        maxZoom: 18, indexMaxZoom: 5, indexMaxPoints: 100000, tolerance: 3, extent: 4096, buffer: 64
      });
      self.postMessage({ type: 'ready', count: features.length });
    });
}

// --- a precomputed archive -----------------------------------------------------------------

function openArchive(message) {
  importScripts(message.pmtiles, message.vectorTile);
  archive = {
    source: new pmtiles.PMTiles(message.url), minZoom: message.minZoom, maxZoom: message.maxZoom,
    decoded: {}, order: []
  };
  // The header and root directory: one range request, before the first tile.
  return archive.source.getHeader().then(function () {
    self.postMessage({ type: 'ready', count: message.count });
    self.postMessage({ type: 'loaded', count: message.count });
  });
}

// The features of one stored tile, in its own units (0..4096), decoded once.
function storedTile(z, x, y) {
  var key = z + '/' + x + '/' + y;
  if (archive.decoded[key]) { return archive.decoded[key]; }
  var promise = archive.source.getZxy(z, x, y).then(function (found) {
    if (!found || !found.data) { return []; }
    var tile = new WagtailUmapMVT.VectorTile(new WagtailUmapMVT.Pbf(new Uint8Array(found.data)));
    var layer = tile.layers.features;
    var features = [];
    for (var n = 0; layer && n < layer.length; n++) {
      var feature = layer.feature(n);
      var properties = feature.properties || {};
      var style = null;
      // The properties the layer's styles and names read (tile-styles.js), beside these.
      var carried = null;
      Object.keys(properties).forEach(function (key) {
        if (key !== 'name' && key !== '_style' && key !== 'count') { (carried = carried || {})[key] = properties[key]; }
      });
      if (typeof properties._style === 'string') {
        try { style = JSON.parse(properties._style); } catch (error) { style = null; }
      }
      features.push({
        t: feature.type,
        g: feature.loadGeometry().map(function (ring) {
          var flatRing = new Array(ring.length * 2);
          for (var i = 0; i < ring.length; i++) { flatRing[2 * i] = ring[i].x; flatRing[2 * i + 1] = ring[i].y; }
          return flatRing;
        }),
        i: feature.id,
        s: style,
        n: properties.name === undefined ? null : String(properties.name),
        c: properties.count || 0,
        p: carried
      });
    }
    return features;
  });
  archive.decoded[key] = promise;
  archive.order.push(key);
  if (archive.order.length > KEEP) { delete archive.decoded[archive.order.shift()]; }
  return promise;
}

// The features of tile z/x/y in its units: stored, or cut from the stored ancestor and scaled.
function archiveTile(z, x, y) {
  if (z < archive.minZoom) { return Promise.resolve([]); }
  if (z <= archive.maxZoom) { return storedTile(z, x, y); }
  var depth = z - archive.maxZoom;
  var scale = 1 << depth;
  var px = x >> depth, py = y >> depth;
  var offsetX = (x - px * scale) * EXTENT, offsetY = (y - py * scale) * EXTENT;
  return storedTile(archive.maxZoom, px, py).then(function (features) {
    return features.map(function (feature) {
      return {
        t: feature.t, i: feature.i, s: feature.s, n: feature.n, c: feature.c, p: feature.p,
        g: feature.g.map(function (ring) {
          var out = new Array(ring.length);
          for (var k = 0; k < ring.length; k += 2) {
            out[k] = ring[k] * scale - offsetX;
            out[k + 1] = ring[k + 1] * scale - offsetY;
          }
          return out;
        })
      };
    });
  });
}

function lngOf(x, z) { return x / Math.pow(2, z) * 360 - 180; }
function latOf(y, z) {
  var n = Math.PI - 2 * Math.PI * y / Math.pow(2, z);
  return 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
}
function tileX(lng, z) { return Math.floor((lng + 180) / 360 * Math.pow(2, z)); }
function tileY(lat, z) {
  var rad = lat * Math.PI / 180;
  return Math.floor((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2 * Math.pow(2, z));
}

// clusters.js's query on a point archive: the clusters and points of the tiles in view.
function query(message) {
  var z = Math.max(archive.minZoom, Math.min(archive.maxZoom, Math.round(message.zoom)));
  var bbox = message.bbox;
  var x0 = Math.max(0, tileX(bbox[0], z)), x1 = Math.min(Math.pow(2, z) - 1, tileX(bbox[2], z));
  var y0 = Math.max(0, tileY(bbox[3], z)), y1 = Math.min(Math.pow(2, z) - 1, tileY(bbox[1], z));
  var wanted = [];
  for (var x = x0; x <= x1; x++) {
    for (var y = y0; y <= y1; y++) { wanted.push([x, y]); }
  }
  Promise.all(wanted.map(function (xy) {
    return storedTile(z, xy[0], xy[1]).then(function (features) {
      return features.filter(function (feature) { return feature.t === 1; }).map(function (feature) {
        var point = feature.g[0];
        var lng = lngOf(xy[0] + point[0] / EXTENT, z);
        var lat = latOf(xy[1] + point[1] / EXTENT, z);
        return feature.c > 1
          ? { count: feature.c, lng: lng, lat: lat, zoom: Math.min(z + 2, archive.maxZoom) }
          : { index: feature.i, lng: lng, lat: lat, name: feature.n, style: feature.s, properties: feature.p };
      });
    });
  })).then(function (lists) {
    self.postMessage({ type: 'clusters', seq: message.seq, items: [].concat.apply([], lists) });
  }, function (error) {
    self.postMessage({ type: 'error', error: String(error && error.message || error) });
  });
}

function tile(message) {
  if (archive) {
    archiveTile(message.z, message.x, message.y).then(function (features) {
      self.postMessage({ type: 'tile', id: message.id, features: features });
    }, function () {
      self.postMessage({ type: 'tile', id: message.id, features: [] });
    });
    return;
  }
  var found = index.getTile(message.z, message.x, message.y);
  var features = found ? found.features.map(function (feature) {
    var geometry = feature.type === 1 ? [flat(feature.geometry)] : feature.geometry.map(flat);
    return { t: feature.type, g: geometry, i: feature.tags.i, s: feature.tags.s };
  }) : [];
  self.postMessage({ type: 'tile', id: message.id, features: features });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === 'load') {
    load(message).catch(function (error) { self.postMessage({ type: 'error', error: String(error && error.message || error) }); });
  } else if (message.type === 'archive') {
    openArchive(message).catch(function (error) { self.postMessage({ type: 'error', error: String(error && error.message || error) }); });
  } else if (message.type === 'tile') {
    tile(message);
  } else if (message.type === 'query' && archive) {
    query(message);
  }
};
