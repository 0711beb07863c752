/*
 * wagtail-umap public viewer: the tiling worker of large polygon and line layers (tiles.js).
 * Off the main thread it parses the layer's GeoJSON bytes (moved here by the main thread, no
 * copy), builds a geojson-vt index, and answers tile requests with
 * each feature's type, flat tile coordinates (0..4096), position in the layer and style.
 * Messages in:  {type: 'load', geojsonVt, and bytes (transferred), url or features}  {type: 'tile', id, z, x, y}
 * Messages out: {type: 'ready', count}  {type: 'error', error}  {type: 'tile', id, features}
 */
/* global GeoJSONVT */
'use strict';

var index = null;

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

function tile(message) {
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
  } else if (message.type === 'tile') {
    tile(message);
  }
};
