/*
 * wagtail-umap public viewer. Plain ES2017, no build step, needs only Leaflet 1.9 (window.L).
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
 *   umap:layererror   detail {layerId, error}
 *   umap:popupopen    detail {feature: "<layer:index>"}
 *   umap:popupclose   detail {feature: "<layer:index>"}
 *
 * JavaScript API: window.wagtailUmap.mountAll(root?) mounts every new viewer under root;
 * window.wagtailUmap.get(domId) returns {map, showFeature(key, opener?)} of a mounted viewer.
 */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var viewers = {};

  // --- small helpers -----------------------------------------------------------------------

  function interpolate(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function plural(forms, count, language) {
    var category = 'other';
    try {
      category = new Intl.PluralRules(language || undefined).select(count);
    } catch (e) { /* unknown language: keep "other" */ }
    return interpolate(forms[category] || forms.other, { count: count });
  }

  function escapeHtml(text) {
    // Only for the layer switcher, whose labels Leaflet writes with innerHTML.
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function asText(value) {
    if (value === null || value === undefined) { return ''; }
    return typeof value === 'string' ? value : (typeof value === 'object' ? JSON.stringify(value) : String(value));
  }

  // Append text to an element, turning newlines into <br> elements (never innerHTML).
  function appendMultiline(parent, text) {
    String(text).split(/\r\n|\r|\n/).forEach(function (line, i) {
      if (i) { parent.appendChild(document.createElement('br')); }
      parent.appendChild(document.createTextNode(line));
    });
  }

  // Colours only reach setAttribute, but stay strict anyway: #hex, rgb()/hsl() or a name.
  var COLOR_RE = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([0-9.,%\s]+\)|[a-z]{3,20})$/i;
  function safeColor(value, fallback) {
    return typeof value === 'string' && COLOR_RE.test(value.trim()) ? value.trim() : fallback;
  }
  function safeNumber(value, fallback, min, max) {
    return typeof value === 'number' && isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  }

  var DEFAULT_STYLE = { color: '#1f5fa8', weight: 3, opacity: 0.9, fill_opacity: 0.3, fill: true };

  function mergeStyle(layerStyle, featureStyle) {
    var style = {};
    [DEFAULT_STYLE, layerStyle || {}, featureStyle || {}].forEach(function (source) {
      Object.keys(source).forEach(function (key) { style[key] = source[key]; });
    });
    return style;
  }

  // Our style keys (the map document's) to Leaflet's path options.
  function leafletPathStyle(style) {
    var color = safeColor(style.color, DEFAULT_STYLE.color);
    var options = {
      color: color,
      weight: safeNumber(style.weight, DEFAULT_STYLE.weight, 0, 50),
      opacity: safeNumber(style.opacity, DEFAULT_STYLE.opacity, 0, 1),
      fillColor: safeColor(style.fill_color, color),
      fillOpacity: safeNumber(style.fill_opacity, DEFAULT_STYLE.fill_opacity, 0, 1),
      fill: style.fill !== false
    };
    if (typeof style.dash_array === 'string' && /^[0-9.,\s]+$/.test(style.dash_array)) {
      options.dashArray = style.dash_array;
    }
    return options;
  }

  // --- markers -----------------------------------------------------------------------------

  // Each shape: box size, anchor (the point on the map), popup anchor and how to draw it.
  var SHAPES = {
    pin: { size: [26, 36], anchor: [13, 35], popup: [0, -32], draw: function (svg, fill) {
      svgChild(svg, 'path', { d: 'M13 1C6.4 1 1 6.2 1 12.7 1 21.4 13 35 13 35s12-13.6 12-22.3C25 6.2 19.6 1 13 1z', fill: fill });
      svgChild(svg, 'circle', { cx: 13, cy: 12.5, r: 4.5, fill: '#fff', stroke: 'none' });
    } },
    drop: { size: [26, 32], anchor: [13, 31], popup: [0, -28], draw: function (svg, fill) {
      svgChild(svg, 'path', { d: 'M13 31 4.5 19.5A10.5 10.5 0 1 1 21.5 19.5z', fill: fill });
    } },
    circle: { size: [24, 24], anchor: [12, 12], popup: [0, -10], draw: function (svg, fill) {
      svgChild(svg, 'circle', { cx: 12, cy: 12, r: 10, fill: fill });
    } },
    square: { size: [24, 24], anchor: [12, 12], popup: [0, -10], draw: function (svg, fill) {
      svgChild(svg, 'rect', { x: 2, y: 2, width: 20, height: 20, rx: 2, fill: fill });
    } }
  };

  function svgChild(parent, name, attributes) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, String(attributes[key])); });
    parent.appendChild(node);
    return node;
  }

  function markerIcon(style, label, featureKey) {
    var shape = SHAPES[style.marker_shape] || SHAPES.pin;
    var fill = safeColor(style.fill_color || style.color, DEFAULT_STYLE.color);
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + shape.size[0] + ' ' + shape.size[1]);
    svg.setAttribute('width', shape.size[0]);
    svg.setAttribute('height', shape.size[1]);
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('stroke', '#fff');
    svg.setAttribute('stroke-width', '1.5');
    shape.draw(svg, fill);
    var icon = new NamedDivIcon({
      html: svg,
      className: 'umap-marker umap-marker--' + (style.marker_shape in SHAPES ? style.marker_shape : 'pin'),
      iconSize: shape.size,
      iconAnchor: shape.anchor,
      popupAnchor: shape.popup,
      label: label,
      featureKey: featureKey
    });
    return icon;
  }

  var NamedDivIcon;
  function defineClasses(L) {
    // A DivIcon whose element carries the feature's accessible name and key.
    NamedDivIcon = L.DivIcon.extend({
      createIcon: function (oldIcon) {
        // Leaflet moves an HTMLElement `html` into the icon: give each icon its own copy.
        var options = this.options;
        var html = options.html;
        options.html = html.cloneNode(true);
        var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
        options.html = html;
        div.setAttribute('aria-label', options.label);
        div.setAttribute('data-umap-feature', options.featureKey);
        return div;
      }
    });
  }

  function eachLeaf(layer, callback) {
    if (layer.eachLayer) {
      layer.eachLayer(function (child) { eachLeaf(child, callback); });
    } else {
      callback(layer);
    }
  }

  // --- popups ------------------------------------------------------------------------------

  function fillTemplate(parent, template, properties) {
    // "{field}" or "{field|fallback}" placeholders, filled as text; newlines become <br>.
    var re = /\{([^{}|]+)(?:\|([^{}]*))?\}/g;
    var last = 0;
    var match;
    while ((match = re.exec(template)) !== null) {
      appendMultiline(parent, template.slice(last, match.index));
      var value = asText(properties[match[1].trim()]);
      appendMultiline(parent, value !== '' ? value : (match[2] || ''));
      last = re.lastIndex;
    }
    appendMultiline(parent, template.slice(last));
  }

  // --- one viewer --------------------------------------------------------------------------

  function Viewer(root, L) {
    this.root = root;
    this.L = L;
    this.config = JSON.parse(document.getElementById(root.getAttribute('data-umap-config')).textContent);
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
      fadeAnimation: !still,
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
    L.tileLayer(config.basemap.url, tileOptions).addTo(map);

    if (config.controls.zoom) {
      L.control.zoom({ zoomInTitle: this.strings.zoomIn, zoomOutTitle: this.strings.zoomOut }).addTo(map);
    }
    this.buttonBar();
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
    var loads = config.layers.map(function (layerConfig) { return self.loadLayer(layerConfig); });

    if (config.controls.layers && config.layers.length > 1) {
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

    Promise.all(loads).then(function () {
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
      this.map.fitBounds(view.bounds, { padding: [24, 24], maxZoom: 16, animate: options.animate });
    } else {
      this.map.setView(view.defaultCenter, view.defaultZoom, options);
    }
  };

  // Leaflet's own collapsed switcher opens on hover and loses keyboard focus; this toggle is a
  // plain button with aria-expanded. Narrow maps (phones) start with the list folded away.
  var NARROW_MAP_PX = 600;

  Viewer.prototype.layersToggle = function (container) {
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'umap-layers-toggle';
    toggle.textContent = this.strings.layers;
    var list = container.querySelector('.leaflet-control-layers-list');
    list.id = this.config.domId + '-layers';
    toggle.setAttribute('aria-controls', list.id);
    function setExpanded(expanded) {
      toggle.setAttribute('aria-expanded', String(expanded));
      list.hidden = !expanded;
    }
    setExpanded(this.map.getContainer().clientWidth >= NARROW_MAP_PX);
    toggle.addEventListener('click', function () {
      setExpanded(toggle.getAttribute('aria-expanded') !== 'true');
    });
    return toggle;
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

    var data = layerConfig.dataUrl
      ? fetch(layerConfig.dataUrl, {
        credentials: 'same-origin',
        headers: { Accept: 'application/geo+json, application/json' }
      }).then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      : Promise.resolve(layerConfig.data);

    return data.then(function (collection) {
      self.addFeatures(entry, collection);
      entry.loaded = true;
      self.root.querySelectorAll('button[data-umap-feature]').forEach(function (button) {
        var key = button.getAttribute('data-umap-feature');
        if (self.splitKey(key).layerId === layerConfig.id && entry.features[self.splitKey(key).index]) {
          button.hidden = false;
        }
      });
    }).catch(function (error) {
      entry.failed = true;
      self.errors = (self.errors || []).concat([interpolate(self.strings.layerError, { name: layerConfig.name })]);
      self.emit('umap:layererror', { layerId: layerConfig.id, error: error });
    });
  };

  Viewer.prototype.splitKey = function (key) {
    var cut = String(key).lastIndexOf(':');
    return { layerId: key.slice(0, cut), index: parseInt(key.slice(cut + 1), 10) };
  };

  Viewer.prototype.addFeatures = function (entry, collection) {
    var L = this.L;
    var self = this;
    var features = [];
    if (collection && collection.type === 'FeatureCollection' && Array.isArray(collection.features)) {
      features = collection.features;
    } else if (collection && collection.type === 'Feature') {
      features = [collection];
    }
    var layerStyle = entry.config.style || {};
    features.forEach(function (feature, index) {
      if (!feature || !feature.geometry) { return; }
      var properties = feature.properties || {};
      var style = mergeStyle(layerStyle, properties._style);
      var key = entry.config.id + ':' + index;
      var name = asText(properties.name).trim() || interpolate(self.strings.unnamed, { number: index + 1 });
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
            var marker = L.marker(latlng, { icon: markerIcon(style, name, key), keyboard: true, riseOnHover: true });
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
      geo.umapFeature = { key: key, name: name, properties: properties, geometry: feature.geometry };
      entry.features[index] = geo;
      entry.group.addLayer(geo);
    });
  };

  Viewer.prototype.visibleCount = function () {
    var map = this.map;
    var self = this;
    return Object.keys(this.layers).reduce(function (total, id) {
      var entry = self.layers[id];
      return total + (map.hasLayer(entry.group) ? Object.keys(entry.features).length : 0);
    }, 0);
  };

  Viewer.prototype.announceCount = function () {
    var text = plural(this.strings.featuresShown, this.visibleCount(), this.config.language);
    this.say([text].concat(this.errors || []));
  };

  Viewer.prototype.popupContent = function (key) {
    var parts = this.splitKey(key);
    var entry = this.layers[parts.layerId];
    var info = entry.features[parts.index].umapFeature;
    var wrapper = document.createElement('div');
    wrapper.className = 'umap-popup';
    wrapper.setAttribute('data-umap-feature', key);
    var title = document.createElement('h' + this.config.popupHeadingLevel);
    title.className = 'umap-popup__title';
    title.tabIndex = -1;
    title.textContent = info.name;
    wrapper.appendChild(title);
    var body = document.createElement('div');
    body.className = 'umap-popup__body';
    if (entry.config.popupTemplate) {
      fillTemplate(body, entry.config.popupTemplate, info.properties);
    } else if (asText(info.properties.description)) {
      appendMultiline(body, asText(info.properties.description));
    }
    if (body.childNodes.length) { wrapper.appendChild(body); }
    var item = this.root.querySelector('[data-umap-feature-item="' + CSS.escape(key) + '"]');
    if (item && item.id) {
      var link = document.createElement('a');
      link.className = 'umap-popup__list-link';
      link.href = '#' + item.id;
      link.textContent = this.strings.showInList;
      link.addEventListener('click', function (event) {
        event.preventDefault();
        item.scrollIntoView({ block: 'center' });
        item.focus({ preventScroll: true });
      });
      wrapper.appendChild(link);
    }
    return wrapper;
  };

  Viewer.prototype.openPopup = function (key, latlng, opener, quiet) {
    // Reopening the same L.Popup while it is open would not fire popupopen: close it first.
    if (this.map.hasLayer(this.popup)) { this.map.closePopup(this.popup); }
    // quiet (a permalink restored on load): neither move the focus nor pan the map.
    this.popupQuiet = !!quiet;
    this.popup.options.autoPan = !quiet;
    this.popupOpener = opener || null;
    this.popupKey = key;
    this.popup.setLatLng(latlng).setContent(this.popupContent(key));
    // Point popups sit above the marker icon.
    var parts = this.splitKey(key);
    var geo = this.layers[parts.layerId].features[parts.index];
    var marker = null;
    eachLeaf(geo, function (part) { if (part.getIcon && !marker) { marker = part; } });
    this.popup.options.offset = marker && geo.umapFeature.geometry.type === 'Point'
      ? marker.options.icon.options.popupAnchor : [0, 7];
    // On a narrow map the expanded layer switcher would cover the popup: pan below it.
    var switcher = this.switcher && this.switcher.getContainer();
    this.popup.options.autoPanPaddingTopLeft = switcher && this.mapEl.clientWidth < 600
      ? [16, switcher.offsetHeight + 24] : null;
    this.map.openPopup(this.popup);
  };

  Viewer.prototype.onPopupOpen = function (event) {
    if (event.popup !== this.popup) { return; }
    var self = this;
    var element = this.popup.getElement();
    var close = element.querySelector('.leaflet-popup-close-button');
    if (close) {
      close.setAttribute('aria-label', this.strings.closePopup);
      close.setAttribute('title', this.strings.close);
    }
    if (!element.umapKeyHandler) {
      element.umapKeyHandler = true;
      element.addEventListener('keydown', function (e) {
        if (e.key === 'Escape' || e.key === 'Esc') {
          e.preventDefault();
          e.stopPropagation();
          self.map.closePopup(self.popup);
        } else if (close && e.target === close && e.key === ' ') {
          e.preventDefault(); // the close "button" is a link: make Space work as on a button
          self.map.closePopup(self.popup);
        }
      });
    }
    var title = element.querySelector('.umap-popup__title');
    if (title && !this.popupQuiet) { title.focus({ preventScroll: true }); }
    this.popupQuiet = false;
    this.emit('umap:popupopen', { feature: this.popupKey });
  };

  Viewer.prototype.onPopupClose = function (event) {
    if (event.popup !== this.popup) { return; }
    var element = this.popup.getElement();
    var active = document.activeElement;
    var focusWasInside = !active || active === document.body || (element && element.contains(active));
    if (focusWasInside && this.popupOpener && document.contains(this.popupOpener)) {
      this.popupOpener.focus({ preventScroll: true });
    }
    this.emit('umap:popupclose', { feature: this.popupKey });
  };

  // "Voir sur la carte": show the layer, bring the map into view, zoom to the feature and open
  // its popup with the focus inside; Escape brings the focus back to `opener`.
  Viewer.prototype.showFeature = function (key, opener) {
    var parts = this.splitKey(key);
    var entry = this.layers[parts.layerId];
    var geo = entry && entry.features[parts.index];
    if (!geo) { return false; }
    var L = this.L;
    var map = this.map;
    var self = this;
    if (!map.hasLayer(entry.group)) { map.addLayer(entry.group); }
    this.mapEl.scrollIntoView({ block: 'nearest', behavior: this.reducedMotion ? 'auto' : 'smooth' });
    var animate = !this.reducedMotion;
    var target = this.featureTarget(geo);
    if (geo.umapFeature.geometry.type === 'Point') {
      map.setView(target, Math.max(map.getZoom(), Math.min(16, map.getMaxZoom())), { animate: animate });
    } else {
      map.fitBounds(geo.getBounds(), { padding: [32, 32], maxZoom: 17, animate: animate });
    }
    var opened = false;
    function open() {
      if (opened) { return; }
      opened = true;
      self.openPopup(key, target, opener);
    }
    if (animate) {
      map.once('moveend', open);
      window.setTimeout(open, 800);
    } else {
      open();
    }
    return true;
  };

  // Where a feature's popup opens: the point, a line's middle, a polygon's centre.
  Viewer.prototype.featureTarget = function (geo) {
    var L = this.L;
    if (geo.umapFeature.geometry.type === 'Point') {
      return L.GeoJSON.coordsToLatLng(geo.umapFeature.geometry.coordinates);
    }
    var children = geo.getLayers();
    var single = children.length === 1 && children[0] instanceof L.Polyline ? children[0] : null;
    return single ? single.getCenter() : geo.getBounds().getCenter();
  };

  // --- controls ----------------------------------------------------------------------------

  function icon(paths) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '20');
    svg.setAttribute('height', '20');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('fill', 'none');
    svg.setAttribute('stroke', 'currentColor');
    svg.setAttribute('stroke-width', '2');
    svg.setAttribute('stroke-linecap', 'round');
    svg.setAttribute('stroke-linejoin', 'round');
    paths.forEach(function (d) { svgChild(svg, 'path', { d: d }); });
    return svg;
  }

  var ICONS = {
    home: ['M3 11.5 12 4l9 7.5', 'M5.5 9.5V20h13V9.5', 'M10 20v-5.5h4V20'],
    fullscreen: ['M4 9V4h5', 'M15 4h5v5', 'M20 15v5h-5', 'M9 20H4v-5'],
    exitFullscreen: ['M9 4v5H4', 'M20 9h-5V4', 'M15 20v-5h5', 'M4 15h5v5'],
    locate: ['M12 2v4', 'M12 18v4', 'M2 12h4', 'M18 12h4', 'M12 7a5 5 0 1 0 0 10 5 5 0 1 0 0-10z',
      'M12 11a1 1 0 1 0 0 2 1 1 0 1 0 0-2z']
  };

  function controlButton(name, label) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'umap-control-button umap-control-button--' + name;
    button.setAttribute('data-umap-control', name);
    button.appendChild(icon(ICONS[name]));
    setButtonLabel(button, label);
    return button;
  }

  function setButtonLabel(button, label) {
    button.setAttribute('aria-label', label);
    button.title = label;
  }

  // Home, fullscreen and locate: one bar of real buttons under the zoom control.
  Viewer.prototype.buttonBar = function () {
    var controls = this.config.controls;
    var geolocation = 'geolocation' in navigator;
    if (!controls.home && !controls.fullscreen && !(controls.locate && geolocation)) { return; }
    var L = this.L;
    var self = this;
    var bar = L.DomUtil.create('div', 'leaflet-bar leaflet-control umap-control-bar');
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.disableScrollPropagation(bar);
    if (controls.home) {
      var home = controlButton('home', this.strings.home);
      home.addEventListener('click', function () { self.resetView(true); });
      bar.appendChild(home);
    }
    if (controls.fullscreen) { bar.appendChild(this.fullscreenButton()); }
    if (controls.locate && geolocation) { bar.appendChild(this.locateButton()); }
    var Bar = L.Control.extend({ onAdd: function () { return bar; } });
    new Bar({ position: 'topleft' }).addTo(this.map);
  };

  // Fullscreen: the Fullscreen API on the whole section (title, map, status, list), or a
  // fixed "pseudo-fullscreen" where the API is missing or refused (iOS, iframes).
  Viewer.prototype.fullscreenButton = function () {
    var self = this;
    var root = this.root;
    var strings = this.strings;
    var button = this.fullscreenToggle = controlButton('fullscreen', strings.fullscreen);
    var native = !!(document.fullscreenEnabled && root.requestFullscreen);

    function update(on) {
      root.classList.toggle('umap-viewer--fullscreen', on);
      button.replaceChild(icon(ICONS[on ? 'exitFullscreen' : 'fullscreen']), button.firstChild);
      setButtonLabel(button, on ? strings.exitFullscreen : strings.fullscreen);
      self.map.invalidateSize({ animate: false });
    }
    function setPseudo(on) {
      root.classList.toggle('umap-viewer--pseudo-fullscreen', on);
      document.documentElement.classList.toggle('umap-fullscreen-open', on);
      update(on);
    }
    this.isFullscreen = function () {
      return document.fullscreenElement === root || root.classList.contains('umap-viewer--pseudo-fullscreen');
    };
    button.addEventListener('click', function () {
      if (self.isFullscreen()) {
        if (document.fullscreenElement === root) { document.exitFullscreen(); } else { setPseudo(false); }
      } else if (native) {
        root.requestFullscreen().catch(function () { setPseudo(true); });
      } else {
        setPseudo(true);
      }
    });
    document.addEventListener('fullscreenchange', function () {
      var on = document.fullscreenElement === root;
      if (on !== root.classList.contains('umap-viewer--fullscreen')) {
        update(on);
        if (!on && root.contains(document.activeElement) === false) { button.focus({ preventScroll: true }); }
      }
    });
    // The browser leaves real fullscreen on Escape; the pseudo one (and a browser that lets the
    // key through) is left here. An open popup takes Escape first (it stops the event).
    document.addEventListener('keydown', function (event) {
      if ((event.key === 'Escape' || event.key === 'Esc') && self.isFullscreen()) {
        if (document.fullscreenElement === root) { document.exitFullscreen(); } else { setPseudo(false); }
      }
    });
    return button;
  };

  // Locate me: asks the browser for the position only when the citizen clicks; the position
  // stays in the page (never sent anywhere).
  Viewer.prototype.locateButton = function () {
    var self = this;
    var L = this.L;
    var strings = this.strings;
    var button = controlButton('locate', strings.locate);
    button.addEventListener('click', function () {
      self.say(strings.locating);
      button.setAttribute('aria-busy', 'true');
      navigator.geolocation.getCurrentPosition(function (position) {
        button.removeAttribute('aria-busy');
        var latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        var accuracy = Math.max(0, Math.round(position.coords.accuracy || 0));
        if (self.positionLayer) { self.map.removeLayer(self.positionLayer); }
        var marker = L.marker(latlng, {
          icon: L.divIcon({ className: 'umap-position', iconSize: [22, 22], iconAnchor: [11, 11], html: '' }),
          interactive: false,
          keyboard: false
        });
        marker.on('add', function () {
          var element = marker.getElement();
          element.setAttribute('role', 'img');
          element.setAttribute('aria-label', strings.yourPosition);
          element.setAttribute('data-umap-position', '');
        });
        var circle = L.circle(latlng, { radius: accuracy, interactive: false, className: 'umap-position-accuracy',
          color: '#1e1e1e', weight: 2, dashArray: '6 4', fillColor: '#1e1e1e', fillOpacity: 0.08 });
        self.positionLayer = L.layerGroup([circle, marker]).addTo(self.map);
        var zoom = Math.min(self.map.getMaxZoom(), 16);
        if (accuracy > 0 && accuracy < 5000) {
          self.map.fitBounds(circle.getBounds(), { maxZoom: zoom, animate: !self.reducedMotion });
        } else {
          self.map.setView(latlng, Math.max(self.map.getZoom(), 12), { animate: !self.reducedMotion });
        }
        self.say(interpolate(strings.located, { meters: accuracy }));
      }, function (error) {
        button.removeAttribute('aria-busy');
        self.say(error && error.code === 1 ? strings.locateDenied : strings.locateUnavailable);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
    return button;
  };

  // Address search: a form above the map; the geocoder is called only when the citizen submits.
  Viewer.prototype.searchForm = function () {
    var self = this;
    var L = this.L;
    var strings = this.strings;
    var geocoder = this.config.geocoder;
    var id = this.config.domId + '-search';

    var form = document.createElement('form');
    form.className = 'umap-search';
    form.setAttribute('role', 'search');
    form.setAttribute('data-umap-search', '');
    form.setAttribute('aria-labelledby', id + '-label');
    form.noValidate = true;
    var label = document.createElement('label');
    label.id = id + '-label';
    label.htmlFor = id + '-input';
    label.className = 'umap-search__label';
    label.textContent = strings.searchLabel;
    var row = document.createElement('div');
    row.className = 'umap-search__row';
    var input = document.createElement('input');
    input.type = 'search';
    input.id = id + '-input';
    input.name = 'q';
    input.className = 'umap-search__input';
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('spellcheck', 'false');
    var submit = document.createElement('button');
    submit.type = 'submit';
    submit.className = 'umap-search__submit';
    submit.textContent = strings.search;
    row.appendChild(input);
    row.appendChild(submit);
    var source = document.createElement('p');
    source.className = 'umap-search__source';
    source.textContent = interpolate(strings.searchSource, { source: geocoder.attribution });
    var results = document.createElement('ul');
    results.className = 'umap-search__results';
    results.id = id + '-results';
    results.setAttribute('aria-label', strings.searchResults);
    results.setAttribute('data-umap-search-results', '');
    results.hidden = true;
    [label, row, source, results].forEach(function (child) { form.appendChild(child); });
    this.mapEl.parentNode.insertBefore(form, this.mapEl);

    var pending = null;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var query = input.value.trim();
      if (!query) { input.focus(); return; }
      if (pending) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      var params = new URLSearchParams({ q: query, limit: '5' });
      if (geocoder.format === 'nominatim') {
        params.set('format', 'jsonv2');
        params.set('accept-language', self.config.language);
      }
      self.say(strings.searching);
      fetch(geocoder.url + (geocoder.url.indexOf('?') < 0 ? '?' : '&') + params.toString(), {
        credentials: 'omit',
        referrerPolicy: 'strict-origin-when-cross-origin',
        signal: pending ? pending.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      }).then(function (data) {
        self.showResults(results, parseGeocoder(data));
      }).catch(function (error) {
        if (error && error.name === 'AbortError') { return; }
        results.hidden = true;
        results.textContent = '';
        self.say(strings.searchError);
      });
    });

    results.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-umap-search-result]');
      if (!button) { return; }
      results.querySelectorAll('button[aria-current]').forEach(function (b) { b.removeAttribute('aria-current'); });
      button.setAttribute('aria-current', 'true');
      var lat = parseFloat(button.getAttribute('data-lat'));
      var lng = parseFloat(button.getAttribute('data-lng'));
      var name = button.textContent;
      if (self.searchMarker) { self.map.removeLayer(self.searchMarker); }
      var marker = self.searchMarker = L.marker([lat, lng], {
        icon: L.divIcon({ className: 'umap-search-marker', iconSize: [24, 24], iconAnchor: [12, 12], html: '' }),
        interactive: false,
        keyboard: false
      });
      marker.on('add', function () {
        var element = marker.getElement();
        element.setAttribute('role', 'img');
        element.setAttribute('aria-label', name);
        element.setAttribute('data-umap-search-marker', '');
      });
      marker.addTo(self.map);
      self.map.setView([lat, lng], Math.min(16, self.map.getMaxZoom()), { animate: !self.reducedMotion });
      self.say(interpolate(strings.searchMoved, { label: name }));
    });
  };

  // BAN / Géoplateforme: a GeoJSON FeatureCollection with properties.label;
  // Nominatim (jsonv2): a list of {display_name, lat, lon}.
  function parseGeocoder(data) {
    var found = [];
    if (Array.isArray(data)) {
      data.forEach(function (place) {
        found.push({ label: asText(place && place.display_name), lat: parseFloat(place && place.lat), lng: parseFloat(place && place.lon) });
      });
    } else if (data && Array.isArray(data.features)) {
      data.features.forEach(function (feature) {
        var coordinates = feature && feature.geometry && feature.geometry.coordinates;
        if (!Array.isArray(coordinates)) { return; }
        var properties = feature.properties || {};
        found.push({ label: asText(properties.label || properties.name), lat: Number(coordinates[1]), lng: Number(coordinates[0]) });
      });
    }
    return found.filter(function (place) {
      return place.label && isFinite(place.lat) && isFinite(place.lng) && Math.abs(place.lat) <= 90 && Math.abs(place.lng) <= 180;
    }).slice(0, 5);
  }

  Viewer.prototype.showResults = function (results, places) {
    results.textContent = '';
    places.forEach(function (place, i) {
      var item = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'umap-search__result';
      button.setAttribute('data-umap-search-result', String(i));
      button.setAttribute('data-lat', String(place.lat));
      button.setAttribute('data-lng', String(place.lng));
      button.textContent = place.label;
      item.appendChild(button);
      results.appendChild(item);
    });
    results.hidden = places.length === 0;
    this.say(places.length
      ? plural(this.strings.searchCount, places.length, this.config.language)
      : this.strings.searchEmpty);
  };

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

  Viewer.prototype.readPermalink = function () {
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

  Viewer.prototype.restoreFeature = function (key) {
    var parts = this.splitKey(key);
    var entry = this.layers[parts.layerId];
    var geo = entry && entry.features[parts.index];
    if (!geo || !this.map.hasLayer(entry.group)) { return; }
    var marker = null;
    eachLeaf(geo, function (part) { if (part.getElement && part.getIcon && !marker) { marker = part; } });
    this.openPopup(key, this.featureTarget(geo), marker ? marker.getElement() : null, true);
  };

  Viewer.prototype.permalinkValue = function () {
    var map = this.map;
    var self = this;
    var center = map.getCenter();
    var value = Math.round(map.getZoom() * 100) / 100 + '/' + center.lat.toFixed(5) + '/' + center.lng.toFixed(5);
    if (this.popupKey && map.hasLayer(this.popup)) { value += ';f=' + encodePart(this.popupKey); }
    var shown = Object.keys(this.layers).filter(function (id) { return map.hasLayer(self.layers[id].group); });
    return value + ';l=' + shown.map(encodePart).join(',');
  };

  Viewer.prototype.writePermalink = function () {
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
  Viewer.prototype.watchPermalink = function () {
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

  // --- mounting ----------------------------------------------------------------------------

  function mountAll(root) {
    var L = window.L;
    (root || document).querySelectorAll('[data-umap-viewer]').forEach(function (element) {
      if (element.getAttribute('data-umap-mounted')) { return; }
      element.setAttribute('data-umap-mounted', 'true');
      try {
        if (!L) { throw new Error('Leaflet is not loaded'); }
        if (!NamedDivIcon) { defineClasses(L); }
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
