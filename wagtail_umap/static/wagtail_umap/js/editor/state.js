/* The map editor's state: the map document, the selection, and an undo/redo history.
 *
 * Every edit goes through `state.apply(label, mutator, scope)`. The history keeps, per edit, the
 * JSON of the parts the edit touched (the document without features, and the features of the
 * touched layers), so undoing a change to one feature of a 5,000-feature layer does not copy the
 * other layers. Layers nobody edited are saved as their stored `data` reference, not re-sent.
 *
 * Exposes `window.wagtailUmapEditor` with `createState` and the panel plug-in registry
 * (documented in the project's editor API notes).
 */
(function () {
  "use strict";

  const HISTORY_LIMIT = 100;
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
      this.selection = null;
      this.readOnly = false;
      this.emitter = createEmitter();
      this.featureLayer = new WeakMap();
      this.featureIds = new WeakMap();
      this.nextFeatureId = 1;
      this.layerJSON = new Map();
      for (const layer of this.doc.layers) this.cacheLayer(layer);
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
      const before = merging ? last.before : this.snapshot(this.touchedLayerIds(scope));
      mutator(this.doc);
      const after = this.recordLayers(this.touchedLayerIds(scope));
      if (merging) {
        last.label = label;
        last.after = { meta: metaJSON(this.doc), layers: after };
      } else {
        this.undoStack.push({ label, before, after: { meta: metaJSON(this.doc), layers: after }, merge: options.merge || null });
      }
      if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
      this.redoStack = [];
      this.keepSelectionValid();
      this.emitter.emit("change", { label, scope, source: "edit" });
    }

    undo() {
      const entry = this.undoStack.pop();
      if (!entry) return false;
      this.restore(entry.before);
      this.redoStack.push(entry);
      this.emitter.emit("change", { label: entry.label, scope: null, source: "undo" });
      return true;
    }

    redo() {
      const entry = this.redoStack.pop();
      if (!entry) return false;
      this.restore(entry.after);
      this.undoStack.push(entry);
      this.emitter.emit("change", { label: entry.label, scope: null, source: "redo" });
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
        return `${meta.slice(0, -1)}${meta.length > 2 ? "," : ""}"features":${this.layerJSON.get(layer.id)}}`;
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
      const ids = new Set(scope.layers || []);
      for (const feature of scope.features || []) {
        const layer = this.layerOf(feature);
        if (layer) ids.add(layer.id);
      }
      return [...ids];
    }

    snapshot(layerIds) {
      const layers = {};
      for (const id of layerIds) {
        if (this.layerJSON.has(id)) layers[id] = this.layerJSON.get(id);
      }
      return { meta: metaJSON(this.doc), layers };
    }

    /* Re-cache the touched layers (those still there) and return their JSON. */
    recordLayers(layerIds) {
      const layers = {};
      for (const id of layerIds) {
        const layer = this.layer(id);
        if (!layer) continue;
        layer.features = layer.features || [];
        this.cacheLayer(layer);
        this.dirtyLayers.add(id);
        layers[id] = this.layerJSON.get(id);
      }
      // A new layer nobody listed in the scope still needs its cache.
      for (const layer of this.doc.layers) {
        if (!this.layerJSON.has(layer.id)) {
          layer.features = layer.features || [];
          this.cacheLayer(layer);
          this.dirtyLayers.add(layer.id);
          layers[layer.id] = this.layerJSON.get(layer.id);
        }
      }
      return layers;
    }

    cacheLayer(layer) {
      this.layerJSON.set(layer.id, JSON.stringify(layer.features));
      for (const feature of layer.features) this.featureLayer.set(feature, layer.id);
    }

    restore({ meta, layers }) {
      const current = new Map(this.doc.layers.map((layer) => [layer.id, layer]));
      const selected = this.selection && this.selectionIndex();
      const restored = JSON.parse(meta);
      for (const layer of restored.layers) {
        if (layers[layer.id] !== undefined) {
          layer.features = JSON.parse(layers[layer.id]);
          this.dirtyLayers.add(layer.id);
        } else if (current.has(layer.id)) {
          layer.features = current.get(layer.id).features;
        } else {
          // A layer the edit removed, whose features were not snapshotted: cannot happen when
          // the scope named it; keep the layer empty rather than fail.
          layer.features = [];
        }
        this.cacheLayer(layer);
      }
      for (const id of [...this.layerJSON.keys()]) {
        if (!restored.layers.some((layer) => layer.id === id)) this.layerJSON.delete(id);
      }
      this.doc = restored;
      this.reselect(selected);
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
