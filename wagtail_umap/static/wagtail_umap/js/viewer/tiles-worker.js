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
 * Reading an archive costs few round trips (docs/large-data.md, "Vector tiles"): the header
 * and root directory arrive from the main thread, fetched while this worker was starting;
 * the byte ranges asked for in one turn are read with one request where they lie close
 * together (batchedSource); decoded tiles are kept (KEEP, least recently used first out);
 * once the view's tiles are drawn and the worker is idle, the tiles one and two zooms in and
 * out of the view, and a ring around it, are read and decoded ahead (prefetch), so a zoom or
 * a pan step finds them decoded.
 * Messages in:  {type: 'load', geojsonVt, and bytes (transferred), url or features}
 *               {type: 'archive', pmtiles, vectorTile, url, minZoom, maxZoom, count, head, drawnSignal}
 *               {type: 'head', data, etag} or {type: 'head', error}: the archive's first bytes
 *               {type: 'drawn'}: the page drew the tiles of its view (with drawnSignal)
 *               {type: 'tile', id, z, x, y}  {type: 'query', seq, bbox, zoom} (points)
 * Messages out: {type: 'ready', count} (and 'loaded' for clusters.js)  {type: 'error', error}
 *               {type: 'tile', id, features, positions, ends} (GeoJSON)
 *               {type: 'tiles', tiles: [{id, features, positions, ends}]} (archive; packed)
 *               {type: 'clusters', seq, items}
 */
/* global GeoJSONVT, pmtiles, WagtailUmapMVT */
'use strict';

var index = null;
var archive = null; // {source: PMTiles, minZoom, maxZoom, decoded: Map key -> features}
var EXTENT = 4096;
var KEEP = 384; // decoded tiles kept for overzoom, pans and zooms back (least recently used out)
var HEAD_BYTES = 16384; // what pmtiles reads first: the header and the root directory
var BATCH_WAIT = 2; // ms the ranges asked for are gathered before being read
var MERGE_GAP = 32768; // two ranges closer than this in the file are read as one
var MERGE_SPAN = 1048576; // but no merged request is longer than this
var PREFETCH_DELAY = 250; // ms with every tile answered before the worker reads ahead
var OUTBOX_WAIT = 24; // ms a decoded tile may wait for the others of its view
var PREFETCH_MAX = 128; // tiles read ahead per idle moment (a 1280 × 900 map: about 90)

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

// --- reading the archive ------------------------------------------------------------------

// A pmtiles source (getKey, getBytes) that reads with as few range requests as it can: the
// ranges asked for in the same turn (the tiles of a view, their leaf directories) are sorted
// and those near each other in the file are read with one request, then cut apart (the
// builder writes each zoom's tiles in tile-id order: a view's tiles sit together). The first
// bytes (header and root directory) come from the main thread when it sent them (`head`).
function batchedSource(url, head) {
  var queue = [];
  var scheduled = false;

  function answer(response) {
    if (response.status !== 206 && response.status !== 200) { throw new Error('HTTP ' + response.status); }
    var range = /^bytes (\d+)-/.exec(response.headers.get('Content-Range') || '');
    var etag = response.headers.get('ETag');
    return response.arrayBuffer().then(function (body) {
      // 200: the whole file (a server without ranges): the requests are cut from it.
      return { body: body, start: range ? +range[1] : 0, etag: etag && etag.indexOf('W/') !== 0 ? etag : undefined };
    });
  }

  function read(group) {
    var first = group[0].offset;
    var last = group.reduce(function (end, wanted) { return Math.max(end, wanted.offset + wanted.length); }, 0) - 1;
    fetch(url, { credentials: 'same-origin', headers: { Range: 'bytes=' + first + '-' + last } })
      .then(answer)
      .then(function (reply) {
        group.forEach(function (wanted) {
          var from = wanted.offset - reply.start;
          wanted.resolve({ data: reply.body.slice(from, from + wanted.length), etag: reply.etag });
        });
      }, function (error) {
        group.forEach(function (wanted) { wanted.reject(error); });
      });
  }

  function flush() {
    scheduled = false;
    var wanted = queue.sort(function (a, b) { return a.offset - b.offset; });
    queue = [];
    var group = [];
    var end = 0; // where the group's bytes end
    wanted.forEach(function (one) {
      var far = group.length && (one.offset - end > MERGE_GAP || one.offset + one.length - group[0].offset > MERGE_SPAN);
      if (far) { read(group); group = []; }
      if (!group.length) { end = 0; }
      group.push(one);
      end = Math.max(end, one.offset + one.length);
    });
    if (group.length) { read(group); }
  }

  // The first bytes (`head`, a promise), kept once read: the directories and a small
  // layer's first tiles lie in them. If they fail, everything is read by range.
  var first = null;
  var firstRead = head ? head.then(function (read) { first = read; }, function () { first = null; }) : null;

  function getBytes(offset, length) {
    if (firstRead) {
      return firstRead.then(function () { firstRead = null; return getBytes(offset, length); });
    }
    if (first && offset + length <= first.data.byteLength) {
      return Promise.resolve({ data: first.data.slice(offset, offset + length), etag: first.etag });
    }
    return new Promise(function (resolve, reject) {
      queue.push({ offset: offset, length: length, resolve: resolve, reject: reject });
      // A few ms: the tile messages Leaflet posts for a view all arrive in that time.
      if (!scheduled) { scheduled = true; setTimeout(flush, BATCH_WAIT); }
    });
  }

  return { getKey: function () { return url; }, getBytes: getBytes };
}

// The first bytes of the archive (HEAD_BYTES) as the main thread sends them ({type: 'head'});
// without them (an error, or no main-thread fetch) read here.
var headArrived = null;
function headFromMainThread(url, sent) {
  var arrived = sent ? new Promise(function (resolve) { headArrived = resolve; }) : Promise.resolve({});
  return arrived.then(function (message) {
    if (message.data) { return { data: message.data, etag: message.etag || undefined }; }
    return fetch(url, { credentials: 'same-origin', headers: { Range: 'bytes=0-' + (HEAD_BYTES - 1) } })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.arrayBuffer().then(function (data) { return { data: data, etag: response.headers.get('ETag') || undefined }; });
      });
  });
}

function openArchive(message) {
  importScripts(message.pmtiles, message.vectorTile);
  var head = headFromMainThread(message.url, message.head);
  archive = {
    source: new pmtiles.PMTiles(batchedSource(message.url, head)), minZoom: message.minZoom, maxZoom: message.maxZoom,
    decoded: new Map(), drawnSignal: !!message.drawnSignal
  };
  // The header and root directory: sent by the main thread, or one range request.
  return archive.source.getHeader().then(function () {
    self.postMessage({ type: 'ready', count: message.count });
    self.postMessage({ type: 'loaded', count: message.count });
  });
}

// The features of one stored tile, in its own units (0..4096), decoded once.
function storedTile(z, x, y) {
  var key = z + '/' + x + '/' + y;
  var kept = archive.decoded.get(key);
  if (kept) {
    archive.decoded.delete(key); // most recently used: last out
    archive.decoded.set(key, kept);
    return kept;
  }
  var promise = archive.source.getZxy(z, x, y).then(function (found) {
    if (!found || !found.data) { return []; }
    return decodeTile(found.data);
  });
  archive.decoded.set(key, promise);
  if (archive.decoded.size > KEEP) { archive.decoded.delete(archive.decoded.keys().next().value); }
  promise.catch(function () { archive.decoded.delete(key); }); // read again next time
  return promise;
}

// The features of one MVT tile: type, flat rings in tile units, id, style, name, count.
function decodeTile(data) {
  var tile = new WagtailUmapMVT.VectorTile(new WagtailUmapMVT.Pbf(new Uint8Array(data)));
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
      // Float32Array: compact while the tile is kept; packed into one array per answer (packed).
      g: feature.loadGeometry().map(function (ring) {
        var flatRing = new Float32Array(ring.length * 2);
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
          var out = new Float32Array(ring.length);
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

// --- answering ------------------------------------------------------------------------------

// The tiles of an archive go to the main thread together ({type: 'tiles'}), once every tile
// asked for is answered or OUTBOX_WAIT ms after the first: one task and one frame there
// draws them, instead of one each.
var outbox = [];
var outboxTimer = null;

function sendTile(id, features) {
  outbox.push(packed(id, features));
  if (!outboxTimer) { outboxTimer = setTimeout(sendTiles, OUTBOX_WAIT); }
}

function sendTiles() {
  clearTimeout(outboxTimer);
  outboxTimer = null;
  if (!outbox.length) { return; }
  self.postMessage({ type: 'tiles', tiles: outbox }, outbox.reduce(function (moved, answer) {
    return moved.concat([answer.positions.buffer, answer.ends.buffer]);
  }, []));
  outbox = [];
}

// A tile's answer with every ring's positions in one Float32Array (moved to the main thread,
// not copied) and each feature's number of rings (`r`); tiles.js gives each feature its rings
// back as views of that array. A typed array per ring cost the page an allocation each: at
// 35,000 polygons, reading a zoom step's tiles took as long as drawing them.
function packed(id, features) {
  var length = 0, rings = 0, f, r;
  for (f = 0; f < features.length; f++) {
    rings += features[f].g.length;
    for (r = 0; r < features[f].g.length; r++) { length += features[f].g[r].length; }
  }
  var positions = new Float32Array(length);
  var ends = new Uint32Array(rings);
  var at = 0, ring = 0;
  var out = new Array(features.length);
  for (f = 0; f < features.length; f++) {
    var feature = features[f];
    for (r = 0; r < feature.g.length; r++) {
      positions.set(feature.g[r], at);
      at += feature.g[r].length;
      ends[ring++] = at;
    }
    out[f] = { t: feature.t, i: feature.i, s: feature.s, n: feature.n, c: feature.c, p: feature.p, r: feature.g.length };
  }
  return { id: id, features: out, positions: positions, ends: ends };
}

// --- reading ahead ----------------------------------------------------------------------------

var view = null; // the tiles last asked for: {z, x0, x1, y0, y1, done}
var prefetchTimer = null;
var answering = 0; // tiles and queries asked for and not answered yet

// Remember the tiles of the current view (those asked for in one burst); read ahead once
// every one is answered and nothing was asked for PREFETCH_DELAY ms (the first view first).
function noteWanted(z, x, y) {
  if (!view || view.done || view.z !== z) {
    view = { z: z, x0: x, x1: x, y0: y, y1: y, done: false };
  } else {
    view.x0 = Math.min(view.x0, x); view.x1 = Math.max(view.x1, x);
    view.y0 = Math.min(view.y0, y); view.y1 = Math.max(view.y1, y);
  }
  clearTimeout(prefetchTimer);
}

function asked() { answering += 1; clearTimeout(prefetchTimer); }

function answered() {
  answering -= 1;
  if (answering <= 0) {
    answering = 0;
    sendTiles();
    // A shapes layer says when the page has drawn ({type: 'drawn'}): the read-ahead waits
    // for it rather than compete with the first view for the processor.
    if (!archive.drawnSignal) { readAheadSoon(); }
  }
}

function readAheadSoon() {
  clearTimeout(prefetchTimer);
  if (answering === 0) { prefetchTimer = setTimeout(prefetch, PREFETCH_DELAY); }
}

// The stored tiles at zoom `z` covering the tile box of zoom `from` [x0, x1] x [y0, y1]
// (fractional box: a part of the view).
function tilesCovering(z, from, x0, x1, y0, y1) {
  var scale = Math.pow(2, z - from);
  var last = Math.pow(2, z) - 1;
  var out = [];
  for (var x = Math.max(0, Math.floor(x0 * scale)); x <= Math.min(last, Math.ceil(x1 * scale) - 1); x++) {
    for (var y = Math.max(0, Math.floor(y0 * scale)); y <= Math.min(last, Math.ceil(y1 * scale) - 1); y++) {
      out.push([z, x, y]);
    }
  }
  return out;
}

// What a next step needs, read and decoded while the map is still: the tiles one zoom in over
// the centre half of the view (a zoom in keeps the centre), one zoom out over the view that
// zoom shows, a ring one tile wide around it (a pan), then two zooms in over the centre
// quarter and two out (the zoom buttons and keys pressed twice). Each zoom's share is about
// as many tiles as the view. Not on a connection that asks to save data.
function prefetch() {
  if (!archive || !view) { return; }
  view.done = true;
  var connection = self.navigator && self.navigator.connection;
  if (connection && (connection.saveData || /2g/.test(connection.effectiveType || ''))) { return; }
  var z = Math.min(view.z, archive.maxZoom);
  var shift = Math.pow(2, z - view.z); // a view past the last zoom reads its stored ancestors
  var x0 = view.x0 * shift, x1 = (view.x1 + 1) * shift, y0 = view.y0 * shift, y1 = (view.y1 + 1) * shift;
  var wanted = [];
  var width = x1 - x0, height = y1 - y0;
  // The view `times` times wider and higher (0.5: the centre half), around the same centre,
  // `margin` tiles more on each side (the view lies within half a tile of its tiles' box).
  var around = function (zoom, times, margin) {
    var dx = width * (1 - times) / 2 - margin, dy = height * (1 - times) / 2 - margin;
    return tilesCovering(zoom, z, x0 + dx, x1 - dx, y0 + dy, y1 - dy);
  };
  if (view.z < archive.maxZoom) { wanted = wanted.concat(around(z + 1, 0.5, 0.5)); }
  if (z - 1 >= archive.minZoom) { wanted = wanted.concat(around(z - 1, 2, 0)); }
  wanted = wanted.concat(around(z, 1, 1));
  if (view.z + 1 < archive.maxZoom) { wanted = wanted.concat(around(z + 2, 0.25, 0.5)); }
  if (z - 2 >= archive.minZoom) { wanted = wanted.concat(around(z - 2, 4, 0)); }
  wanted.slice(0, PREFETCH_MAX).forEach(function (zxy) {
    storedTile(zxy[0], zxy[1], zxy[2]).catch(function () { /* read again when asked */ });
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
    for (var y = y0; y <= y1; y++) { wanted.push([x, y]); noteWanted(z, x, y); }
  }
  asked();
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
  }).then(answered);
}

function tile(message) {
  if (archive) {
    if (message.z >= archive.minZoom) { noteWanted(message.z, message.x, message.y); }
    asked();
    archiveTile(message.z, message.x, message.y).then(function (features) {
      sendTile(message.id, features);
    }, function () {
      sendTile(message.id, []);
    }).then(answered);
    return;
  }
  var found = index.getTile(message.z, message.x, message.y);
  var features = found ? found.features.map(function (feature) {
    var geometry = feature.type === 1 ? [flat(feature.geometry)] : feature.geometry.map(flat);
    return { t: feature.type, g: geometry, i: feature.tags.i, s: feature.tags.s };
  }) : [];
  var answer = packed(message.id, features);
  answer.type = 'tile';
  self.postMessage(answer, [answer.positions.buffer, answer.ends.buffer]);
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === 'load') {
    load(message).catch(function (error) { self.postMessage({ type: 'error', error: String(error && error.message || error) }); });
  } else if (message.type === 'archive') {
    openArchive(message).catch(function (error) { self.postMessage({ type: 'error', error: String(error && error.message || error) }); });
  } else if (message.type === 'drawn' && archive) {
    readAheadSoon();
  } else if (message.type === 'head') {
    if (headArrived) { headArrived(message); }
  } else if (message.type === 'tile') {
    tile(message);
  } else if (message.type === 'query' && archive) {
    query(message);
  }
};
