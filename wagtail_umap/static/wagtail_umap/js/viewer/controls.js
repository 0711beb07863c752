/*
 * wagtail-umap public viewer: map controls.
 * Home, fullscreen and locate buttons, and the layer switcher's toggle.
 * Methods of the Viewer (viewer.js copies them onto Viewer.prototype).
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var SVG_NS = parts.dom.SVG_NS;
  var svgChild = parts.dom.svgChild;
  var interpolate = parts.dom.interpolate;
  var methods = parts.controls = {};

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
    panNorth: ['M12 19V5', 'M6 11l6-6 6 6'],
    panSouth: ['M12 5v14', 'M6 13l6 6 6-6'],
    panWest: ['M19 12H5', 'M11 6l-6 6 6 6'],
    panEast: ['M5 12h14', 'M13 6l6 6-6 6'],
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
  methods.buttonBar = function () {
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

  // Pan buttons (WCAG 2.2, 2.5.7: moving the map needs no dragging): north, west, south and
  // east, a third of the map's size a press, laid out as the arrow keys.
  var PAN = [['panNorth', 0, -1], ['panWest', -1, 0], ['panSouth', 0, 1], ['panEast', 1, 0]];

  methods.panButtons = function () {
    if (!this.config.controls.pan) { return; }
    var L = this.L;
    var self = this;
    var pad = L.DomUtil.create('div', 'leaflet-bar leaflet-control umap-pan');
    pad.setAttribute('role', 'group');
    pad.setAttribute('aria-label', this.strings.pan);
    L.DomEvent.disableClickPropagation(pad);
    L.DomEvent.disableScrollPropagation(pad);
    PAN.forEach(function (direction) {
      var button = controlButton(direction[0], self.strings[direction[0]]);
      button.classList.add('umap-pan__button');
      button.addEventListener('click', function () {
        var size = self.map.getSize();
        self.map.panBy([direction[1] * size.x / 3, direction[2] * size.y / 3], { animate: !self.reducedMotion });
        self.say(self.strings.panned);
      });
      pad.appendChild(button);
    });
    var Pad = L.Control.extend({ onAdd: function () { return pad; } });
    new Pad({ position: 'topleft' }).addTo(this.map);
  };

  // Fullscreen: the Fullscreen API on the whole section (title, map, status, list), or a
  // fixed "pseudo-fullscreen" where the API is missing or refused (iOS, iframes).
  methods.fullscreenButton = function () {
    var self = this;
    var root = this.root;
    var strings = this.strings;
    var button = this.fullscreenToggle = controlButton('fullscreen', strings.fullscreen);
    var native = !!(document.fullscreenEnabled && root.requestFullscreen);

    // Fullscreen, the rest of the page is out of reach: Tab and screen readers stay in the
    // section (in pseudo-fullscreen the page would otherwise be right behind the map).
    var inerted = [];
    function setOutsideInert(on) {
      inerted.forEach(function (element) { element.inert = false; });
      inerted = [];
      if (!on) { return; }
      for (var node = root; node.parentElement && node !== document.body; node = node.parentElement) {
        Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
          if (sibling !== node && !sibling.inert && !/^(SCRIPT|STYLE|LINK|TEMPLATE)$/.test(sibling.tagName)) {
            sibling.inert = true;
            inerted.push(sibling);
          }
        });
      }
    }
    function update(on) {
      setOutsideInert(on);
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
        if (!on && root.contains(document.activeElement) === false) { parts.dom.focusInView(button, self.reducedMotion); }
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
  methods.locateButton = function () {
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

  // Leaflet's own collapsed switcher opens on hover and loses keyboard focus; this toggle is a
  // plain button with aria-expanded. Narrow maps (phones) start with the list folded away.
  var NARROW_MAP_PX = 600;

  methods.layersToggle = function (container) {
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
}());
