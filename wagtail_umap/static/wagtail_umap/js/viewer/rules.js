/*
 * wagtail-umap public viewer: uMap's options applied to each feature.
 * featureName: the name labelKey gives (a property, or a template such as "{nom} ({commune})"),
 * as core/markup.py's feature_name. featureStyle: the style a feature is drawn with, each key
 * from the first of its own _style, its layer's matching rules, the layer's style, the map's
 * matching rules, the map's style (config.umap), the default, as core/schema's resolve_style.
 * ruleMatches ports core/schema's rule_matches (=, !=, <, >); tests/browser/test_umap_fidelity.py
 * checks both give the same answers on the same inputs.
 * Loaded before ../viewer.js; shares window.wagtailUmap._parts with the other viewer scripts.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var asText = parts.dom.asText;
  // "{a|b|\"texte\"}": a's value, else b's, else the quoted text (popups.js, as markup.py).
  var placeholderValue = parts.placeholders.value;

  var NUMBER_RE = /^\s*[-+]?(?:\d+[.,]?\d*|[.,]\d+)(?:[eE][-+]?\d+)?\s*$/;
  var PLACEHOLDER_RE = /\{([^{}]+)\}/;

  // A finite number from a number or numeric text ("6.7", "6,7"); null otherwise (classify.as_number).
  function asNumber(value) {
    if (typeof value === 'number') { return isFinite(value) ? value : null; }
    if (typeof value === 'string' && NUMBER_RE.test(value)) {
      var number = parseFloat(value.trim().replace(',', '.'));
      return isFinite(number) ? number : null;
    }
    return null;
  }

  function ruleText(value) {
    if (value === null || value === undefined) { return ''; }
    if (value === true) { return 'true'; }
    if (value === false) { return 'false'; }
    return asText(value);
  }

  function ruleMatches(rule, properties) {
    var operator = rule.operator || '=';
    var expected = rule.value === undefined || rule.value === null ? '' : String(rule.value);
    var actual = properties ? properties[rule.field || ''] : undefined;
    var left, right;
    if (operator === '=' || operator === '!=') {
      var equal;
      if (expected === '') {
        equal = actual === undefined || actual === null || actual === '';
      } else {
        left = asNumber(actual);
        right = asNumber(expected);
        if (left !== null && right !== null && typeof actual !== 'boolean') {
          equal = Math.abs(left - right) <= 1e-12;
        } else {
          equal = ruleText(actual) === expected;
        }
      }
      return operator === '=' ? equal : !equal;
    }
    if (operator !== '<' && operator !== '>') { return false; }
    if (actual === undefined || actual === null || actual === '') { return false; }
    left = asNumber(actual);
    right = asNumber(expected);
    if (left === null || right === null || typeof actual === 'boolean') {
      left = ruleText(actual);
      right = expected;
    }
    return operator === '<' ? left < right : left > right;
  }

  function matchingStyles(rules, properties) {
    if (!Array.isArray(rules) || !properties) { return []; }
    return rules.filter(function (rule) { return rule && ruleMatches(rule, properties); })
      .map(function (rule) { return rule.style || {}; });
  }

  // Highest priority first, as resolve_style lists its sources.
  function featureStyle(viewer, entry, properties) {
    var umap = viewer.config.umap || {};
    var sources = [properties._style]
      .concat(matchingStyles(entry.config.rules, properties))
      .concat([entry.config.style])
      .concat(matchingStyles(umap.rules, properties))
      .concat([umap.style]);
    var merged = {};
    for (var i = sources.length - 1; i >= 0; i--) {
      var source = sources[i];
      if (!source || typeof source !== 'object') { continue; }
      Object.keys(source).forEach(function (key) { merged[key] = source[key]; });
    }
    return parts.style.mergeStyle(merged, null);
  }

  // The name labelKey gives, "" when there is none (the caller numbers the feature).
  function featureName(properties, labelKey) {
    properties = properties || {};
    if (labelKey && PLACEHOLDER_RE.test(labelKey)) {
      return labelKey.replace(/\{([^{}]+)\}/g, function (match, inner) {
        return placeholderValue(inner, properties);
      }).trim();
    }
    var keys = labelKey ? [labelKey, 'name'] : ['name'];
    for (var i = 0; i < keys.length; i++) {
      var text = asText(properties[keys[i]]).trim();
      if (text) { return text; }
    }
    return '';
  }

  parts.rules = {
    asNumber: asNumber,
    ruleMatches: ruleMatches,
    featureStyle: featureStyle,
    featureName: featureName
  };
}());
