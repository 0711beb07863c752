/*
 * wagtail-umap public viewer: the pages and search of a large layer's feature list.
 * The server renders the first page of the list (templates/wagtail_umap/viewer/
 * feature_list.html), with links to the other pages and a search form that work without
 * JavaScript (they open the feature list view). This script fetches the same view's fragment
 * (?partial=1) instead and swaps it in place, announces the result in the viewer's status
 * region and moves the focus to the summary of the new page, so a keyboard or screen-reader
 * user stays where they were. Loaded before ../viewer.js; shares window.wagtailUmap._parts.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};

  function withPartial(url) {
    var target = new URL(url, window.location.href);
    target.searchParams.set('partial', '1');
    return target.href;
  }

  // Un-hide "Voir sur la carte" on the new page when its layer is already on the map.
  function showLocateButtons(viewer, container) {
    container.querySelectorAll('button[data-umap-feature]').forEach(function (button) {
      var key = viewer.splitKey(button.getAttribute('data-umap-feature'));
      var entry = viewer.layers[key.layerId];
      if (entry && entry.loaded && (entry.lazy || entry.features[key.index])) { button.hidden = false; }
    });
  }

  function load(viewer, current, url) {
    var strings = viewer.strings;
    current.setAttribute('aria-busy', 'true');
    viewer.say(strings.listLoading);
    return fetch(withPartial(url), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-umap-feature-page]');
        if (!next) { throw new Error('no list in the answer'); }
        next = document.importNode(next, true);
        current.replaceWith(next);
        showLocateButtons(viewer, next);
        var summary = next.querySelector('.umap-viewer__list-summary');
        viewer.say(summary ? summary.textContent.trim() : '');
        if (summary) { summary.focus({ preventScroll: true }); summary.scrollIntoView({ block: 'nearest' }); }
      })
      .catch(function () {
        current.removeAttribute('aria-busy');
        viewer.say(strings.listError);
      });
  }

  function enhance(viewer) {
    viewer.root.addEventListener('click', function (event) {
      var link = event.target.closest('a[data-umap-page-link]');
      var current = link && link.closest('[data-umap-feature-page]');
      if (!current || !viewer.root.contains(current) || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      load(viewer, current, link.href);
    });
    viewer.root.addEventListener('submit', function (event) {
      var form = event.target.closest('form[data-umap-list-search]');
      var current = form && form.closest('[data-umap-feature-page]');
      if (!current || !viewer.root.contains(current)) { return; }
      event.preventDefault();
      var url = new URL(form.action, window.location.href);
      new FormData(form).forEach(function (value, name) { url.searchParams.set(name, value); });
      load(viewer, current, url.href);
    });
  }

  parts.featureList = { enhance: enhance };
}());
