/*
 * wagtail-umap public viewer: filters for citizens (docs/data-visualisation.md).
 * Category checkboxes, numeric or date ranges and a text search, as the editor chose per layer
 * (config.layers[].filters, their choices computed on the server). The map and the feature list
 * filter together; the count is said in the role="status" region; plain form controls, so the
 * keyboard works as everywhere; the state lives in the URL's query string (shareable):
 *   ?<dom_id>.<layer id>.<filter id>=<value>   category: values joined by "|"; range and dates:
 *   "<min>~<max>" (either may be empty); search: the text. A filter left as is is not written.
 * The map's own filters (config.filters, "m0"…) apply to every layer whose features have the
 * property, their choices counted here over those layers; their parameter is
 * ?<dom_id>.map.<filter id>. Radio buttons ("radio": one value or all) and "yes_no" (all, yes,
 * no) are native radios in a fieldset, so arrows move between them.
 * Methods of the Viewer (viewer.js copies them onto Viewer.prototype).
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var asText = parts.dom.asText;
  var interpolate = parts.dom.interpolate;
  var plural = parts.dom.plural;
  var methods = parts.filters = {};

  var MAX_OPTIONS = 50; // viewer/viz.py's MAX_FILTER_OPTIONS

  function helpers() { return parts.vizHelpers; }

  function element(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Lower case without accents: "Eglise" finds "Église".
  function folded(text) {
    return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  // --- building the form ---------------------------------------------------------------------

  methods.filtersMount = function () {
    var self = this;
    var layers = this.config.layers.filter(function (layerConfig) {
      var entry = self.layers[layerConfig.id];
      return layerConfig.filters && layerConfig.filters.length && entry && entry.viz;
    });
    var mapFilters = this.mapFiltersCounted();
    if (!layers.length && !mapFilters.length) { return; }
    var strings = this.strings.viz;
    var domId = this.root.id;
    var form = element('form', { class: 'umap-filters', 'data-umap-filters': '', 'aria-labelledby': domId + '-filters-title' });
    form.appendChild(element('h' + this.config.popupHeadingLevel, { class: 'umap-filters__title', id: domId + '-filters-title' }, strings.filters));
    this.filterControls = [];
    if (mapFilters.length) {
      var mapBox = form;
      if (this.config.layers.length > 1) {
        mapBox = element('fieldset', { class: 'umap-filters__layer umap-filters__map', 'data-umap-map-filters': '' });
        mapBox.appendChild(element('legend', {}, strings.filtersMap));
        form.appendChild(mapBox);
      }
      mapFilters.forEach(function (filter) {
        mapBox.appendChild(self.filterControl({ id: 'map', mapWide: true }, filter));
      });
    }
    layers.forEach(function (layerConfig) {
      var box = form;
      if (self.config.layers.length > 1) {
        box = element('fieldset', { class: 'umap-filters__layer' });
        box.appendChild(element('legend', {}, layerConfig.name));
        form.appendChild(box);
      }
      layerConfig.filters.forEach(function (filter) {
        box.appendChild(self.filterControl(layerConfig, filter));
      });
    });
    var reset = element('button', { type: 'button', class: 'umap-filters__reset', 'data-umap-filters-reset': '' }, strings.filterReset);
    reset.addEventListener('click', function () {
      self.filterControls.forEach(function (control) { control.reset(); });
      self.filtersApply(true);
    });
    form.appendChild(reset);
    var timer = null;
    form.addEventListener('submit', function (event) { event.preventDefault(); self.filtersApply(true); });
    form.addEventListener('change', function () { self.filtersApply(true); });
    form.addEventListener('input', function (event) {
      if (event.target.type !== 'search' && event.target.type !== 'number') { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { self.filtersApply(true); }, 250);
    });
    var list = this.root.querySelector('[data-umap-list]');
    list.parentNode.insertBefore(form, list);
    this.filtersForm = form;
    this.filtersRestore();
    this.filtersApply(false);
  };

  methods.filterControl = function (layerConfig, filter) {
    var strings = this.strings.viz;
    var id = this.root.id + '-' + layerConfig.id + '-' + filter.id;
    var param = this.root.id + '.' + layerConfig.id + '.' + filter.id;
    var control = { layerId: layerConfig.id, filter: filter, param: param };
    var wrapper;
    if (filter.type === 'category') {
      wrapper = element('fieldset', { class: 'umap-filters__group', 'data-umap-filter': filter.id });
      wrapper.appendChild(element('legend', {}, filter.label));
      control.boxes = filter.options.map(function (option, position) {
        var label = element('label', { class: 'umap-filters__option' });
        var box = element('input', { type: 'checkbox', id: id + '-' + position, value: option.value });
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(' ' + option.value + ' (' + option.count + ')'));
        wrapper.appendChild(label);
        return box;
      });
      control.value = function () {
        var checked = control.boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
        return checked.length === control.boxes.length ? null : checked;
      };
      control.set = function (text) {
        var wanted = text.split('|');
        control.boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
      };
      control.serialise = function (value) { return value.join('|'); };
      control.reset = function () { control.boxes.forEach(function (box) { box.checked = true; }); };
    } else if (filter.type === 'radio' || filter.type === 'yes_no') {
      // One answer: "All" first (checked), then each value or yes and no, with their counts.
      wrapper = element('fieldset', { class: 'umap-filters__group umap-filters__radios', 'data-umap-filter': filter.id });
      wrapper.appendChild(element('legend', {}, filter.label));
      var answers = filter.type === 'yes_no'
        ? [['yes', strings.filterYes, filter.yes], ['no', strings.filterNo, filter.no]]
        : filter.options.map(function (option) { return [option.value, option.value, option.count]; });
      answers.unshift(['', strings.filterAll, null]);
      control.radios = answers.map(function (answer, position) {
        var label = element('label', { class: 'umap-filters__option' });
        var radio = element('input', { type: 'radio', name: id, id: id + '-' + position, value: answer[0] });
        radio.checked = answer[0] === '';
        label.appendChild(radio);
        label.appendChild(document.createTextNode(' ' + answer[1] + (answer[2] === null ? '' : ' (' + answer[2] + ')')));
        wrapper.appendChild(label);
        return radio;
      });
      control.value = function () {
        var chosen = control.radios.filter(function (radio) { return radio.checked; })[0];
        return chosen && chosen.value !== '' ? chosen.value : null;
      };
      control.set = function (text) {
        control.radios.forEach(function (radio) { radio.checked = radio.value === text; });
        if (!control.value()) { control.radios[0].checked = true; }
      };
      control.serialise = function (value) { return value; };
      control.reset = function () { control.radios[0].checked = true; };
    } else if (filter.type === 'range' || filter.type === 'date_range') {
      wrapper = element('fieldset', { class: 'umap-filters__group umap-filters__range', 'data-umap-filter': filter.id });
      wrapper.appendChild(element('legend', {}, filter.label));
      var type = filter.type === 'range' ? 'number' : 'date';
      control.inputs = [['min', strings.filterFrom], ['max', strings.filterTo]].map(function (pair) {
        var label = element('label', { for: id + '-' + pair[0] }, pair[1]);
        var input = element('input', { type: type, id: id + '-' + pair[0], name: id + '-' + pair[0] });
        if (type === 'number') { input.setAttribute('step', 'any'); }
        if (filter.min !== null && filter.min !== undefined) { input.setAttribute('min', filter.min); }
        if (filter.max !== null && filter.max !== undefined) { input.setAttribute('max', filter.max); }
        input.setAttribute('placeholder', String(pair[0] === 'min' ? filter.min : filter.max));
        wrapper.appendChild(label);
        wrapper.appendChild(input);
        return input;
      });
      control.value = function () {
        var low = control.inputs[0].value;
        var high = control.inputs[1].value;
        return low === '' && high === '' ? null : [low, high];
      };
      control.set = function (text) {
        var bits = text.split('~');
        control.inputs[0].value = bits[0] || '';
        control.inputs[1].value = bits[1] || '';
      };
      control.serialise = function (value) { return value.join('~'); };
      control.reset = function () { control.inputs.forEach(function (input) { input.value = ''; }); };
    } else {
      wrapper = element('div', { class: 'umap-filters__group umap-filters__search', 'data-umap-filter': filter.id });
      wrapper.appendChild(element('label', { for: id }, filter.label));
      var search = element('input', { type: 'search', id: id, name: id, autocomplete: 'off' });
      wrapper.appendChild(search);
      control.value = function () { return search.value.trim() === '' ? null : search.value.trim(); };
      control.set = function (text) { search.value = text; };
      control.serialise = function (value) { return value; };
      control.reset = function () { search.value = ''; };
    }
    if (layerConfig.mapWide) {
      control.mapWide = true;
      control.layerIds = filter.layerIds;
    }
    this.filterControls.push(control);
    return wrapper;
  };

  // The map's filters with their choices (category, radio), answers (yes_no) or extremes
  // (ranges), counted over the loaded layers that have the property; a filter no layer has is
  // left out.
  methods.mapFiltersCounted = function () {
    var self = this;
    var h = helpers();
    return (this.config.filters || []).map(function (filter) {
      var names = filter.type === 'search' ? filter.fields : [filter.field];
      var counted = Object.assign({}, filter, { layerIds: [] });
      var counts = {};
      var numbers = [];
      var dates = [];
      self.config.layers.forEach(function (layerConfig) {
        var entry = self.layers[layerConfig.id];
        if (!entry || !entry.viz) { return; }
        var has = false;
        Object.keys(entry.features).forEach(function (index) {
          var properties = entry.features[index].umapFeature.properties || {};
          if (!names.some(function (name) { return Object.prototype.hasOwnProperty.call(properties, name); })) { return; }
          has = true;
          var value = properties[filter.field];
          if (filter.type === 'category' || filter.type === 'radio') {
            var key = h.categoryKey(value);
            if (key !== '') { counts[key] = (counts[key] || 0) + 1; }
          } else if (filter.type === 'yes_no') {
            var answer = yesOrNo(value);
            if (answer) { counts[answer] = (counts[answer] || 0) + 1; }
          } else if (filter.type === 'range') {
            var number = h.asNumber(value);
            if (number !== null) { numbers.push(number); }
          } else if (filter.type === 'date_range') {
            var date = asText(value).slice(0, 10);
            if (/^\d{4}-\d{2}-\d{2}$/.test(date)) { dates.push(date); }
          }
        });
        if (has) { counted.layerIds.push(layerConfig.id); }
      });
      if (filter.type === 'category' || filter.type === 'radio') {
        counted.options = Object.keys(counts).sort(function (a, b) {
          return counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0);
        }).slice(0, MAX_OPTIONS).map(function (value) { return { value: value, count: counts[value] }; });
      } else if (filter.type === 'yes_no') {
        counted.yes = counts.yes || 0;
        counted.no = counts.no || 0;
      } else if (filter.type === 'range') {
        // Not Math.min.apply: a national layer's numbers would overflow the call's arguments.
        counted.min = numbers.length ? numbers.reduce(function (a, b) { return a < b ? a : b; }) : null;
        counted.max = numbers.length ? numbers.reduce(function (a, b) { return a > b ? a : b; }) : null;
      } else if (filter.type === 'date_range') {
        dates.sort();
        counted.min = dates.length ? dates[0] : null;
        counted.max = dates.length ? dates[dates.length - 1] : null;
      }
      return counted;
    }).filter(function (filter) { return filter.layerIds.length > 0; });
  };

  // --- applying ------------------------------------------------------------------------------

  // viewer/viz.py's yes_or_no: "yes", "no" or "" of a property.
  var YES = ['oui', 'o', 'vrai', 'true', 'yes', 'y', '1', 'x'];
  var NO = ['non', 'n', 'faux', 'false', 'no', '0'];
  function yesOrNo(value) {
    if (typeof value === 'boolean') { return value ? 'yes' : 'no'; }
    if (typeof value === 'number') { return value === 1 ? 'yes' : value === 0 ? 'no' : ''; }
    var word = typeof value === 'string' ? value.trim().toLowerCase() : '';
    return YES.indexOf(word) >= 0 ? 'yes' : NO.indexOf(word) >= 0 ? 'no' : '';
  }

  function passes(control, value, properties) {
    var h = helpers();
    var filter = control.filter;
    if (filter.type === 'category') {
      return value.indexOf(h.categoryKey(properties[filter.field])) >= 0;
    }
    if (filter.type === 'radio') {
      return h.categoryKey(properties[filter.field]) === value;
    }
    if (filter.type === 'yes_no') {
      return yesOrNo(properties[filter.field]) === value;
    }
    if (filter.type === 'range') {
      var number = h.asNumber(properties[filter.field]);
      var low = value[0] === '' ? null : parseFloat(value[0]);
      var high = value[1] === '' ? null : parseFloat(value[1]);
      if (number === null) { return false; }
      return !(low !== null && isFinite(low) && number < low) && !(high !== null && isFinite(high) && number > high);
    }
    if (filter.type === 'date_range') {
      var date = asText(properties[filter.field]).slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { return false; }
      return !(value[0] && date < value[0]) && !(value[1] && date > value[1]);
    }
    var needle = folded(value);
    return filter.fields.some(function (name) { return folded(asText(properties[name])).indexOf(needle) >= 0; });
  }

  methods.filtersApply = function (writeUrl) {
    var self = this;
    var active = {};
    var filteredLayers = {};
    this.filterControls.forEach(function (control) {
      var value = control.value();
      // A map filter is a filter of each layer that has its property.
      var layerIds = control.mapWide ? control.layerIds : [control.layerId];
      layerIds.forEach(function (layerId) {
        filteredLayers[layerId] = true;
        if (value !== null) { (active[layerId] = active[layerId] || []).push([control, value]); }
      });
    });
    var shown = 0;
    var total = 0;
    Object.keys(filteredLayers).forEach(function (layerId) {
      var entry = self.layers[layerId];
      var viz = entry.viz;
      viz.all = viz.all || viz.shown.slice();
      var checks = active[layerId] || [];
      viz.shown = viz.all.filter(function (index) {
        var properties = entry.features[index].umapFeature.properties;
        return checks.every(function (pair) { return passes(pair[0], pair[1], properties); });
      });
      self.vizApply(entry);
      self.filtersList(layerId, viz.shown);
      if (self.map.hasLayer(entry.group)) {
        shown += viz.shown.length;
        total += viz.all.length;
      }
    });
    if (writeUrl) { this.filtersWrite(); }
    var message = interpolate(plural(this.strings.viz.filtered, shown, this.config.language), { total: parts.dom.valueText(total, this.config.language) });
    this.say([message].concat(this.errors || []));
    this.emit('umap:filtered', { shown: shown, total: total });
  };

  // The feature list follows the map: the items the filters leave out are hidden.
  methods.filtersList = function (layerId, indices) {
    var keep = {};
    indices.forEach(function (index) { keep[index] = true; });
    var section = this.root.querySelector('[data-umap-layer="' + CSS.escape(layerId) + '"]');
    if (!section) { return; }
    section.querySelectorAll('[data-umap-feature-item]').forEach(function (item) {
      var key = item.getAttribute('data-umap-feature-item');
      item.hidden = !keep[key.slice(key.lastIndexOf(':') + 1)];
    });
  };

  // --- the URL -------------------------------------------------------------------------------

  methods.filtersRestore = function () {
    var params = new URLSearchParams(window.location.search);
    this.filterControls.forEach(function (control) {
      if (params.has(control.param)) { control.set(params.get(control.param)); }
    });
  };

  methods.filtersWrite = function () {
    var url = new URL(window.location.href);
    this.filterControls.forEach(function (control) {
      var value = control.value();
      if (value === null) {
        url.searchParams.delete(control.param);
      } else {
        url.searchParams.set(control.param, control.serialise(value));
      }
    });
    if (url.href !== window.location.href) { window.history.replaceState(window.history.state, '', url.href); }
  };
}());
