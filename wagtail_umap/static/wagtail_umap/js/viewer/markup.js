/*
 * wagtail-umap public viewer: popup HTML rendered by the server from uMap's markup
 * (core/markup.py's render_popup, sent per feature in config.layers[].popupHtml), copied into
 * the page node by node through the same allowlist: the string is parsed in an inert document
 * (DOMParser: nothing in it runs or loads) and only allowed elements and attributes are
 * rebuilt with createElement / setAttribute. Never innerHTML.
 * Loaded before ../viewer.js; shares window.wagtailUmap._parts with the other viewer scripts.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};

  var TAGS = { H3: 1, H4: 1, H5: 1, H6: 1, P: 1, BR: 1, HR: 1, STRONG: 1, EM: 1, A: 1, IMG: 1 };
  var TARGETS = { _blank: 1, _top: 1, _parent: 1, _self: 1 };
  var DROPPED = /^(SCRIPT|STYLE|TEMPLATE|IFRAME|OBJECT|EMBED|NOSCRIPT|SVG|MATH)$/;

  function copyNode(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== 1) { return; }
      var tag = node.tagName.toUpperCase();
      if (!TAGS[tag]) {
        if (!DROPPED.test(tag)) { copyNode(node, target); } // an unknown element: its text only
        return;
      }
      var copy = document.createElement(tag.toLowerCase());
      if (tag === 'A') {
        var href = (node.getAttribute('href') || '').trim();
        if (/^(https?:\/\/|mailto:)/i.test(href)) { copy.setAttribute('href', href); }
        copy.setAttribute('rel', 'noopener noreferrer nofollow');
        var linkTarget = node.getAttribute('target');
        if (linkTarget && TARGETS[linkTarget]) { copy.setAttribute('target', linkTarget); }
      } else if (tag === 'IMG') {
        var src = (node.getAttribute('src') || '').trim();
        if (!/^https:\/\//i.test(src)) { return; }
        copy.setAttribute('src', src);
        copy.setAttribute('alt', node.getAttribute('alt') || '');
        var width = node.getAttribute('width');
        if (width && /^\d{1,4}$/.test(width)) { copy.setAttribute('width', width); }
        copy.setAttribute('loading', 'lazy');
        copy.className = 'umap-popup__markup-image';
        target.appendChild(copy);
        return;
      }
      copyNode(node, copy);
      target.appendChild(copy);
    });
  }

  function appendHtml(parent, html) {
    if (typeof html !== 'string' || !html) { return; }
    var parsed = new DOMParser().parseFromString(html, 'text/html');
    copyNode(parsed.body, parent);
  }

  parts.markup = { appendHtml: appendHtml, tags: Object.keys(TAGS) };
}());
