/*
 * wagtail-umap public viewer: the layer switcher of a map with groups of layers (issue 17).
 *
 * A map without groups keeps Leaflet's own switcher (viewer.js). With config.groups, this
 * builds the same control (.leaflet-control-layers, its list toggled by controls.js'
 * layersToggle) as nested lists: a group is a native checkbox followed by the list of its
 * layers and subgroups. Its state is "checked" when every layer under it is shown,
 * "unchecked" when none is, and indeterminate otherwise, which browsers expose to screen
 * readers as "mixed" (aria-checked is not set on a native checkbox: the property says it).
 * Checking a group shows every layer under it, unchecking hides them all.
 * Each layer's checkbox keeps Leaflet's class (leaflet-control-layers-selector, read by
 * print.js) and data-umap-switch-layer; 'overlayadd'/'overlayremove' are fired as Leaflet's
 * switcher fires them, whoever shows or hides a layer ("Voir sur la carte", the permalink).
 */
(function () {
  'use strict';

  var ns = window.wagtailUmap = window.wagtailUmap || {};
  var parts = ns._parts = ns._parts || {};

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  // The tree in reading order: siblings in document order, a group where its first layer
  // comes, empty groups last (core/validation_groups.py's tree, the same rule).
  function buildTree(groups, layers) {
    var byId = {};
    groups.forEach(function (group) { byId[group.id] = group; });
    var root = [];
    var nodes = {};
    function chain(groupId) {
      var result = [];
      while (groupId && byId[groupId] && result.length < 10) {
        result.unshift(byId[groupId]);
        groupId = byId[groupId].parent;
      }
      return result;
    }
    function place(groupId) {
      var children = root;
      chain(groupId).forEach(function (group) {
        var node = nodes[group.id];
        if (!node) {
          node = nodes[group.id] = { group: group, children: [] };
          children.push(node);
        }
        children = node.children;
      });
      return children;
    }
    layers.forEach(function (layer) { place(layer.group).push({ layer: layer }); });
    groups.forEach(function (group) { place(group.id); });
    return root;
  }

  function mount(viewer) {
    var L = viewer.L;
    var map = viewer.map;
    var config = viewer.config;
    var domId = config.domId;
    var boxes = {}; // layer id -> checkbox
    var groupBoxes = []; // {box, layerIds}

    var container = L.DomUtil.create('div', 'leaflet-control leaflet-control-layers leaflet-control-layers-expanded umap-layer-tree');
    container.setAttribute('role', 'group');
    container.setAttribute('aria-label', viewer.strings.layers);
    L.DomEvent.disableClickPropagation(container);
    L.DomEvent.disableScrollPropagation(container);
    // Space on a checkbox must not pan the map.
    L.DomEvent.on(container, 'keydown', L.DomEvent.stopPropagation);
    var list = element('section', { class: 'leaflet-control-layers-list' });
    container.appendChild(list);

    function layerIdsUnder(node) {
      if (node.layer) { return [node.layer.id]; }
      return node.children.reduce(function (ids, child) { return ids.concat(layerIdsUnder(child)); }, []);
    }

    function shown(layerId) {
      var entry = viewer.layers[layerId];
      return !!entry && map.hasLayer(entry.group);
    }

    function refresh() {
      Object.keys(boxes).forEach(function (layerId) { boxes[layerId].checked = shown(layerId); });
      groupBoxes.forEach(function (item) {
        var count = item.layerIds.filter(shown).length;
        item.box.checked = item.layerIds.length > 0 && count === item.layerIds.length;
        item.box.indeterminate = count > 0 && count < item.layerIds.length;
      });
    }

    function setShown(layerId, show) {
      var entry = viewer.layers[layerId];
      if (!entry) { return; }
      if (show && !map.hasLayer(entry.group)) { map.addLayer(entry.group); }
      if (!show && map.hasLayer(entry.group)) { map.removeLayer(entry.group); }
    }

    function renderNodes(nodes, depth) {
      var ul = element('ul', { class: 'umap-layer-tree__list' + (depth ? ' umap-layer-tree__list--nested' : '') });
      nodes.forEach(function (node, index) {
        var li = element('li', { class: 'umap-layer-tree__item' });
        var label = element('label', { class: 'umap-layer-tree__label' });
        var box = element('input', { type: 'checkbox' });
        label.appendChild(box);
        li.appendChild(label);
        if (node.layer) {
          box.className = 'leaflet-control-layers-selector';
          box.setAttribute('data-umap-switch-layer', node.layer.id);
          label.appendChild(element('span', {}, ' ' + node.layer.name));
          boxes[node.layer.id] = box;
          box.addEventListener('change', function () { setShown(node.layer.id, box.checked); });
        } else {
          var ids = layerIdsUnder(node);
          var childId = domId + '-group-' + node.group.id;
          box.className = 'umap-layer-tree__group-box';
          box.setAttribute('data-umap-switch-group', node.group.id);
          box.setAttribute('aria-controls', childId);
          li.classList.add('umap-layer-tree__item--group');
          label.appendChild(element('span', { class: 'umap-layer-tree__group-name' }, ' ' + node.group.name));
          groupBoxes.push({ box: box, layerIds: ids });
          box.addEventListener('change', function () {
            // An indeterminate box turns checked when clicked: show them all.
            ids.forEach(function (layerId) { setShown(layerId, box.checked); });
            refresh();
          });
          var children = renderNodes(node.children, depth + 1);
          children.id = childId;
          li.appendChild(children);
        }
        ul.appendChild(li);
      });
      return ul;
    }

    list.appendChild(renderNodes(buildTree(config.groups, config.layers), 0));

    // Whoever shows or hides a layer, the boxes follow and the others hear of it as they
    // hear of Leaflet's switcher.
    config.layers.forEach(function (layerConfig) {
      var entry = viewer.layers[layerConfig.id];
      if (!entry) { return; }
      entry.group.on('add', function () {
        refresh();
        map.fire('overlayadd', { layer: entry.group, name: layerConfig.name });
      });
      entry.group.on('remove', function () {
        refresh();
        map.fire('overlayremove', { layer: entry.group, name: layerConfig.name });
      });
    });

    var Control = L.Control.extend({ onAdd: function () { return container; } });
    var control = new Control({ position: 'topright' }).addTo(map);
    refresh();
    return control;
  }

  parts.layerTree = { mount: mount, buildTree: buildTree };
}());
