/*
 * wagtail-umap public viewer: small helpers (strings, plurals, text and DOM).
 * Translated strings are interpolated, plurals picked, data written as text (never innerHTML).
 * Loaded before ../viewer.js (the entry file, which explains the split); shares
 * window.wagtailUmap._parts with the other viewer scripts until viewer.js takes it.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};

  var SVG_NS = 'http://www.w3.org/2000/svg';

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
    return interpolate(forms[category] || forms.other, { count: valueText(count, language) });
  }

  // Numbers in the page's language (RGAA 8.7): "12 345,6" in French, "12,345.6" in English,
  // with the digits of the number's shortest form, grouped from five digits on ("2024" stays a
  // year), as the server writes them (viewer/viz.py, value_text).
  var GROUPING_FROM = 10000;
  var formats = {};

  function formatNumber(value, language, decimals) {
    var key = (language || '') + ':' + decimals + ':' + (Math.abs(value) >= GROUPING_FROM);
    if (!formats[key]) {
      try {
        formats[key] = new Intl.NumberFormat(language || undefined, {
          minimumFractionDigits: decimals,
          maximumFractionDigits: decimals,
          useGrouping: Math.abs(value) >= GROUPING_FROM
        });
      } catch (e) {
        formats[key] = { format: String };
      }
    }
    // Django writes a no-break space between groups; Intl a narrow one: one space for both.
    return formats[key].format(value).replace(/\u202f/g, '\u00a0');
  }

  function valueText(value, language) {
    if (typeof value !== 'number' || !isFinite(value)) { return asText(value); }
    var text = String(value);
    if (/e/i.test(text)) { return text; }
    var dot = text.indexOf('.');
    return formatNumber(value, language, dot < 0 ? 0 : Math.min(text.length - dot - 1, 20));
  }

  // The language of a layer's data on the element that shows it ("" : the page's holds).
  function setLang(element, language) {
    if (element && language) { element.setAttribute('lang', language); }
    return element;
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

  function svgChild(parent, name, attributes) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, String(attributes[key])); });
    parent.appendChild(node);
    return node;
  }

  function eachLeaf(layer, callback) {
    if (layer.eachLayer) {
      layer.eachLayer(function (child) { eachLeaf(child, callback); });
    } else {
      callback(layer);
    }
  }

  // Focus an element and bring it into view when it is not (a list button far below the map):
  // never a focus the citizen cannot see.
  function focusInView(element, reducedMotion) {
    element.focus({ preventScroll: true });
    var box = element.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    var width = window.innerWidth || document.documentElement.clientWidth;
    if (box.bottom <= 0 || box.top >= height || box.right <= 0 || box.left >= width) {
      element.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: reducedMotion ? 'auto' : 'smooth' });
    }
  }

  parts.dom = {
    SVG_NS: SVG_NS,
    interpolate: interpolate,
    plural: plural,
    escapeHtml: escapeHtml,
    asText: asText,
    valueText: valueText,
    setLang: setLang,
    appendMultiline: appendMultiline,
    svgChild: svgChild,
    eachLeaf: eachLeaf,
    focusInView: focusInView
  };
}());
