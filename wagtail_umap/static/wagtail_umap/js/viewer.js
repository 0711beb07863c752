/*
 * wagtail-umap public viewer. Plain ES2017, no build step, needs only Leaflet 1.9 (window.L).
 * This entry file holds the Viewer (mount, layers, list linking) and mountAll; the rest is
 * split by concern into viewer/*.js, loaded before it (templates/wagtail_umap/viewer/assets.html):
 *   strings-and-dom.js    interpolate, plural, text and DOM helpers
 *   style-and-markers.js  feature styles, marker icons
 *   popups.js             popups, focus in and back, Escape, "Voir sur la carte"
 *   controls.js           home, fullscreen, locate, layer switcher toggle
 *   search.js             address search
 *   permalink.js          the URL's hash
 *   print.js              the link to the print view, and the print view's buttons
 *   basemaps.js           the basemap switcher, overlays and the map's limits
 *   layer-tree.js         the layer switcher of a map with groups of layers (tri-state)
 *   representations.js    choropleth, categories, circles, heat, clusters, zoom range (a layer
 *                         with any of them, or filters, is "managed": drawn by vizApply)
 *   legend.js, clusters.js (+ cluster-worker.js), filters.js, slideshow.js
 *                         see docs/data-visualisation.md
 *
 * Why classic scripts and not ES modules: each file is a plain <script defer> with its own
 * {% static %} URL, so the files run in document order once the page is parsed, exactly as the
 * single file did, and a hashing static storage (ManifestStaticFilesStorage) names each one
 * right. Module `import`s are relative URLs inside the files, which that storage leaves
 * unhashed unless an opt-in setting is on: a stale or missing file on a cached page. The files
 * meet in window.wagtailUmap._parts; this file takes it and leaves window.wagtailUmap holding
 * the public API only.
 * Runs under `script-src 'self'; style-src 'self'`: no inline script, no style attribute in
 * markup, no eval; data is written with textContent only.
 *
 * DOM contract (rendered by templates/wagtail_umap/viewer.html, documented in docs/viewer.md)
 * ----------------------------------------------------------------------------------------
 *   section[data-umap-viewer][data-umap-config="<id of the json_script>"]#<dom_id>
 *     Mounted once (the script sets data-umap-mounted="true"). data-umap-state is
 *     "loading" while layers load, then "ready" (or "error" when Leaflet could not start).
 *   [data-umap-map]#<dom_id>-map        the Leaflet container: role="region", aria-label=title,
 *                                        aria-describedby=<dom_id>-summary, tabindex=0 (Leaflet).
 *   [data-umap-fallback]                 no-JS message inside the container, removed on mount.
 *   [data-umap-status]#<dom_id>-status  role="status": "Chargement…", "N éléments affichés",
 *                                        layer load errors.
 *   [data-umap-list]#<dom_id>-list      the feature list (target of the "Skip the map" link).
 *   [data-umap-layer="<layer id>"]       one per layer in the list.
 *   li[data-umap-feature-item="<layer id>:<index>"]  one per feature (tabindex=-1).
 *   button[data-umap-feature="<layer id>:<index>"]   "Voir sur la carte": hidden in the HTML,
 *                                        un-hidden once its layer's data is on the map.
 *   On the map:
 *   .umap-marker[role=button][tabindex=0][aria-label=<name>][data-umap-feature=<layer:index>]
 *                                        point markers; Enter or Space opens the popup.
 *   .leaflet-interactive[data-umap-feature=<layer:index>]  line and polygon paths (SVG).
 *   .umap-popup[data-umap-feature]       popup content; .umap-popup__title (tabindex=-1) gets
 *                                        the focus when it opens; Escape closes it and focus
 *                                        returns to the marker or button that opened it.
 *
 *   Controls (each only when on in config.controls):
 *   button[data-umap-control="home|fullscreen|locate"]  in .umap-control-bar under the zoom;
 *                                        aria-label/title in the page language.
 *   form[data-umap-search][role=search]  above the map (search on and a geocoder set):
 *                                        input[type=search], submit button, .umap-search__source,
 *                                        ul[data-umap-search-results] of
 *                                        button[data-umap-search-result] (aria-current on the chosen).
 *   [data-umap-position][role=img]       "Votre position" marker, path.umap-position-accuracy.
 *   [data-umap-search-marker][role=img]  the chosen address, named with its label.
 *   .umap-viewer--fullscreen on the section (plus --pseudo-fullscreen without the Fullscreen API).
 *   Permalink: location.hash "#<dom_id>=<zoom>/<lat>/<lng>;f=<layer:index>;l=<id>,<id>" per map,
 *   maps joined with "&", written with history.replaceState (see docs/viewer.md).
 *
 * Events, dispatched on the section[data-umap-viewer] element (bubbling):
 *   umap:ready        detail {map, featureCount}  every layer has loaded or failed.
 *   umap:layerload    detail {layerId}  one layer's features are drawn.
 *   umap:layererror   detail {layerId, error}
 *   umap:popupopen    detail {feature: "<layer:index>"}
 *   umap:popupclose   detail {feature: "<layer:index>"}
 *
 * JavaScript API: window.wagtailUmap.mountAll(root?) mounts every new viewer under root;
 * window.wagtailUmap.get(domId) returns {map, showFeature(key, opener?)} of a mounted viewer.
 */
(function () {
  'use strict';

  // The other viewer scripts (loaded first) left their parts here. If one of them did not load,
  // mountAll says so in each viewer's status region, as when Leaflet is missing.
  var parts = (window.wagtailUmap && window.wagtailUmap._parts) || {};
  var PART_NAMES = ['dom', 'style', 'popups', 'controls', 'search', 'permalink'];
  var missingParts = PART_NAMES.filter(function (name) { return !parts[name]; });
  var dom = parts.dom || {};
  var interpolate = dom.interpolate;
  var plural = dom.plural;
  var escapeHtml = dom.escapeHtml;
  var asText = dom.asText;
  var eachLeaf = dom.eachLeaf;
  var styles = parts.style || {};
  var mergeStyle = styles.mergeStyle;
  var leafletPathStyle = styles.leafletPathStyle;
  var markerIcon = styles.markerIcon;

  var viewers = {};

  // --- one viewer --------------------------------------------------------------------------

  function Viewer(root, L) {
    this.root = root;
    this.L = L;
    this.config = JSON.parse(document.getElementById(root.getAttribute('data-umap-config')).textContent);
    if (styles.setAssets) { styles.setAssets(this.config.assets); }
    this.strings = this.config.strings;
    this.mapEl = root.querySelector('[data-umap-map]');
    this.statusEl = root.querySelector('[data-umap-status]');
    this.reducedMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.layers = {}; // id -> {config, group, features: {index: Leaflet layer}, loaded, failed}
    this.popup = null;
    this.popupOpener = null;
    this.popupKey = null;
    this.mount();
  }

  // Popups, controls, search and permalink are Viewer methods written in their own files.
  // Data visualisation (representations, filters, slideshow): optional, a plain map works without.
  ['popups', 'controls', 'search', 'permalink', 'representations', 'filters', 'slideshow'].forEach(function (name) {
    var methods = parts[name] || {};
    Object.keys(methods).forEach(function (key) { Viewer.prototype[key] = methods[key]; });
  });

  Viewer.prototype.emit = function (name, detail) {
    this.root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  };

  // Replace what the status region says: one line per message (count first, then errors).
  Viewer.prototype.say = function (messages) {
    var status = this.statusEl;
    status.textContent = '';
    [].concat(messages).forEach(function (message) {
      var line = document.createElement('span');
      line.className = 'umap-viewer__status-line';
      line.textContent = message;
      status.appendChild(line);
    });
  };

  Viewer.prototype.mount = function () {
    var L = this.L;
    var config = this.config;
    var view = config.view;
    var fallback = this.mapEl.querySelector('[data-umap-fallback]');
    if (fallback) { fallback.remove(); }
    if (config.height) { this.mapEl.style.height = config.height + 'px'; }
    this.root.setAttribute('data-umap-state', 'loading');
    this.say(this.strings.loading);

    var still = this.reducedMotion;
    var map = this.map = L.map(this.mapEl, {
      zoomControl: false,
      attributionControl: true,
      keyboard: true,
      scrollWheelZoom: false, // enabled while the map has focus: no scroll trap on the page
      zoomAnimation: !still,
      // No fade of new tiles, motion or not: Leaflet animates each tile's opacity for 200 ms
      // on the page's thread, and a pan or a zoom step would be complete that much later
      // (docs/large-data.md, "Zoom steps without the tiles' fade").
      fadeAnimation: false,
      markerZoomAnimation: !still,
      inertia: !still,
      minZoom: config.basemap.minZoom,
      maxZoom: config.basemap.maxZoom
    });
    if (still) {
      // Autopan, keyboard pans and fitBounds all go through panBy: keep them instant.
      map.panBy = function (offset, options) {
        return L.Map.prototype.panBy.call(this, offset, L.extend({}, options, { animate: false }));
      };
    }
    map.on('focus', function () { map.scrollWheelZoom.enable(); });
    map.on('blur', function () { map.scrollWheelZoom.disable(); });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');

    var tileOptions = {
      attribution: config.basemap.attribution,
      minZoom: config.basemap.minZoom,
      maxZoom: config.basemap.maxZoom,
      referrerPolicy: config.basemap.referrerPolicy
    };
    if (config.basemap.subdomains) { tileOptions.subdomains = config.basemap.subdomains; }
    if (config.basemap.grayscale) { tileOptions.className = 'umap-tiles-grayscale'; }
    // A basemap served with CORS (IGN's Géoplateforme) may be drawn into a PNG (print.js).
    if (config.basemap.crossOrigin) { tileOptions.crossOrigin = 'anonymous'; }
    this.baseLayer = L.tileLayer(config.basemap.url, tileOptions).addTo(map);
    // Other basemaps a visitor may choose, overlays, limits (viewer/basemaps.js).
    if (parts.basemaps) { parts.basemaps.mount(this); }

    if (config.controls.zoom) {
      L.control.zoom({ zoomInTitle: this.strings.zoomIn, zoomOutTitle: this.strings.zoomOut }).addTo(map);
    }
    this.buttonBar();
    if (parts.print && config.printUrl && config.controls.print) { parts.print.addControl(this); }
    this.panButtons();
    if (config.controls.scale) {
      L.control.scale({ imperial: false }).addTo(map);
    }
    if (config.controls.search && config.geocoder) { this.searchForm(); }

    // A permalink in the URL's hash wins over the map's initial view.
    var restored = this.restored = config.controls.permalink ? this.readPermalink() : null;
    if (restored && restored.view) {
      map.setView(restored.view.center, restored.view.zoom, { animate: false });
    } else {
      this.resetView(false);
    }

    this.popup = L.popup({
      className: 'umap-popup-container',
      maxWidth: 320,
      autoPanPadding: [16, 16],
      closeOnEscapeKey: false // handled below, so that focus goes back where it came from
    });
    map.on('popupopen', this.onPopupOpen, this);
    map.on('popupclose', this.onPopupClose, this);

    var self = this;
    // Layers shown on load are fetched first; the hidden ones once those are drawn.
    this.shownLoads = [];
    var loads = config.layers.map(function (layerConfig) { return self.loadLayer(layerConfig); });

    if (config.controls.layers && config.groups && config.groups.length && parts.layerTree) {
      // Groups of layers: nested lists with a tri-state box a group (viewer/layer-tree.js).
      var tree = this.switcher = parts.layerTree.mount(this);
      var treeBox = tree.getContainer();
      treeBox.insertBefore(this.layersToggle(treeBox), treeBox.firstChild);
      map.on('overlayadd overlayremove', function () { self.announceCount(); });
    } else if (config.controls.layers && config.layers.length > 1) {
      var overlays = {};
      config.layers.forEach(function (layerConfig) {
        // Leaflet writes these labels with innerHTML.
        overlays[escapeHtml(layerConfig.name)] = self.layers[layerConfig.id].group;
      });
      var switcher = this.switcher = L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      var container = switcher.getContainer();
      container.setAttribute('role', 'group');
      container.setAttribute('aria-label', this.strings.layers);
      container.insertBefore(this.layersToggle(container), container.firstChild);
      map.on('overlayadd overlayremove', function () { self.announceCount(); });
    }

    this.root.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-umap-feature]');
      if (button && self.root.contains(button)) {
        self.showFeature(button.getAttribute('data-umap-feature'), button);
      }
    });

    if (parts.featureList) { parts.featureList.enhance(this); }

    Promise.all(loads).then(function () {
      if (self.vizMount) { self.vizMount(); } // filters and slideshow, once the data is in
      self.root.setAttribute('data-umap-state', 'ready');
      self.announceCount();
      if (restored && restored.feature) { self.restoreFeature(restored.feature); }
      if (config.controls.permalink) { self.watchPermalink(); }
      self.emit('umap:ready', { map: map, featureCount: self.visibleCount() });
    });
  };

  // The map's initial view, as the server decided it (also the "home" button's target).
  Viewer.prototype.resetView = function (animate) {
    var view = this.config.view;
    var options = { animate: !!animate && !this.reducedMotion };
    if (view.center) {
      this.map.setView(view.center, view.zoom, options);
    } else if (view.bounds) {
      // Measured once: "home" comes back to this very view, whatever opened since.
      var room = this.room = this.room || this.controlsRoom();
      this.map.fitBounds(view.bounds, {
        paddingTopLeft: [room.left, 24], paddingBottomRight: [room.right, 24], maxZoom: 16, animate: options.animate
      });
    } else {
      this.map.setView(view.defaultCenter, view.defaultZoom, options);
    }
  };

  // Room to leave on each side when fitting the data, so that no feature starts under the
  // controls (zoom, pan, print on the left; basemaps on the right), where it could be neither
  // seen nor clicked (WCAG 2.5.8); plain margins when the map is too narrow for that.
  Viewer.prototype.controlsRoom = function () {
    var container = this.map.getContainer();
    var widthOf = function (selector) {
      var column = container.querySelector(selector);
      return column ? column.getBoundingClientRect().width : 0;
    };
    var left = widthOf('.leaflet-top.leaflet-left') + 16;
    var right = widthOf('.leaflet-top.leaflet-right') + 16;
    if (left + right > container.clientWidth * 0.5) { return { left: 24, right: 24 }; }
    return { left: Math.max(left, 24), right: Math.max(right, 24) };
  };

  Viewer.prototype.loadLayer = function (layerConfig) {
    var self = this;
    var L = this.L;
    var entry = this.layers[layerConfig.id] = {
      config: layerConfig, group: L.featureGroup(), features: {}, loaded: false, failed: false
    };
    var restoredLayers = this.restored && this.restored.layers;
    if (restoredLayers ? restoredLayers.indexOf(layerConfig.id) >= 0 : layerConfig.shownOnLoad) {
      entry.group.addTo(this.map);
    }

    var shown = this.map.hasLayer(entry.group);
    var before = shown ? Promise.resolve() : Promise.resolve().then(function () { return Promise.all(self.shownLoads); });
    // A large layer with its vector tiles built reads them a few at a time (tiles.js).
    var archived = parts.tiles && parts.tiles.fromArchive && parts.tiles.fromArchive(this, entry);
    var data = archived ? before.then(function () {
      self.layerLoading(entry, true);
      return parts.tiles.ARCHIVE;
    }) : !layerConfig.dataUrl ? Promise.resolve(layerConfig.data) : before.then(function () {
      self.layerLoading(entry, true);
      return fetch(layerConfig.dataUrl, {
        credentials: 'same-origin',
        headers: { Accept: 'application/geo+json, application/json' }
      }).then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        // A tiled layer goes to its worker as bytes, parsed there (tiles.js), unless its
        // representation or filters style each feature: representations.js draws those.
        var tiled = parts.tiles && layerConfig.render === 'tiles' && !(self.isManaged && self.isManaged(entry));
        return tiled ? response.arrayBuffer() : response.json();
      });
    });

    var done = data.then(function (collection) {
      return self.addFeatures(entry, collection);
    }).then(function () {
      self.layerLoading(entry, false);
      entry.loaded = true;
      self.root.querySelectorAll('button[data-umap-feature]').forEach(function (button) {
        var key = button.getAttribute('data-umap-feature');
        if (self.splitKey(key).layerId === layerConfig.id && (entry.lazy || entry.features[self.splitKey(key).index])) {
          button.hidden = false;
        }
      });
      self.emit('umap:layerload', { layerId: layerConfig.id });
      // A layer that loads after the others (hidden on load): say the new count.
      if (self.root.getAttribute('data-umap-state') === 'ready') { self.announceCount(); }
    }).catch(function (error) {
      self.layerLoading(entry, false);
      entry.failed = true;
      self.errors = (self.errors || []).concat([interpolate(self.strings.layerError, { name: layerConfig.name })]);
      self.emit('umap:layererror', { layerId: layerConfig.id, error: error });
      if (self.root.getAttribute('data-umap-state') === 'ready') { self.announceCount(); }
    });
    if (shown) { this.shownLoads.push(done); }
    return done;
  };

  // While a layer loads from its data URL: said in the status region, shown on the map.
  Viewer.prototype.layerLoading = function (entry, loading) {
    entry.loading = loading;
    var self = this;
    var names = Object.keys(this.layers).filter(function (id) { return self.layers[id].loading; });
    this.mapEl.classList.toggle('umap-viewer__map--loading', names.length > 0);
    if (names.length) {
      this.say(names.map(function (id) { return interpolate(self.strings.layerLoading, { name: self.layers[id].config.name }); }));
    }
  };

  Viewer.prototype.splitKey = function (key) {
    var cut = String(key).lastIndexOf(':');
    return { layerId: key.slice(0, cut), index: parseInt(key.slice(cut + 1), 10) };
  };

  Viewer.prototype.addFeatures = function (entry, collection) {
    var L = this.L;
    var self = this;
    if (collection instanceof ArrayBuffer) { return parts.tiles.addBytes(this, entry, collection); }
    if (parts.tiles && collection === parts.tiles.ARCHIVE) { return parts.tiles.addFromArchive(this, entry); }
    var features = [];
    if (collection && collection.type === 'FeatureCollection' && Array.isArray(collection.features)) {
      features = collection.features;
    } else if (collection && collection.type === 'Feature') {
      features = [collection];
    }
    // Large layers: canvas, clusters or tiles, never one DOM element per feature (tiles.js).
    if (parts.tiles && parts.tiles.handles(entry) && !(this.isManaged && this.isManaged(entry))) {
      return parts.tiles.add(this, entry, features);
    }
    var layerStyle = entry.config.style || {};
    // A layer with a representation, filters or a zoom range is drawn by representations.js.
    var managed = !!(this.isManaged && this.isManaged(entry));
    features.forEach(function (feature, index) {
      if (!feature || !feature.geometry) { return; }
      var properties = feature.properties || {};
      // Map style and rules, layer style and rules, the feature's own (viewer/rules.js).
      var style = parts.rules ? parts.rules.featureStyle(self, entry, properties) : mergeStyle(layerStyle, properties._style);
      if (managed) { style = self.vizStyle(entry, properties, style); }
      var key = entry.config.id + ':' + index;
      var labelName = parts.rules ? parts.rules.featureName(properties, entry.config.labelKey) : asText(properties.name).trim();
      // An unnamed place with a pictogram of the library is named after it ("École").
      var iconLabel = !labelName && styles.iconOf ? (self.config.pictogramNames || {})[styles.iconOf(style)] : '';
      var name = labelName || iconLabel || interpolate(self.strings.unnamed, { number: index + 1 });
      var geo;
      try {
        geo = L.geoJSON(feature, {
          style: function (part) {
            var options = leafletPathStyle(style);
            // Lines are never filled (Leaflet would fill the area under a polyline).
            if (/LineString$/.test(part.geometry.type)) { options.fill = false; }
            return options;
          },
          pointToLayer: function (point, latlng) {
            var circle = managed && self.vizPointLayer(entry, properties, style, latlng);
            if (circle) { return circle; }
            var marker = L.marker(latlng, { icon: markerIcon(style, name, key, labelName ? entry.config.language : ''), keyboard: true, riseOnHover: true });
            marker.on('keydown', function (event) {
              var k = event.originalEvent.key;
              if (k === 'Enter' || k === ' ' || k === 'Spacebar') {
                L.DomEvent.preventDefault(event.originalEvent);
                self.openPopup(key, latlng, marker.getElement());
              }
            });
            marker.on('click', function () { self.openPopup(key, latlng, marker.getElement()); });
            return marker;
          }
        });
      } catch (error) {
        return; // a malformed geometry: skip it, keep the rest of the layer
      }
      // Lines and polygons (markers have their own handlers above).
      geo.on('click', function (event) {
        if (!(event.sourceTarget instanceof L.Marker)) { self.openPopup(key, event.latlng, self.mapEl); }
      });
      eachLeaf(geo, function (part) {
        if (part instanceof L.Path) {
          part.on('add', function () {
            if (part.getElement()) { part.getElement().setAttribute('data-umap-feature', key); }
          });
        }
      });
      geo.umapFeature = { key: key, name: name, named: !!labelName, properties: properties, geometry: feature.geometry, style: style };
      entry.features[index] = geo;
      if (!managed) { entry.group.addLayer(geo); }
    });
    if (managed) { this.vizLayerReady(entry); }
    if (parts.labels) { parts.labels.add(this, entry); } // permanent labels (viewer/labels.js)
  };

  Viewer.prototype.visibleCount = function () {
    var map = this.map;
    var self = this;
    return Object.keys(this.layers).reduce(function (total, id) {
      var entry = self.layers[id];
      var count = entry.viz ? self.shownCount(entry)
        : entry.count !== undefined ? entry.count : Object.keys(entry.features).length;
      return total + (map.hasLayer(entry.group) ? count : 0);
    }, 0);
  };

  Viewer.prototype.announceCount = function () {
    var text = plural(this.strings.featuresShown, this.visibleCount(), this.config.language);
    this.say([text].concat(this.errors || []));
  };

  // --- mounting ----------------------------------------------------------------------------

  function mountAll(root) {
    var L = window.L;
    (root || document).querySelectorAll('[data-umap-viewer]').forEach(function (element) {
      if (element.getAttribute('data-umap-mounted')) { return; }
      element.setAttribute('data-umap-mounted', 'true');
      try {
        if (!L) { throw new Error('Leaflet is not loaded'); }
        if (missingParts.length) { throw new Error('wagtail-umap viewer scripts not loaded: ' + missingParts.join(', ')); }
        styles.ensureClasses(L);
        viewers[element.id] = new Viewer(element, L);
      } catch (error) {
        element.setAttribute('data-umap-state', 'error');
        var status = element.querySelector('[data-umap-status]');
        var config = document.getElementById(element.getAttribute('data-umap-config'));
        try {
          if (status && config) { status.textContent = JSON.parse(config.textContent).strings.mapError; }
        } catch (e) { /* nothing more to say */ }
        window.setTimeout(function () { throw error; });
      }
    });
  }

  window.wagtailUmap = {
    mountAll: mountAll,
    get: function (domId) {
      var viewer = viewers[domId];
      return viewer ? { map: viewer.map, showFeature: viewer.showFeature.bind(viewer) } : null;
    }
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { mountAll(); });
  } else {
    mountAll();
  }
}());
