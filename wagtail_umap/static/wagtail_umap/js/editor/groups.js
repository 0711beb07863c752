/* Groups of layers in the editor (issue 17): the tree of the layer list and its edits.
 *
 * Pure functions on the map document, which editor.js calls inside `state.apply` (so every
 * edit is undoable like the others). The tree follows core/validation_groups.py: siblings in
 * document order, a group where its first layer comes, groups without layers last. After each
 * edit the document is written back in that reading order (`layers` and `groups`), each
 * layer's `group` and each group's `parent` set from where it sits.
 */
(function () {
  "use strict";

  const MAX_DEPTH = 4; // core/schema/options.py MAX_GROUP_DEPTH
  const MAX_GROUPS = 50;

  function tree(doc) {
    const groups = doc.groups || [];
    const byId = new Map(groups.map((group) => [group.id, group]));
    const roots = [];
    const nodes = new Map();
    const chain = (id) => {
      const result = [];
      while (id && byId.has(id) && result.length <= MAX_DEPTH + 1) {
        result.unshift(byId.get(id));
        id = byId.get(id).parent;
      }
      return result;
    };
    const place = (id) => {
      let children = roots;
      for (const group of chain(id)) {
        let node = nodes.get(group.id);
        if (!node) {
          node = { kind: "group", id: group.id, group, children: [] };
          nodes.set(group.id, node);
          children.push(node);
        }
        children = node.children;
      }
      return children;
    };
    for (const layer of doc.layers) place(layer.group).push({ kind: "layer", id: layer.id, layer });
    for (const group of groups) place(group.id);
    return roots;
  }

  /* [{node, depth, parent}] in reading order. */
  function walk(roots) {
    const out = [];
    const visit = (nodes, depth, parent) => {
      for (const node of nodes) {
        out.push({ node, depth, parent });
        if (node.kind === "group") visit(node.children, depth + 1, node);
      }
    };
    visit(roots, 0, null);
    return out;
  }

  function writeBack(doc, roots) {
    const layers = [];
    const groups = [];
    const visit = (nodes, parent) => {
      for (const node of nodes) {
        if (node.kind === "layer") {
          if (parent) node.layer.group = parent.id;
          else delete node.layer.group;
          layers.push(node.layer);
        } else {
          node.group.parent = parent ? parent.id : null;
          groups.push(node.group);
          visit(node.children, node);
        }
      }
    };
    visit(roots, null);
    doc.layers.splice(0, doc.layers.length, ...layers);
    if (groups.length) doc.groups = groups;
    else delete doc.groups;
  }

  function locate(roots, kind, id) {
    for (const entry of walk(roots)) {
      if (entry.node.kind === kind && entry.node.id === id) {
        const siblings = entry.parent ? entry.parent.children : roots;
        return { ...entry, siblings, index: siblings.indexOf(entry.node) };
      }
    }
    return null;
  }

  /* How many group levels a node's subtree holds (a layer: 0, an empty group: 1). */
  function height(node) {
    if (node.kind !== "group") return 0;
    return 1 + Math.max(0, ...node.children.map(height));
  }

  /* The groups a node may go into: [{id, name, depth}] in reading order (not itself, nor its
   * own subgroups, nor where it would be nested too deep). */
  function targets(doc, kind, id) {
    const roots = tree(doc);
    const found = locate(roots, kind, id);
    const own = found ? height(found.node) : 0;
    const inside = new Set();
    if (found && kind === "group") for (const entry of walk([found.node])) inside.add(entry.node);
    return walk(roots)
      .filter(({ node, depth }) => node.kind === "group" && !inside.has(node) && depth + 1 + own <= MAX_DEPTH)
      .map(({ node, depth }) => ({ id: node.id, name: node.group.name, depth }));
  }

  /* Swap a node with its neighbour among its siblings; false when it cannot move. */
  function move(doc, kind, id, delta) {
    const roots = tree(doc);
    const found = locate(roots, kind, id);
    if (!found) return false;
    const to = found.index + delta;
    if (to < 0 || to >= found.siblings.length) return false;
    found.siblings.splice(found.index, 1);
    found.siblings.splice(to, 0, found.node);
    writeBack(doc, roots);
    return true;
  }

  /* Put a node into a group (null: the top level), at its end or before another node. */
  function place(doc, kind, id, groupId, before = null) {
    const roots = tree(doc);
    const found = locate(roots, kind, id);
    if (!found) return false;
    if (groupId && !targets(doc, kind, id).some((target) => target.id === groupId)) return false;
    found.siblings.splice(found.index, 1);
    const parent = groupId ? locate(roots, "group", groupId) : null;
    const children = parent ? parent.node.children : roots;
    let at = children.length;
    if (before) {
      const index = children.findIndex((node) => node.kind === before.kind && node.id === before.id);
      if (index >= 0) at = index;
    }
    children.splice(at, 0, found.node);
    writeBack(doc, roots);
    return true;
  }

  function newId(doc) {
    const used = new Set([...(doc.groups || []).map((g) => g.id), ...doc.layers.map((l) => l.id)]);
    let id;
    do {
      id = "g" + Math.random().toString(16).slice(2, 13);
    } while (used.has(id));
    return id;
  }

  function add(doc, name, parentId = null) {
    const groups = doc.groups || [];
    if (groups.length >= MAX_GROUPS) return null;
    if (parentId && !targets(doc, "group", "\u0000").some((target) => target.id === parentId)) return null;
    const group = { id: newId(doc), name, parent: parentId || null };
    doc.groups = [...groups, group];
    writeBack(doc, tree(doc));
    return group;
  }

  /* Delete a group: its layers and subgroups move up a level, where it was. */
  function remove(doc, id) {
    const roots = tree(doc);
    const found = locate(roots, "group", id);
    if (!found) return false;
    found.siblings.splice(found.index, 1, ...found.node.children);
    writeBack(doc, roots);
    return true;
  }

  function group(doc, id) {
    return (doc.groups || []).find((g) => g.id === id) || null;
  }

  /* An imported file's groups join the map's, renamed apart when an id is taken; `layers`:
   * the imported layers, already in `doc.layers`. */
  function adopt(doc, imported, layers) {
    const renamed = new Map();
    const groups = doc.groups || [];
    const taken = new Set([...groups.map((g) => g.id), ...doc.layers.map((l) => l.id)]);
    const added = imported.map((g) => {
      const copy = { ...g };
      if (taken.has(copy.id)) renamed.set(copy.id, newId({ layers: doc.layers, groups: [...groups, ...imported] }));
      copy.id = renamed.get(g.id) || g.id;
      taken.add(copy.id);
      return copy;
    });
    for (const g of added) if (g.parent && renamed.has(g.parent)) g.parent = renamed.get(g.parent);
    for (const layer of layers) if (layer.group && renamed.has(layer.group)) layer.group = renamed.get(layer.group);
    doc.groups = [...groups, ...added].slice(0, MAX_GROUPS);
    writeBack(doc, tree(doc));
  }

  // editor.js's element builder (loaded after this file, called only once the editor runs).
  const h = (...args) => window.wagtailUmapEditor.h(...args);

  /* The editor's methods for groups (copied onto the Editor's prototype by editor.js). */
  const editorMethods = {
    groupItem(node, first, last, build) {
      const s = (key, params) => this.t(key, params);
      const name = node.group.name;
      const nameId = `${this.input.id}-group-${node.id}`;
      const item = h("li", { class: "umap-editor__group", draggable: "true", "data-group-id": node.id },
        h("div", { class: "umap-editor__group-row" },
          h("span", { class: "umap-editor__drag", "aria-hidden": "true", title: s("layer_drag", { name }) }, "⠿"),
          h("span", { class: "umap-editor__group-name", id: nameId, text: name }),
          h("span", { class: "umap-editor__layer-buttons" },
            this.iconButton("↑", s("layer_up", { name }), () => this.moveInTree("group", node.id, -1), `up-group-${node.id}`, first),
            this.iconButton("↓", s("layer_down", { name }), () => this.moveInTree("group", node.id, 1), `down-group-${node.id}`, last),
            this.iconButton("+", s("groups_add_in", { name }), () => this.addGroup(node.id), `add-in-${node.id}`,
              !targets(this.state.doc, "group", "\u0000").some((t) => t.id === node.id)),
            this.iconButton("✎", s("groups_rename", { name }), () => this.renameGroup(node.id), `rename-${node.id}`),
            this.iconButton("✕", s("groups_delete", { name }), () => this.deleteGroup(node.id), `delete-group-${node.id}`))),
        this.groupParentField(node),
        node.children.length
          ? h("ol", { class: "umap-editor__layers umap-editor__layers--nested", "aria-labelledby": nameId }, ...build(node.children))
          : h("p", { class: "help umap-editor__group-empty", text: s("groups_empty") }));
      item.addEventListener("dragstart", (event) => {
        if (event.target !== item) return; // a layer inside is dragged, not the group
        event.dataTransfer.setData("application/x-umap-group", node.id);
        event.dataTransfer.effectAllowed = "move";
      });
      // Its row (and the "no layer yet" line of an empty group) takes what is dropped on it.
      const targetsOfDrop = node.children.length ? [item.firstChild] : [item.firstChild, item.lastChild];
      for (const zone of targetsOfDrop) {
        zone.addEventListener("dragover", (event) => {
          const types = event.dataTransfer.types;
          if (types.includes("application/x-umap-layer") || types.includes("application/x-umap-group")) event.preventDefault();
        });
        zone.addEventListener("drop", (event) => {
          const layerId = event.dataTransfer.getData("application/x-umap-layer");
          const groupId = event.dataTransfer.getData("application/x-umap-group");
          event.preventDefault();
          event.stopPropagation();
          // Dropped on a group: into it, last (a group too, where it may go).
          if (layerId) this.setLayerGroup(layerId, node.id);
          else if (groupId && targets(this.state.doc, "group", groupId).some((t) => t.id === node.id)) {
            this.placeNode("group", groupId, node.id, null);
          }
        });
      }
      return item;
    },

    /* "Parent group" under a group's row, when another group could hold it: the keyboard's
     * way to nest a group or take it out (dragging it onto a group's name does the same). */
    groupParentField(node) {
      const choices = targets(this.state.doc, "group", node.id);
      if (!choices.length && !node.group.parent) return null;
      const id = `${this.input.id}-group-${node.id}-parent`;
      const select = h("select", {
        id,
        class: "umap-editor__input umap-editor__group-parent",
        "data-focus-key": `parent-${node.id}`,
        onchange: (event) => this.placeNode("group", node.id, event.target.value || null, null),
      }, h("option", { value: "", text: this.t("groups_none") }),
      ...choices.map((target) => h("option", { value: target.id, text: `${"— ".repeat(target.depth)}${target.name}` })));
      select.value = node.group.parent || "";
      return h("div", { class: "umap-editor__field umap-editor__group-field" },
        h("label", { for: id, text: this.t("groups_parent", { name: node.group.name }) }), select);
    },

    /* "Group" in the layer's settings: the keyboard's way in and out of groups. */
    layerGroupField(layer, id) {
      const s = (key, params) => this.t(key, params);
      const groups = this.state.doc.groups || [];
      if (!groups.length) return null;
      const select = h("select", {
        id: `${id}-group`,
        class: "umap-editor__input",
        "data-focus-key": "layer-group",
        onchange: (event) => this.setLayerGroup(layer.id, event.target.value || null),
      }, h("option", { value: "", text: s("groups_none") }),
      ...targets(this.state.doc, "layer", layer.id).map((target) => h("option", {
        value: target.id, text: `${"— ".repeat(target.depth)}${target.name}`,
      })));
      select.value = layer.group || "";
      return h("div", { class: "umap-editor__field" }, h("label", { for: select.id, text: s("groups_layer_group") }), select);
    },

    addGroup(parentId) {
      const count = (this.state.doc.groups || []).length;
      const typed = window.prompt(this.t("groups_name_prompt"), this.t("groups_new_name", { number: count + 1 }));
      if (typed === null) return;
      const name = typed.trim() || this.t("groups_new_name", { number: count + 1 });
      let created = null;
      this.state.apply(this.t("groups_added", { name }), (doc) => { created = add(doc, name, parentId); }, { layers: [] });
      if (!created) this.announce(this.t("groups_too_many"));
    },

    renameGroup(id) {
      const current = group(this.state.doc, id);
      if (!current) return;
      const typed = window.prompt(this.t("groups_name_prompt"), current.name);
      if (typed === null || !typed.trim() || typed.trim() === current.name) return;
      const name = typed.trim();
      this.state.apply(this.t("groups_renamed", { name }), (doc) => { group(doc, id).name = name; }, { layers: [] });
    },

    deleteGroup(id) {
      const current = group(this.state.doc, id);
      if (!current) return;
      this.state.apply(this.t("groups_deleted", { name: current.name }), (doc) => { remove(doc, id); }, { layers: [] });
      const next = this.layerList.querySelector("[data-focus-key=add-group]") || this.root.querySelector("[data-focus-key=add-group]");
      if (next && !this.root.contains(document.activeElement)) next.focus();
    },

    /* ↑ and ↓ among its siblings, in its group. */
    moveInTree(kind, id, delta) {
      const roots = tree(this.state.doc);
      const found = locate(roots, kind, id);
      if (!found) return;
      const name = found.node.kind === "layer" ? found.node.layer.name : found.node.group.name;
      const position = found.index + delta + 1;
      const label = kind === "group" ? "groups_reordered" : "reordered_layer";
      this.state.apply(this.t(label, { name, position }), (doc) => { move(doc, kind, id, delta); }, { layers: [] });
    },

    setLayerGroup(layerId, groupId) {
      const layer = this.state.layer(layerId);
      if (!layer || (layer.group || null) === (groupId || null)) return;
      const target = groupId ? group(this.state.doc, groupId) : null;
      const label = target
        ? this.t("groups_moved_in", { name: layer.name, group: target.name })
        : this.t("groups_moved_out", { name: layer.name });
      this.state.apply(label, (doc) => { place(doc, "layer", layerId, groupId); }, { layers: [] });
    },

    /* A layer dropped on a layer: before it, in its group. */
    dropBefore(layerId, before) {
      const target = this.state.layer(before.id);
      if (!target || layerId === before.id) return;
      this.placeNode("layer", layerId, target.group || null, before);
    },

    placeNode(kind, id, groupId, before) {
      if (groupId && !targets(this.state.doc, kind, id).some((t) => t.id === groupId)) return;
      const roots = tree(this.state.doc);
      const found = locate(roots, kind, id);
      if (!found) return;
      const name = kind === "layer" ? found.node.layer.name : found.node.group.name;
      const target = groupId ? group(this.state.doc, groupId) : null;
      const label = target ? this.t("groups_moved_in", { name, group: target.name }) : this.t("groups_moved_out", { name });
      this.state.apply(label, (doc) => { place(doc, kind, id, groupId, before); }, { layers: [] });
    },
  };

  window.wagtailUmapEditor = Object.assign(window.wagtailUmapEditor || {}, {
    groups: { tree, walk, targets, move, place, add, remove, group, adopt, editorMethods, MAX_DEPTH },
  });
})();
