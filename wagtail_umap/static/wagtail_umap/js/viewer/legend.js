/*
 * wagtail-umap public viewer: the legend follows the layers shown.
 * The legend itself is HTML written by the server (templates/wagtail_umap/viewer/legend.html),
 * readable without JavaScript; this only hides the block of a layer the citizen switched off,
 * and shows it again when the layer comes back. Its methods join the representations' ones
 * (representations.js is loaded first), which viewer.js copies onto Viewer.prototype.
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};
  var methods = parts.representations = parts.representations || {};

  methods.legendMount = function () {
    var self = this;
    var blocks = this.root.querySelectorAll('[data-umap-legend]');
    if (!blocks.length) { return; }
    var box = this.root.querySelector('[data-umap-legends]');
    function update() {
      var anyShown = false;
      blocks.forEach(function (block) {
        var entry = self.layers[block.getAttribute('data-umap-legend')];
        var shown = !entry || self.map.hasLayer(entry.group);
        block.hidden = !shown;
        anyShown = anyShown || shown;
      });
      if (box) { box.hidden = !anyShown; }
      // A group's heading goes with its last shown block (viewer/groups.py).
      self.root.querySelectorAll('[data-umap-legend-group]').forEach(function (group) {
        group.hidden = !group.querySelector('[data-umap-legend]:not([hidden])');
      });
    }
    this.map.on('overlayadd overlayremove', update);
    update();
  };
}());
