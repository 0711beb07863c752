/*
 * wagtail-umap public viewer: address search.
 * A form above the map; one request to the site's geocoder per submit.
 * Methods of the Viewer (viewer.js copies them onto Viewer.prototype).
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var interpolate = parts.dom.interpolate;
  var plural = parts.dom.plural;
  var methods = parts.search = {};

  // Address search: a form above the map; the geocoder is called only when the citizen submits.
  methods.searchForm = function () {
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
      self.say(strings.searching);
      // The request and its reading are shared with the editor (js/geocoder.js).
      window.wagtailUmapGeocoder.search(geocoder, query, {
        language: self.config.language,
        signal: pending ? pending.signal : undefined
      }).then(function (places) {
        self.showResults(results, places);
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

  methods.showResults = function (results, places) {
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
}());
