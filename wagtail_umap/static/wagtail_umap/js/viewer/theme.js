/*
 * wagtail-umap public viewer: a theme's classes on the elements the viewer's scripts build
 * (address search, filters, slideshow, popups), loaded only with a theme that has some
 * (WAGTAIL_UMAP["THEME"], wagtail_umap/viewer/theme.py; docs/themes.md).
 * The viewer's configuration carries {"theme": {"name", "classes": {selector: "class class"}}};
 * this file adds those classes to what matches, now and whenever the viewer adds elements, so
 * that no other script knows about themes. It only adds classes: the viewer finds its elements
 * by their data-umap-* attributes and its own classes, which stay.
 * It also opens and closes the layers of the feature list that the theme draws as accordions
 * (button[data-umap-accordion][aria-controls], open on load), and opens a closed one before the
 * popup's "Voir dans la liste" link gives the focus to its item. These accordions have DSFR's
 * look but not DSFR's script, which, for an accordion open on load, sends the focus to the
 * site's logo when it is closed.
 * Loaded before ../viewer.js: its DOMContentLoaded listener runs before the viewer mounts.
 */
(function () {
  'use strict';

  var OBSERVED = 'umapThemeObserved';

  function themeOf(root) {
    var script = document.getElementById(root.getAttribute('data-umap-config') || '');
    if (!script) { return null; }
    try {
      var config = JSON.parse(script.textContent);
      return config.theme && config.theme.classes ? config.theme : null;
    } catch (e) {
      return null;
    }
  }

  function apply(node, classes) {
    Object.keys(classes).forEach(function (selector) {
      var names = classes[selector].split(/\s+/).filter(Boolean);
      if (node.matches && node.matches(selector)) { node.classList.add.apply(node.classList, names); }
      if (node.querySelectorAll) {
        node.querySelectorAll(selector).forEach(function (element) {
          element.classList.add.apply(element.classList, names);
        });
      }
    });
  }

  function watch(root) {
    if (root.dataset[OBSERVED]) { return; }
    var theme = themeOf(root);
    if (!theme) { return; }
    root.dataset[OBSERVED] = 'true';
    apply(root, theme.classes);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) { apply(node, theme.classes); }
        });
      });
    }).observe(root, { childList: true, subtree: true });
  }

  function watchAll(scope) {
    (scope || document).querySelectorAll('[data-umap-viewer]').forEach(watch);
  }

  // --- accordions of the feature list ---------------------------------------------------

  function setOpen(button, open) {
    var panel = document.getElementById(button.getAttribute('aria-controls'));
    if (!panel) { return; }
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    panel.hidden = !open;
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-umap-accordion]');
    if (button) { setOpen(button, button.getAttribute('aria-expanded') !== 'true'); }
  });

  // Capture phase: before the link's own handler moves the focus to the item.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a.umap-popup__list-link');
    var item = link && document.getElementById((link.getAttribute('href') || '').slice(1));
    var panel = item && item.closest('[hidden]');
    if (!panel || !panel.id) { return; }
    var button = document.querySelector('button[data-umap-accordion][aria-controls="' + CSS.escape(panel.id) + '"]');
    if (button) { setOpen(button, true); }
  }, true);

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { watchAll(); });
  } else {
    watchAll();
  }
  // A viewer added later (window.wagtailUmap.mountAll, a live preview) says it is ready.
  document.addEventListener('umap:ready', function (event) { watch(event.target); });
}());
