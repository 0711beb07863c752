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
  var valueText = parts.dom.valueText;
  var setLang = parts.dom.setLang;
  var appendMultiline = parts.dom.appendMultiline;
  var eachLeaf = parts.dom.eachLeaf;
  var interpolate = parts.dom.interpolate;
  var focusInView = parts.dom.focusInView;
  var methods = parts.popups = {};
  var shared = parts; // popupContent's own `parts` is a feature key's parts

  // --- popups ------------------------------------------------------------------------------

  // The value of a placeholder's alternatives: "{a|b|\"texte\"}" is a's value, else b's, else
  // the quoted text. A last unquoted alternative that names no property is text too
  // ("{horaires|inconnus}"), as templates written before quoted fallbacks expect.
  // `language`: numbers written in it (a popup's text); without it, as text (names, addresses).
  function placeholderValue(alternatives, properties, language) {
    var options = alternatives.split('|');
    for (var i = 0; i < options.length; i++) {
      var option = options[i].trim();
      var quoted = /^"(.*)"$/.exec(option);
      if (quoted) { return quoted[1]; }
      var value = language ? valueText(properties[option], language) : asText(properties[option]);
      if (value !== '') { return value; }
      if (i === options.length - 1 && i > 0 && !Object.prototype.hasOwnProperty.call(properties, option)) {
        return options[i];
      }
    }
    return '';
  }
  // Shared with rules.js (feature names from a labelKey template).
  parts.placeholders = {value: placeholderValue};

  function fillTemplate(parent, template, properties, language) {
    // Placeholders are filled as text (never markup); newlines become <br>.
    var re = /\{([^{}]+)\}/g;
    var last = 0;
    var match;
    while ((match = re.exec(template)) !== null) {
      appendMultiline(parent, template.slice(last, match.index));
      appendMultiline(parent, placeholderValue(match[1], properties, language));
      last = re.lastIndex;
    }
    appendMultiline(parent, template.slice(last));
  }

  // --- safe HTML descriptions ----------------------------------------------------------------

  // The server cleaned descriptions (core/sanitize.py); the same allowlist is applied again
  // here, element by element, so that nothing else can ever reach the page.
  var ALLOWED = { P: 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, A: 1, UL: 1, OL: 1, LI: 1 };
  var HTML_HINT = /<[A-Za-z\/!]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);/;

  function copyAllowed(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === 1 && ALLOWED[node.tagName]) {
        var copy = document.createElement(node.tagName.toLowerCase());
        if (node.tagName === 'A') {
          var href = node.getAttribute('href') || '';
          if (/^(https?:|mailto:)/i.test(href.trim())) { copy.setAttribute('href', href.trim()); }
          copy.setAttribute('rel', 'noopener noreferrer nofollow');
        }
        copyAllowed(node, copy);
        target.appendChild(copy);
      } else if (node.nodeType === 1 && !/^(SCRIPT|STYLE|TEMPLATE|IFRAME|OBJECT|NOSCRIPT)$/.test(node.tagName)) {
        copyAllowed(node, target); // an unknown element: keep its text
      }
    });
  }

  function appendDescription(parent, text) {
    if (!HTML_HINT.test(text)) { appendMultiline(parent, text); return; }
    // An inert document: nothing in it runs or loads.
    var parsed = new DOMParser().parseFromString(text, 'text/html');
    copyAllowed(parsed.body, parent);
  }

  // --- layouts and media ---------------------------------------------------------------------

  // "table": every field of the feature as a row (private "_" keys left out).
  methods.popupTable = function (properties) {
    var language = this.config.language;
    var strings = this.strings.viz;
    var table = document.createElement('table');
    table.className = 'umap-popup__table';
    var caption = document.createElement('caption');
    caption.className = 'umap-visually-hidden';
    caption.textContent = strings.allFields;
    table.appendChild(caption);
    var body = document.createElement('tbody');
    Object.keys(properties).forEach(function (name) {
      if (name.charAt(0) === '_' || name === 'name') { return; }
      var row = document.createElement('tr');
      var head = document.createElement('th');
      head.scope = 'row';
      head.textContent = name;
      var cell = document.createElement('td');
      if (name === 'description') { appendDescription(cell, asText(properties[name])); } else { cell.textContent = valueText(properties[name], language); }
      row.appendChild(head);
      row.appendChild(cell);
      body.appendChild(row);
    });
    table.appendChild(body);
    return body.childNodes.length ? table : null;
  };

  // Image, audio and video of a feature, as resolved by the server (viewer/media.py, resolve_media).
  methods.popupMedia = function (key) {
    var key_ = this.splitKey(key);
    var media = ((this.config.media || {})[key_.layerId] || {})[key_.index];
    if (!media) { return null; }
    var strings = this.strings.viz;
    var box = document.createElement('div');
    box.className = 'umap-popup__media';
    if (media.image) {
      var image = document.createElement('img');
      image.src = media.image.url;
      image.alt = media.image.alt;
      image.width = media.image.width;
      image.height = media.image.height;
      image.loading = 'lazy';
      image.className = 'umap-popup__image';
      box.appendChild(image);
    }
    if (media.audio) {
      var figure = document.createElement('figure');
      figure.className = 'umap-popup__audio';
      var caption = document.createElement('figcaption');
      caption.textContent = media.audio.title;
      var audio = document.createElement('audio');
      audio.controls = true;
      audio.preload = 'none';
      audio.src = media.audio.url;
      audio.setAttribute('aria-label', media.audio.title);
      figure.appendChild(caption);
      figure.appendChild(audio);
      box.appendChild(figure);
    }
    if (media.video) { box.appendChild(this.videoFacade(media.video)); }
    // The transcript of the audio or video, next to its player (RGAA 4.1): HTML cleaned on the
    // server, copied through the same allowlist as descriptions.
    if (media.transcript && (media.audio || media.video)) {
      var transcript = document.createElement('details');
      transcript.className = 'umap-popup__transcript';
      var summary = document.createElement('summary');
      summary.textContent = strings.transcript;
      var text = document.createElement('div');
      text.className = 'umap-popup__transcript-text';
      appendDescription(text, media.transcript);
      transcript.appendChild(summary);
      transcript.appendChild(text);
      box.appendChild(transcript);
    }
    return box;
  };

  // The video stays on its host until the citizen presses the button: only then does the
  // script ask the server for the player (viewer/media.py) and insert its iframe.
  methods.videoFacade = function (video) {
    var self = this;
    var strings = this.strings.viz;
    var facade = document.createElement('div');
    facade.className = 'umap-video-facade';
    facade.setAttribute('data-umap-video', '');
    var play = document.createElement('button');
    play.type = 'button';
    play.className = 'umap-video-facade__play';
    play.textContent = strings.playVideo;
    var notice = document.createElement('p');
    notice.className = 'umap-video-facade__notice';
    notice.textContent = interpolate(strings.videoNotice, { host: video.host });
    facade.appendChild(play);
    facade.appendChild(notice);
    play.addEventListener('click', function () {
      play.disabled = true;
      var url = self.config.assets.videoPlayer + '?token=' + encodeURIComponent(video.token);
      fetch(url, { credentials: 'same-origin' }).then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      }).then(function (player) {
        var frame = document.createElement('iframe');
        frame.src = player.src;
        frame.title = player.title || strings.video;
        frame.className = 'umap-video-facade__frame';
        frame.setAttribute('allow', 'fullscreen; picture-in-picture; encrypted-media');
        frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
        frame.width = player.width;
        frame.height = player.height;
        facade.textContent = '';
        facade.appendChild(frame);
        frame.focus();
      }).catch(function () {
        play.disabled = false;
        notice.textContent = strings.videoError;
      });
    });
    return facade;
  };

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
    // The data's language on its values (RGAA 8.7); "Élément sans nom n° 3" is the page's.
    if (info.named) { setLang(title, entry.config.language); }
    wrapper.appendChild(title);
    var body = document.createElement('div');
    body.className = 'umap-popup__body';
    setLang(body, entry.config.language);
    var table = entry.config.popupLayout === 'table' ? this.popupTable(info.properties) : null;
    // uMap markup rendered by the server (viewer/umap_markup.py), copied through the allowlist.
    var markupHtml = entry.config.popupHtml ? entry.config.popupHtml[parts.index] : '';
    if (table) {
      body.appendChild(table);
    } else if (markupHtml && shared.markup) {
      shared.markup.appendHtml(body, markupHtml);
    } else if (entry.config.popupTemplate) {
      fillTemplate(body, entry.config.popupTemplate, info.properties, this.config.language);
      // A large layer: the server renders this popup's uMap markup on demand; the text shows
      // until it comes (and stays if it does not).
      if (entry.config.popupUrl && shared.markup) { this.loadPopupHtml(entry, parts.index, body, wrapper); }
    } else if (asText(info.properties.description)) {
      appendDescription(body, asText(info.properties.description));
    }
    if (body.childNodes.length) { wrapper.appendChild(body); }
    var media = this.config.media ? this.popupMedia(key) : null;
    if (media) { wrapper.appendChild(media); }
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

  /* The server's rendering of a large layer's popup (viewer/feature_list.py's feature_popup:
   * core/markup.py's allowlist and the CSP's image hosts), copied through js/viewer/markup.js
   * in place of the filled template. Kept per feature: a popup reopened asks nothing. */
  methods.loadPopupHtml = function (entry, index, body, wrapper) {
    var cache = entry.popupHtmlCache || (entry.popupHtmlCache = {});
    var show = function (html) {
      if (!html) { return; }
      while (body.firstChild) { body.removeChild(body.firstChild); }
      shared.markup.appendHtml(body, html);
      if (!body.parentNode) { wrapper.insertBefore(body, wrapper.children[1] || null); }
    };
    if (index in cache) {
      if (typeof cache[index] === 'string') { show(cache[index]); } else { cache[index].then(show); }
      return;
    }
    var url = entry.config.popupUrl.replace('{index}', String(index));
    cache[index] = fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : { html: '' }; })
      .then(function (data) {
        cache[index] = typeof data.html === 'string' ? data.html : '';
        return cache[index];
      })
      .catch(function () { delete cache[index]; return ''; });
    cache[index].then(show);
  };

  methods.openPopup = function (key, latlng, opener, quiet) {
    if (this.layers[this.splitKey(key).layerId].config.popupLayout === 'panel') {
      this.openPanel(key, opener, quiet);
      return;
    }
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
    // And above the attribution, which would cover the popup's last line (its list link).
    var attribution = this.map.attributionControl && this.map.attributionControl.getContainer();
    var short = this.mapEl.clientHeight < 400;
    var bottom = (attribution ? attribution.offsetHeight : 0) + (short ? 6 : 12);
    this.popup.options.autoPanPaddingBottomRight = [16, bottom];
    // On a short map (400 % zoom) the popup's content scrolls within the room left (the popup
    // adds some 60 pixels of margins and tip), so that the panning keeps all of it clear of
    // the attribution.
    if (short && !this.popup.options.autoPanPaddingTopLeft) { this.popup.options.autoPanPaddingTopLeft = [16, 6]; }
    this.popupRoom = short ? this.mapEl.clientHeight - bottom - this.popup.options.autoPanPaddingTopLeft[1] : null;
    this.popup.options.maxHeight = null;
    this.map.openPopup(this.popup);
  };

  // "panel" layout: long content in a side panel over the map's right edge, not a popup.
  methods.openPanel = function (key, opener, quiet) {
    var self = this;
    var L = this.L;
    if (this.map.hasLayer(this.popup)) { this.map.closePopup(this.popup); }
    var panel = this.panel;
    if (!panel) {
      panel = this.panel = document.createElement('aside');
      panel.className = 'umap-viewer__panel';
      panel.setAttribute('data-umap-panel', '');
      L.DomEvent.disableClickPropagation(panel);
      L.DomEvent.disableScrollPropagation(panel);
      panel.addEventListener('keydown', function (event) {
        if (event.key === 'Escape' || event.key === 'Esc') {
          event.preventDefault();
          event.stopPropagation();
          self.closePanel();
        }
      });
      this.mapEl.appendChild(panel);
    }
    if (this.panelKey) { this.emit('umap:popupclose', { feature: this.panelKey }); }
    this.panelKey = key;
    this.panelOpener = opener || null;
    panel.textContent = '';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'umap-viewer__panel-close';
    close.setAttribute('aria-label', this.strings.closePopup);
    close.textContent = '×';
    close.addEventListener('click', function () { self.closePanel(); });
    var content = this.popupContent(key);
    var title = content.querySelector('.umap-popup__title');
    panel.setAttribute('aria-label', title ? title.textContent : '');
    panel.appendChild(close);
    panel.appendChild(content);
    panel.hidden = false;
    if (title && !quiet) { title.focus({ preventScroll: true }); }
    this.emit('umap:popupopen', { feature: key });
  };

  methods.closePanel = function () {
    if (!this.panel || this.panel.hidden) { return; }
    var focusWasInside = this.panel.contains(document.activeElement);
    this.panel.hidden = true;
    if (focusWasInside) { this.returnFocus(this.panelKey, this.panelOpener); }
    this.emit('umap:popupclose', { feature: this.panelKey });
    this.panelKey = null;
  };

  // A short map: the popup's content scrolls so that the whole popup (margins and tip
  // measured) fits the room between the paddings, and the panning keeps it clear of the
  // controls. Done before the focus moves in: Leaflet re-inserts the content on update.
  methods.fitPopup = function () {
    var element = this.popup.getElement();
    var content = element && element.querySelector('.leaflet-popup-content');
    if (!this.popupRoom || !content) { return; }
    var margin = parseInt(window.getComputedStyle(element).marginBottom, 10) || 0;
    var overhead = element.offsetHeight + margin - content.offsetHeight;
    var most = Math.max(40, Math.floor(this.popupRoom - overhead));
    if (content.offsetHeight > most) {
      this.popup.options.maxHeight = most;
      this.popup.update();
    }
  };

  methods.onPopupOpen = function (event) {
    if (event.popup !== this.popup) { return; }
    var self = this;
    this.fitPopup();
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
    if (focusWasInside) { this.returnFocus(this.popupKey, this.popupOpener); }
    this.emit('umap:popupclose', { feature: this.popupKey });
  };

  // Where the focus goes back when a popup (or the side panel) closes: the element that opened
  // it; if the map redrew it meanwhile (clusters, filters, a list page swapped), the feature's
  // current marker, else its "Voir sur la carte" button in the list, else the map. Never <body>.
  methods.returnFocus = function (key, opener) {
    var target = opener && document.contains(opener) && !opener.closest('[hidden]') ? opener : null;
    if (!target && key) {
      var selector = '[data-umap-feature="' + CSS.escape(key) + '"]';
      var marker = this.mapEl.querySelector('.umap-marker' + selector);
      var button = this.root.querySelector('button' + selector + ':not([hidden])');
      target = marker || button;
    }
    focusInView(target || this.mapEl, this.reducedMotion);
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
