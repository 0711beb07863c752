/*
 * wagtail-umap public viewer: popups.
 * Popup content, opening and closing, focus moved in and back, Escape; "Voir sur la carte".
 * Methods of the Viewer (viewer.js copies them onto Viewer.prototype).
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var asText = parts.dom.asText;
  var appendMultiline = parts.dom.appendMultiline;
  var eachLeaf = parts.dom.eachLeaf;
  var methods = parts.popups = {};

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

  methods.popupContent = function (key) {
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

  methods.openPopup = function (key, latlng, opener, quiet) {
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

  methods.onPopupOpen = function (event) {
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

  methods.onPopupClose = function (event) {
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
  methods.showFeature = function (key, opener) {
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
  methods.featureTarget = function (geo) {
    var L = this.L;
    if (geo.umapFeature.geometry.type === 'Point') {
      return L.GeoJSON.coordsToLatLng(geo.umapFeature.geometry.coordinates);
    }
    var children = geo.getLayers();
    var single = children.length === 1 && children[0] instanceof L.Polyline ? children[0] : null;
    return single ? single.getCenter() : geo.getBounds().getCenter();
  };
}());
