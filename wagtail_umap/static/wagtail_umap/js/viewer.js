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
    L.tileLayer(config.basemap.url, tileOptions).addTo(map);

    if (config.controls.zoom) {
      L.control.zoom({ zoomInTitle: this.strings.zoomIn, zoomOutTitle: this.strings.zoomOut }).addTo(map);
    }
    if (config.controls.scale) {
      L.control.scale({ imperial: false }).addTo(map);
    }

    if (view.center) {
      map.setView(view.center, view.zoom, { animate: false });
    } else if (view.bounds) {
      map.fitBounds(view.bounds, { padding: [24, 24], maxZoom: 16, animate: false });
    } else {
      map.setView(view.defaultCenter, view.defaultZoom, { animate: false });
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
      self.emit('umap:ready', { map: map, featureCount: self.visibleCount() });
    });
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
    if (layerConfig.shownOnLoad) { entry.group.addTo(this.map); }

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

  Viewer.prototype.openPopup = function (key, latlng, opener) {
    // Reopening the same L.Popup while it is open would not fire popupopen: close it first.
    if (this.map.hasLayer(this.popup)) { this.map.closePopup(this.popup); }
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
    if (title) { title.focus({ preventScroll: true }); }
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
    var target;
    if (geo.umapFeature.geometry.type === 'Point') {
      target = L.GeoJSON.coordsToLatLng(geo.umapFeature.geometry.coordinates);
      map.setView(target, Math.max(map.getZoom(), Math.min(16, map.getMaxZoom())), { animate: animate });
    } else {
      map.fitBounds(geo.getBounds(), { padding: [32, 32], maxZoom: 17, animate: animate });
      var children = geo.getLayers();
      var single = children.length === 1 && children[0] instanceof L.Polyline ? children[0] : null;
      target = single ? single.getCenter() : geo.getBounds().getCenter();
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
