/*
 * wagtail-umap public viewer: filters for citizens (docs/data-visualisation.md).
 * Category checkboxes, numeric or date ranges and a text search, as the editor chose per layer
 * (config.layers[].filters, their choices computed on the server). The map and the feature list
 * filter together; the count is said in the role="status" region; plain form controls, so the
 * keyboard works as everywhere; the state lives in the URL's query string (shareable):
 *   ?<dom_id>.<layer id>.<filter id>=<value>   category: values joined by "|"; range and dates:
 *   "<min>~<max>" (either may be empty); search: the text. A filter left as is is not written.
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
    if (!layers.length) { return; }
    var strings = this.strings.viz;
    var domId = this.root.id;
    var form = element('form', { class: 'umap-filters', 'data-umap-filters': '', 'aria-labelledby': domId + '-filters-title' });
    form.appendChild(element('h' + this.config.popupHeadingLevel, { class: 'umap-filters__title', id: domId + '-filters-title' }, strings.filters));
    this.filterControls = [];
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
    this.filterControls.push(control);
    return wrapper;
  };

  // --- applying ------------------------------------------------------------------------------

  function passes(control, value, properties) {
    var h = helpers();
    var filter = control.filter;
    if (filter.type === 'category') {
      return value.indexOf(h.categoryKey(properties[filter.field])) >= 0;
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
    this.filterControls.forEach(function (control) {
      var value = control.value();
      if (value !== null) { (active[control.layerId] = active[control.layerId] || []).push([control, value]); }
    });
    var shown = 0;
    var total = 0;
    var filteredLayers = {};
    this.filterControls.forEach(function (control) { filteredLayers[control.layerId] = true; });
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
