/*
 * wagtail-umap public viewer: the cluster index, built and queried off the main thread.
 * Started by clusters.js (new Worker), which sends the address of the vendored supercluster.
 * Messages in:  {type: "load", supercluster: url, points: [[lng, lat, index], …], radius, maxZoom}
 *               {type: "query", seq, bbox: [west, south, east, north], zoom}
 * Messages out: {type: "loaded", count}
 *               {type: "clusters", seq, items: [{index, lng, lat} | {count, lng, lat, zoom}]}
 *               where a cluster's zoom is the one at which it splits (for click and Enter).
 */
/* global importScripts, Supercluster */
'use strict';

var index = null;

self.onmessage = function (event) {
  var message = event.data || {};
  if (message.type === 'load') {
    if (typeof Supercluster === 'undefined') { importScripts(message.supercluster); }
    index = new Supercluster({ radius: message.radius || 60, maxZoom: message.maxZoom || 17 });
    index.load(message.points.map(function (point) {
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [point[0], point[1]] },
        properties: { index: point[2] }
      };
    }));
    self.postMessage({ type: 'loaded', count: message.points.length });
  } else if (message.type === 'query' && index) {
    var items = index.getClusters(message.bbox, Math.round(message.zoom)).map(function (feature) {
      var coordinates = feature.geometry.coordinates;
      var properties = feature.properties;
      if (properties.cluster) {
        return {
          count: properties.point_count,
          lng: coordinates[0],
          lat: coordinates[1],
          zoom: index.getClusterExpansionZoom(properties.cluster_id)
        };
      }
      return { index: properties.index, lng: coordinates[0], lat: coordinates[1] };
    });
    self.postMessage({ type: 'clusters', seq: message.seq, items: items });
  }
};
