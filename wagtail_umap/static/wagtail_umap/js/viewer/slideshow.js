/*
 * wagtail-umap public viewer: the slideshow ("diaporama", docs/data-visualisation.md).
 * The map told as steps, one feature each (one layer or all, in layer order or by a sort field),
 * the step's text in a panel under the map. Previous / play-pause / next are buttons (the
 * arrow keys also work inside the panel); each step is said in the role="status" region; the
 * URL's query keeps the step (?<dom_id>.step=3). Autoplay is off unless the editor turned it
 * on, and never under prefers-reduced-motion, where the map also jumps instead of flying.
 * Methods of the Viewer (viewer.js copies them onto Viewer.prototype).
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var interpolate = parts.dom.interpolate;
  var methods = parts.slideshow = {};

  function button(text, name) {
    var node = document.createElement('button');
    node.type = 'button';
    node.className = 'umap-slideshow__button umap-slideshow__button--' + name;
    node.setAttribute('data-umap-slideshow', name);
    node.textContent = text;
    return node;
  }

  methods.slideshowSteps = function () {
    var self = this;
    var config = this.config.slideshow;
    var ids = config.layer ? [config.layer] : this.config.layers.map(function (layer) { return layer.id; });
    var steps = [];
    ids.forEach(function (id) {
      var entry = self.layers[id];
      if (!entry) { return; }
      Object.keys(entry.features).map(Number).sort(function (a, b) { return a - b; }).forEach(function (index) {
        steps.push(entry.features[index]);
      });
    });
    var field = config.sortField;
    if (field) {
      var asNumber = parts.vizHelpers.asNumber;
      var collator = new Intl.Collator(this.config.language, { numeric: true });
      steps = steps.map(function (geo, order) { return { geo: geo, order: order, value: geo.umapFeature.properties[field] }; });
      steps.sort(function (a, b) {
        var missingA = a.value === undefined || a.value === null || a.value === '';
        var missingB = b.value === undefined || b.value === null || b.value === '';
        if (missingA || missingB) { return missingA === missingB ? a.order - b.order : (missingA ? 1 : -1); }
        var x = asNumber(a.value);
        var y = asNumber(b.value);
        var diff = x !== null && y !== null ? x - y : collator.compare(String(a.value), String(b.value));
        return diff || a.order - b.order;
      });
      steps = steps.map(function (step) { return step.geo; });
    }
    return steps;
  };

  methods.slideshowMount = function () {
    var self = this;
    var steps = this.slideSteps = this.slideshowSteps();
    if (!steps.length) { return; }
    var strings = this.strings.viz;
    var titleId = this.root.id + '-slideshow-title';
    var panel = this.slidePanel = document.createElement('section');
    panel.className = 'umap-slideshow';
    panel.setAttribute('data-umap-slideshow-panel', '');
    panel.setAttribute('aria-labelledby', titleId);
    var title = document.createElement('h' + this.config.popupHeadingLevel);
    title.className = 'umap-slideshow__title';
    title.id = titleId;
    title.textContent = strings.slideshow;
    var counter = this.slideCounter = document.createElement('p');
    counter.className = 'umap-slideshow__counter';
    counter.setAttribute('data-umap-slideshow-counter', '');
    var content = this.slideContent = document.createElement('div');
    content.className = 'umap-slideshow__content';
    var bar = document.createElement('div');
    bar.className = 'umap-slideshow__buttons';
    var previous = button(strings.previous, 'previous');
    var play = this.slidePlayButton = button(strings.play, 'play');
    var next = button(strings.next, 'next');
    bar.appendChild(previous);
    bar.appendChild(play);
    bar.appendChild(next);
    [title, counter, bar, content].forEach(function (node) { panel.appendChild(node); });
    previous.addEventListener('click', function () { self.slidePause(); self.slideGo(self.slideIndex - 1, true); });
    next.addEventListener('click', function () { self.slidePause(); self.slideGo(self.slideIndex + 1, true); });
    play.addEventListener('click', function () { if (self.slideTimer) { self.slidePause(); } else { self.slidePlay(); } });
    panel.addEventListener('keydown', function (event) {
      if (event.target.closest('input, textarea, select')) { return; }
      if (event.key === 'ArrowLeft') { event.preventDefault(); self.slidePause(); self.slideGo(self.slideIndex - 1, true); }
      if (event.key === 'ArrowRight') { event.preventDefault(); self.slidePause(); self.slideGo(self.slideIndex + 1, true); }
    });
    var status = this.statusEl;
    status.parentNode.insertBefore(panel, status.nextSibling);

    var param = this.root.id + '.step';
    var asked = parseInt(new URLSearchParams(window.location.search).get(param), 10);
    // A step in the URL is shown on the map; otherwise the map keeps its initial view.
    this.slideGo(isFinite(asked) ? asked - 1 : 0, isFinite(asked));
    var config = this.config.slideshow;
    if (config.autoplay && !this.reducedMotion) { this.slidePlay(); }
  };

  methods.slideGo = function (index, move) {
    var steps = this.slideSteps;
    var count = steps.length;
    index = ((index % count) + count) % count; // past the last step comes the first
    this.slideIndex = index;
    var geo = steps[index];
    var key = geo.umapFeature.key;
    var text = interpolate(this.strings.viz.step, { number: index + 1, count: count, name: geo.umapFeature.name });
    this.slideCounter.textContent = text;
    this.slideContent.textContent = '';
    this.slideContent.appendChild(this.popupContent(key));
    this.slidePanel.setAttribute('data-umap-step', String(index + 1));
    if (move) {
      this.slideMove(geo);
      this.say(text);
      var url = new URL(window.location.href);
      url.searchParams.set(this.root.id + '.step', String(index + 1));
      window.history.replaceState(window.history.state, '', url.href);
    }
    this.emit('umap:slide', { step: index + 1, feature: key });
  };

  // Bring the step's feature into view: a flight, or a jump under reduced motion.
  methods.slideMove = function (geo) {
    var map = this.map;
    var animate = !this.reducedMotion;
    var entry = this.layers[this.splitKey(geo.umapFeature.key).layerId];
    if (entry && !map.hasLayer(entry.group)) { map.addLayer(entry.group); }
    if (geo.umapFeature.geometry.type === 'Point') {
      var zoom = Math.max(map.getZoom(), Math.min(15, map.getMaxZoom()));
      if (animate) { map.flyTo(this.featureTarget(geo), zoom, { duration: 1 }); } else { map.setView(this.featureTarget(geo), zoom, { animate: false }); }
    } else if (animate) {
      map.flyToBounds(geo.getBounds(), { padding: [32, 32], maxZoom: 16, duration: 1 });
    } else {
      map.fitBounds(geo.getBounds(), { padding: [32, 32], maxZoom: 16, animate: false });
    }
  };

  methods.slidePlay = function () {
    var self = this;
    var delay = Math.max(1, Number(this.config.slideshow.delay) || 5) * 1000;
    this.slidePause();
    this.slideTimer = window.setInterval(function () { self.slideGo(self.slideIndex + 1, true); }, delay);
    this.slidePlayButton.textContent = this.strings.viz.pause;
  };

  methods.slidePause = function () {
    if (!this.slideTimer) { return; }
    window.clearInterval(this.slideTimer);
    this.slideTimer = null;
    this.slidePlayButton.textContent = this.strings.viz.play;
  };
}());
