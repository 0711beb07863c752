/*
 * wagtail-umap public viewer: permalink.
 * The map's state in the URL's hash, read on load and rewritten with history.replaceState.
 * Methods of the Viewer (viewer.js copies them onto Viewer.prototype).
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var eachLeaf = parts.dom.eachLeaf;
  var methods = parts.permalink = {};

  // --- permalink ---------------------------------------------------------------------------
  //
  // The URL's hash holds one parameter per map, named after its dom id, parameters joined
  // with "&":  #umap-3-1=14/47.50123/2.85012;f=<layer id>:<index>;l=<layer id>,<layer id>
  // (zoom/lat/lng; f: the feature whose popup is open; l: the layers shown, possibly none).

  function encodePart(text) {
    return encodeURIComponent(text).replace(/%3A/gi, ':');
  }

  function hashParams() {
    var params = [];
    window.location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var cut = part.indexOf('=');
      if (cut > 0) { params.push([decodeURIComponent(part.slice(0, cut)), part.slice(cut + 1)]); }
    });
    return params;
  }

  methods.readPermalink = function () {
    var domId = this.config.domId;
    var value = null;
    try {
      hashParams().forEach(function (param) { if (param[0] === domId) { value = param[1]; } });
    } catch (e) { return null; }
    if (value === null) { return null; }
    var state = { view: null, feature: null, layers: null };
    value.split(';').forEach(function (part, i) {
      try {
        if (i === 0) {
          var numbers = part.split('/').map(Number);
          if (numbers.length === 3 && numbers.every(isFinite) && Math.abs(numbers[1]) <= 90) {
            state.view = { zoom: numbers[0], center: [numbers[1], numbers[2]] };
          }
        } else if (part.indexOf('f=') === 0) {
          state.feature = decodeURIComponent(part.slice(2));
        } else if (part.indexOf('l=') === 0) {
          state.layers = part.slice(2) ? part.slice(2).split(',').map(decodeURIComponent) : [];
        }
      } catch (e) { /* a malformed part: ignore it */ }
    });
    if (state.view) {
      state.view.zoom = Math.min(this.map.getMaxZoom(), Math.max(this.map.getMinZoom(), state.view.zoom));
    }
    return state;
  };

  methods.restoreFeature = function (key) {
    var parts = this.splitKey(key);
    var entry = this.layers[parts.layerId];
    var geo = entry && entry.features[parts.index];
    if (!geo || !this.map.hasLayer(entry.group)) { return; }
    var marker = null;
    eachLeaf(geo, function (part) { if (part.getElement && part.getIcon && !marker) { marker = part; } });
    this.openPopup(key, this.featureTarget(geo), marker ? marker.getElement() : null, true);
  };

  methods.permalinkValue = function () {
    var map = this.map;
    var self = this;
    var center = map.getCenter();
    var value = Math.round(map.getZoom() * 100) / 100 + '/' + center.lat.toFixed(5) + '/' + center.lng.toFixed(5);
    if (this.popupKey && map.hasLayer(this.popup)) { value += ';f=' + encodePart(this.popupKey); }
    var shown = Object.keys(this.layers).filter(function (id) { return map.hasLayer(self.layers[id].group); });
    return value + ';l=' + shown.map(encodePart).join(',');
  };

  methods.writePermalink = function () {
    var domId = this.config.domId;
    var parts = [];
    var found = false;
    var value = encodePart(domId) + '=' + this.permalinkValue();
    window.location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var cut = part.indexOf('=');
      if (cut <= 0) { return; } // a plain anchor: the map's state replaces it
      var name;
      try { name = decodeURIComponent(part.slice(0, cut)); } catch (e) { return; }
      if (name === domId) { parts.push(value); found = true; } else { parts.push(part); }
    });
    if (!found) { parts.push(value); }
    var url = window.location.pathname + window.location.search + '#' + parts.join('&');
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, '', url);
    }
  };

  // Keep the hash up to date as the citizen moves, opens popups or switches layers
  // (history.replaceState: the back button is not filled with every move).
  methods.watchPermalink = function () {
    var self = this;
    var timer = null;
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { self.writePermalink(); }, 150);
    }
    this.schedulePermalink = schedule;
    this.map.on('moveend overlayadd overlayremove popupopen popupclose', schedule);
    // A layer shown by "Voir sur la carte" (not through the switcher).
    this.map.on('layeradd layerremove', function (event) {
      Object.keys(self.layers).forEach(function (id) { if (self.layers[id].group === event.layer) { schedule(); } });
    });
  };
}());
