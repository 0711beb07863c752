/* The map editor's state: the map document, the selection, and an undo/redo history.
 *
 * Every edit goes through `state.apply(label, mutator, scope)`. The history keeps, per edit, a
 * patch of what the edit's scope names, never the whole document: the JSON of each touched
 * feature before and after (a rename in a 35,000-polygon layer keeps two small strings); for a
 * touched layer its list of features (references) with each one's top-level properties and
 * geometry object, and the document without features. Undo and redo put the parts back into
 * the same feature objects, so the map and the lists redraw only what changed. The history is
 * bounded: at most `historyLimit` edits and about `historyBytes` bytes of patches (the oldest go
 * first). Layers nobody edited are saved as their stored `data` reference, not re-sent; each
 * layer has a version (`layerVersion(id)`) that every change to it bumps, and its features' JSON
 * (`layerText(id)`) is made only when asked for (to send it), once per version.
 *
 * Exposes `window.wagtailUmapEditor` with `createState` and the panel plug-in registry
 * (documented in the project's editor API notes).
 */
(function () {
  "use strict";

  const HISTORY_LIMIT = 100; // edits kept for undo
  const HISTORY_BYTES = 32 * 1024 * 1024; // estimated size of the patches kept for undo and redo
  const SNAPSHOT_BYTES_PER_FEATURE = 96; // a layer patch: a reference, a properties copy…
  const panels = new Map();

  function createEmitter() {
    const listeners = new Map();
    return {
      on(event, listener) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event).add(listener);
        return () => listeners.get(event).delete(listener);
      },
      emit(event, detail) {
        for (const listener of listeners.get(event) || []) {
          try {
            listener(detail);
          } catch (error) {
            console.error(error); // one broken listener must not stop the others
          }
        }
      },
    };
  }

  /* The document without its features: small, so every history entry keeps a copy. */
  function metaJSON(doc) {
    return JSON.stringify({
      ...doc,
      layers: doc.layers.map(({ features, ...layer }) => layer),
    });
  }

  function isObject(value) {
    return value !== null && typeof value === "object";
  }

  /* Put `source`'s content into `target` (objects and arrays alike), keeping every object that
   * is there: other history entries hold references to them (a layer patch keeps geometry and
   * properties objects), and an edit may have changed them in place. */
  function assignInPlace(target, source) {
    if (Array.isArray(target)) {
      target.length = source.length;
      for (let i = 0; i < source.length; i += 1) target[i] = merged(target[i], source[i]);
      return target;
    }
    for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
    for (const key of Object.keys(source)) target[key] = merged(target[key], source[key]);
    return target;
  }

  function merged(old, value) {
    if (isObject(old) && isObject(value) && Array.isArray(old) === Array.isArray(value)) {
      return assignInPlace(old, value);
    }
    return value;
  }

  /* A layer's features as they are now: the list, and each one's geometry object and own copy
   * of its properties (so a later change of a property, in place, does not reach it). */
  function layerSnapshot(layer) {
    const features = layer.features.slice();
    return {
      features,
      geometries: features.map((feature) => feature.geometry),
      properties: features.map((feature) => (isObject(feature.properties) ? { ...feature.properties } : feature.properties)),
    };
  }

  /* Whether `layer` is still as `snapshot` says (then the snapshot serves again, not copied). */
  function sameAsSnapshot(layer, snapshot) {
    const features = layer.features;
    if (!snapshot || features.length !== snapshot.features.length) return false;
    for (let i = 0; i < features.length; i += 1) {
      const feature = features[i];
      if (feature !== snapshot.features[i] || feature.geometry !== snapshot.geometries[i]) return false;
      if (!sameProperties(feature.properties, snapshot.properties[i])) return false;
    }
    return true;
  }

  /* Whether two properties values of a layer snapshot are the same (top level: the snapshot
   * keeps a shallow copy; a nested value is replaced, never changed in place, by an edit). */
  function sameProperties(a, b) {
    if (!isObject(a) || !isObject(b)) return a === b;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (a[key] !== b[key] || !(key in b)) return false;
    return true;
  }

  function snapshotBytes(snapshot) {
    return snapshot ? snapshot.features.length * SNAPSHOT_BYTES_PER_FEATURE : 0;
  }

  class EditorState {
    /* `doc`: the map document in full form (every layer's `features` inline).
     * `dataRefs`: {layerId: data reference} of the layers as stored, sent back unchanged while
     * the editor leaves that layer alone. */
    constructor(doc, { dataRefs = {}, strings = {}, config = {} } = {}) {
      this.doc = doc;
      this.doc.layers = this.doc.layers || [];
      for (const layer of this.doc.layers) layer.features = layer.features || [];
      this.strings = strings;
      this.config = config;
      this.dataRefs = { ...dataRefs };
      this.dirtyLayers = new Set();
      this.undoStack = [];
      this.redoStack = [];
      this.historyLimit = HISTORY_LIMIT;
      this.historyBytes = HISTORY_BYTES;
      this.historySize = 0; // estimated bytes of the entries in both stacks
      this.versions = new Map(); // layer id → version, bumped by every change to the layer
      this.nextVersion = 1;
      this.texts = new Map(); // layer id → {version, text}: its features' JSON, made when asked
      this.snapshots = new Map(); // layer id → {version, snapshot} of the layer as it is
      this.selection = null;
      this.readOnly = false;
      this.emitter = createEmitter();
      this.featureLayer = new WeakMap();
      this.featureIds = new WeakMap();
      this.nextFeatureId = 1;
      // Which features an edit, undo or redo changed in place, and when (a counter): the
      // saver sends a layer as the features changed since the version the server holds.
      this.touchCount = 0;
      this.touchedAt = new WeakMap();
      for (const layer of this.doc.layers) this.registerLayer(layer);
    }

    on(event, listener) {
      return this.emitter.on(event, listener);
    }

    /* Queries */

    get layers() {
      return this.doc.layers;
    }

    layer(id) {
      return this.doc.layers.find((layer) => layer.id === id) || null;
    }

    layerOf(feature) {
      const id = this.featureLayer.get(feature);
      return id === undefined ? null : this.layer(id);
    }

    /* The property that names a layer's features: its label_key (uMap's labelKey) when that
     * is one property, else "name". The feature panel's name field edits it. */
    nameKey(layer) {
      const key = layer && layer.label_key;
      return key && !key.includes("{") ? key : "name";
    }

    /* A feature's name as the public map gives it (core/markup.py's feature_name): its layer's
     * label_key, a property or a template such as "{nom} ({commune})", whose {a|b|"text"}
     * takes the first that is not empty; else its name. "" when it has none. */
    featureName(feature, layer = this.layerOf(feature)) {
      const properties = (feature && feature.properties) || {};
      const key = layer && layer.label_key;
      const text = (value) => (value === null || value === undefined ? "" : String(value));
      if (!key) return text(properties.name);
      if (!key.includes("{")) return text(properties[key]) || text(properties.name);
      const filled = key.replace(/\{([^{}]+)\}/g, (match, inside) => {
        for (const choice of inside.split("|")) {
          const quoted = /^\s*"(.*)"\s*$/.exec(choice);
          if (quoted) return quoted[1];
          const value = text(properties[choice.trim()]);
          if (value) return value;
        }
        return "";
      });
      return filled.trim() || text(properties.name);
    }

    /* A stable id for a feature object during the session (for lists, tables, the map). */
    featureId(feature) {
      if (!this.featureIds.has(feature)) this.featureIds.set(feature, this.nextFeatureId++);
      return this.featureIds.get(feature);
    }

    featureCount() {
      return this.doc.layers.reduce((sum, layer) => sum + layer.features.length, 0);
    }

    /* A number that changes whenever the layer's features or settings change. */
    layerVersion(id) {
      if (!this.versions.has(id)) this.versions.set(id, this.nextVersion++);
      return this.versions.get(id);
    }

    /* The layer's features as JSON (what is sent to the server), made once per version. */
    layerText(id) {
      const layer = this.layer(id);
      if (!layer) return undefined;
      const version = this.layerVersion(id);
      const cached = this.texts.get(id);
      if (cached && cached.version === version) return cached.text;
      const text = JSON.stringify(layer.features);
      this.texts.set(id, { version, text });
      return text;
    }

    /* Whether `feature`'s content changed after `count` (a `touchCount` read earlier). */
    touchedSince(feature, count) {
      return (this.touchedAt.get(feature) || 0) > count;
    }

    touch(feature) {
      this.touchedAt.set(feature, (this.touchCount += 1));
    }

    /* The features whose geometry or properties differ from one snapshot of a layer to the
     * other (a layer edit: its features are put back from snapshots on undo and redo). */
    touchDiffering(from, to) {
      if (!from || !to || from === to) return;
      const index = new Map();
      from.features.forEach((feature, i) => index.set(feature, i));
      to.features.forEach((feature, j) => {
        const i = index.get(feature);
        if (i === undefined || from.geometries[i] !== to.geometries[j] || !sameProperties(from.properties[i], to.properties[j])) this.touch(feature);
      });
    }

    canUndo() {
      return this.undoStack.length > 0;
    }

    canRedo() {
      return this.redoStack.length > 0;
    }

    /* Editing */

    /* Run `mutator(doc)`, which changes `state.doc` in place, as one undoable edit announced as
     * `label`. `scope` says what it touches, so big maps stay fast:
     *   {features: [feature, …]}: only these features' geometry/properties changed;
     *   {layers: [id, …]}: these layers changed (their settings or which features they hold);
     *   {options: true}: only the map options (or layer order/names) changed, no features;
     *   omitted: anything may have changed.
     * `options.merge`: edits in a row with the same merge key are one step of the history (the
     * arrow presses that move a point), labelled with the last one. */
    apply(label, mutator, scope = null, options = {}) {
      if (this.readOnly) return; // a map locked by someone else
      const last = this.undoStack[this.undoStack.length - 1];
      const merging = Boolean(options.merge && last && last.merge === options.merge && !this.redoStack.length);
      const entry = this.begin(label, scope, options.merge || null);
      mutator(this.doc);
      this.finish(entry);
      this.redoStack = [];
      if (merging && this.mergeInto(last, entry)) {
        last.label = label;
      } else {
        this.undoStack.push(entry);
      }
      this.recount();
      this.keepSelectionValid();
      this.emitter.emit("change", { label, scope, source: "edit" });
    }

    undo() {
      const entry = this.undoStack.pop();
      if (!entry) return false;
      this.restore(entry, "before");
      this.redoStack.push(entry);
      this.emitter.emit("change", { label: entry.label, scope: this.changeScope(entry), source: "undo" });
      return true;
    }

    redo() {
      const entry = this.redoStack.pop();
      if (!entry) return false;
      this.restore(entry, "after");
      this.undoStack.push(entry);
      this.emitter.emit("change", { label: entry.label, scope: this.changeScope(entry), source: "redo" });
      return true;
    }

    lastLabel(stack = "undo") {
      const entries = stack === "undo" ? this.undoStack : this.redoStack;
      return entries.length ? entries[entries.length - 1].label : "";
    }

    /* Selection */

    select(feature) {
      const layer = feature ? this.layerOf(feature) : null;
      this.selection = feature && layer ? { feature, layerId: layer.id } : null;
      this.emitter.emit("select", this.selection);
    }

    /* The document to save, as JSON: edited layers carry their features, the others their
     * stored `data` reference. */
    serialize() {
      const layers = this.doc.layers.map(({ features, ...layer }) => {
        const ref = this.dataRefs[layer.id];
        if (ref && !this.dirtyLayers.has(layer.id)) {
          return JSON.stringify({ ...layer, data: ref });
        }
        const meta = JSON.stringify(layer);
        return `${meta.slice(0, -1)}${meta.length > 2 ? "," : ""}"features":${this.layerText(layer.id)}}`;
      });
      // A placeholder no JSON string can contain unescaped marks where the layers go.
      const slot = '"layers":"\\u0000layers"';
      const meta = JSON.stringify({ ...this.doc, layers: "\u0000layers" });
      const at = meta.indexOf(slot);
      return `${meta.slice(0, at)}"layers":[${layers.join(",")}]${meta.slice(at + slot.length)}`;
    }

    /* Internals */

    touchedLayerIds(scope) {
      if (!scope) return this.doc.layers.map((layer) => layer.id);
      return [...new Set(scope.layers || [])];
    }

    /* An edit's patch as it starts: what its scope names, as it is before the change. */
    begin(label, scope, merge) {
      const entry = { label, merge, scope, features: [], layers: [], meta: null, size: 0 };
      for (const feature of (scope && scope.features) || []) {
        if (!feature || entry.features.some((patch) => patch.feature === feature)) continue;
        entry.features.push({ feature, before: JSON.stringify(feature), after: null });
      }
      const featuresOnly = scope && !scope.layers && !scope.options;
      if (!featuresOnly) {
        // The document without features; the layers as they were, by reference, in case the
        // change removes one its scope did not name.
        entry.meta = { before: metaJSON(this.doc), after: null };
        entry.arrays = new Map(this.doc.layers.map((layer) => [layer.id, layer.features]));
        for (const id of this.touchedLayerIds(scope)) {
          const layer = this.layer(id);
          entry.layers.push({ id, before: layer ? this.currentSnapshot(layer) : null, after: null });
        }
      }
      return entry;
    }

    /* The same patch once the change is made: the after side, versions, the layer index. */
    finish(entry) {
      const touched = new Set();
      for (const patch of entry.features) {
        patch.after = JSON.stringify(patch.feature);
        this.touch(patch.feature);
        const layer = this.layerOf(patch.feature);
        if (layer) touched.add(layer.id);
      }
      if (entry.meta) {
        entry.meta.after = metaJSON(this.doc);
        const named = new Set(entry.layers.map((patch) => patch.id));
        for (const layer of this.doc.layers) {
          layer.features = layer.features || [];
          // A new layer nobody listed in the scope is part of the change too.
          if (!named.has(layer.id) && !entry.arrays.has(layer.id)) entry.layers.push({ id: layer.id, before: null, after: null });
        }
        for (const patch of entry.layers) {
          const layer = this.layer(patch.id);
          if (!layer) continue;
          if (!patch.before || !sameAsSnapshot(layer, patch.before)) {
            this.registerLayer(layer);
            patch.after = layerSnapshot(layer);
            this.touchDiffering(patch.before, patch.after);
            touched.add(patch.id);
          } else {
            patch.after = patch.before; // its settings changed, not its features
          }
        }
      }
      for (const id of touched) this.bump(id);
      for (const patch of entry.layers) {
        if (patch.after && this.layer(patch.id)) this.snapshots.set(patch.id, { version: this.layerVersion(patch.id), snapshot: patch.after });
      }
      entry.size = this.entrySize(entry);
      entry.arrays = entry.meta ? entry.arrays : null;
    }

    /* The layer's snapshot, the one of its last patch while the layer has not changed since. */
    currentSnapshot(layer) {
      const cached = this.snapshots.get(layer.id);
      if (cached && cached.version === this.layerVersion(layer.id)) return cached.snapshot;
      const snapshot = layerSnapshot(layer);
      this.snapshots.set(layer.id, { version: this.layerVersion(layer.id), snapshot });
      return snapshot;
    }

    entrySize(entry) {
      let size = 64;
      for (const patch of entry.features) size += 2 * (patch.before.length + patch.after.length);
      if (entry.meta) size += 2 * (entry.meta.before.length + entry.meta.after.length);
      for (const patch of entry.layers) {
        size += snapshotBytes(patch.before);
        if (patch.after !== patch.before) size += snapshotBytes(patch.after);
      }
      return size;
    }

    /* One more arrow press of a move in a row: its after side replaces the last entry's. */
    mergeInto(last, entry) {
      if (entry.meta || last.meta || entry.features.length !== last.features.length) return false;
      const patches = last.features.map((patch, index) => [patch, entry.features[index]]);
      if (patches.some(([old, next]) => old.feature !== next.feature)) return false;
      for (const [old, next] of patches) old.after = next.after;
      last.size = this.entrySize(last);
      return true;
    }

    /* Keep the history within its bounds: the oldest edits go first (the last one stays). */
    recount() {
      const total = (entries) => entries.reduce((sum, entry) => sum + entry.size, 0);
      this.historySize = total(this.undoStack) + total(this.redoStack);
      while (this.undoStack.length > 1 && (this.undoStack.length > this.historyLimit || this.historySize > this.historyBytes)) {
        this.historySize -= this.undoStack.shift().size;
      }
    }

    bump(id) {
      this.versions.set(id, this.nextVersion++);
      this.dirtyLayers.add(id);
    }

    registerLayer(layer) {
      for (const feature of layer.features) this.featureLayer.set(feature, layer.id);
    }

    /* Put one side ("before" or "after") of an entry back into the document. */
    restore(entry, side) {
      const touched = new Set(); // layers whose features change
      const edited = new Set(); // layers where a feature changes in place
      if (entry.meta) {
        const current = new Map(this.doc.layers.map((layer) => [layer.id, layer]));
        const patches = new Map(entry.layers.map((patch) => [patch.id, patch[side]]));
        const restored = JSON.parse(entry.meta[side]);
        for (const layer of restored.layers) {
          const snapshot = patches.get(layer.id);
          if (snapshot) {
            layer.features = snapshot.features.slice();
            snapshot.features.forEach((feature, index) => {
              feature.geometry = snapshot.geometries[index];
              const properties = snapshot.properties[index];
              feature.properties = isObject(properties) ? { ...properties } : properties;
            });
            this.registerLayer(layer);
            this.snapshots.set(layer.id, { version: -1, snapshot });
            const patch = entry.layers.find((p) => p.id === layer.id);
            if (patch.before !== patch.after) touched.add(layer.id);
            this.touchDiffering(patch[side === "after" ? "before" : "after"], snapshot);
          } else if (current.has(layer.id)) {
            layer.features = current.get(layer.id).features;
          } else {
            // A layer the edit removed without naming it: its features as they were.
            layer.features = (entry.arrays && entry.arrays.get(layer.id)) || [];
            this.registerLayer(layer);
            touched.add(layer.id);
          }
        }
        this.doc = restored;
      }
      for (const patch of entry.features) {
        assignInPlace(patch.feature, JSON.parse(patch[side]));
        this.touch(patch.feature);
        const layer = this.layerOf(patch.feature);
        if (layer) edited.add(layer.id);
      }
      for (const id of [...touched, ...edited]) this.bump(id);
      for (const [id, cached] of [...this.snapshots]) {
        if (cached.version === -1 && !edited.has(id)) this.snapshots.set(id, { version: this.layerVersion(id), snapshot: cached.snapshot });
        else if (cached.version === -1 || touched.has(id) || edited.has(id)) this.snapshots.delete(id);
      }
      for (const id of [...this.versions.keys()]) if (!this.layer(id)) this.texts.delete(id);
      this.keepSelectionValid();
    }

    /* What an undo or redo of `entry` changed, as a scope for the listeners. */
    changeScope(entry) {
      const features = entry.features.map((patch) => patch.feature);
      if (!entry.meta) return { features };
      return { layers: this.doc.layers.map((layer) => layer.id), features, options: true };
    }

    selectionIndex() {
      const layer = this.layer(this.selection.layerId);
      return layer && { layerId: layer.id, index: layer.features.indexOf(this.selection.feature) };
    }

    reselect(selected) {
      const layer = selected && this.layer(selected.layerId);
      const feature = layer && layer.features[selected.index];
      this.select(feature || null);
    }

    keepSelectionValid() {
      if (!this.selection) return;
      const layer = this.layerOf(this.selection.feature);
      if (!layer || !layer.features.includes(this.selection.feature)) this.select(null);
      else if (layer.id !== this.selection.layerId) this.select(this.selection.feature);
    }
  }

  /* Panels: other modules plug into the editor's containers by name. */
  function registerPanel(name, factory) {
    panels.set(name, factory);
    document.dispatchEvent(new CustomEvent("wagtail-umap-editor:panel", { detail: { name } }));
  }

  /* Mount panel `name` into `container`; returns its handle ({update, destroy}) or null when no
   * such panel is registered. */
  function mountPanel(name, state, container, context = {}) {
    const factory = panels.get(name);
    if (!factory) return null;
    container.hidden = false;
    try {
      return factory(state, container, state.strings, context) || {};
    } catch (error) {
      console.error(error);
      return null;
    }
  }

  window.wagtailUmapEditor = Object.assign(window.wagtailUmapEditor || {}, {
    createState: (doc, options) => new EditorState(doc, options),
    EditorState,
    registerPanel,
    mountPanel,
    hasPanel: (name) => panels.has(name),
  });
})();
