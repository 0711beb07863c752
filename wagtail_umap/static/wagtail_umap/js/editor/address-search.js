/* Map editor panel "address": the toolbar's address search (issue 19: "start where the editor
 * works").
 *
 * A combobox (WAI-ARIA 1.2 pattern: an input with role=combobox, a listbox of the places
 * found, aria-activedescendant): type an address, the site's geocoder answers after a pause
 * (or at once with Enter or ↓), ↓/↑ move through the places, Enter chooses, Escape closes the
 * list (then clears the field). Choosing centres the map on the place; with "Add a marker" on,
 * a place is dropped there too and its name field takes the focus. Counts and moves are said
 * in the editor's status line. The request and its reading are the public viewer's
 * (js/geocoder.js); the geocoder is the site's (WAGTAIL_UMAP["GEOCODER"]).
 */
(function () {
  "use strict";

  const api = window.wagtailUmapEditor;
  if (!api || !api.registerPanel) return;

  const PAUSE_MS = 350; // the typing pause before a search
  const MIN_CHARS = 3;
  let counter = 0;

  // The editor's element builder (editor.js), read when called: this file may load first.
  const h = (...args) => window.wagtailUmapEditor.h(...args);

  const format = (template, params) =>
    String(template || "").replace(/%\((\w+)\)s/g, (match, key) => (params && key in params ? String(params[key]) : match));

  function addressPanel(state, container, strings, context) {
    const { mapView, editor } = context;
    const geocoder = (state.config || {}).geocoder;
    if (!geocoder || !geocoder.url || !window.wagtailUmapGeocoder) return { destroy() {} };
    counter += 1;
    const id = `umap-address-${counter}`;
    const announce = (text) => editor.announce(text);

    const listbox = h("ul", { id: `${id}-list`, role: "listbox", class: "umap-editor__address-list", "aria-label": strings.address_results, hidden: true });
    const hint = h("span", { id: `${id}-hint`, class: "umap-editor__visually-hidden", text: strings.address_bar_hint });
    const input = h("input", {
      id: `${id}-input`,
      type: "text",
      role: "combobox",
      class: "umap-editor__input umap-editor__address-input",
      autocomplete: "off",
      spellcheck: "false",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listbox.id,
      "aria-describedby": hint.id,
      placeholder: strings.address_bar_placeholder,
      "data-focus-key": "address-bar",
    });
    let places = [];
    let active = -1;
    let pending = null;
    let timer = null;
    let lastQuery = "";

    function open(shown) {
      listbox.hidden = !shown;
      input.setAttribute("aria-expanded", String(shown));
      if (!shown) setActive(-1);
    }

    function setActive(index) {
      active = index;
      for (const [i, option] of [...listbox.children].entries()) option.setAttribute("aria-selected", String(i === index));
      if (index < 0) input.removeAttribute("aria-activedescendant");
      else {
        input.setAttribute("aria-activedescendant", `${id}-option-${index}`);
        listbox.children[index].scrollIntoView({ block: "nearest" });
      }
    }

    function show(found) {
      places = found;
      listbox.replaceChildren(...found.map((place, index) => h("li", {
        id: `${id}-option-${index}`,
        role: "option",
        class: "umap-editor__address-option",
        "aria-selected": "false",
        // The pointer chooses too; mousedown would take the focus from the field first.
        onmousedown: (event) => event.preventDefault(),
        onclick: () => choose(index),
      }, place.label)));
      open(found.length > 0);
      announce(found.length ? format(strings.address_bar_count, { count: found.length }) : strings.address_none);
    }

    /* Search now (Enter, ↓, or after the typing pause); `then` runs once the places are in. */
    async function find(then) {
      clearTimeout(timer);
      const text = input.value.trim();
      if (!text) return;
      if (text === lastQuery && places.length) {
        open(true);
        if (then) then();
        return;
      }
      if (pending) pending.abort();
      pending = new AbortController();
      lastQuery = text;
      announce(strings.address_searching);
      try {
        show(await window.wagtailUmapGeocoder.search(geocoder, text, { language: document.documentElement.lang, signal: pending.signal }));
      } catch (failure) {
        if (failure && failure.name === "AbortError") return;
        lastQuery = "";
        places = [];
        listbox.replaceChildren();
        open(false);
        announce(strings.address_error);
        return;
      }
      if (then) then();
    }

    function choose(index) {
      const place = places[index];
      if (!place) return;
      open(false);
      input.value = place.label;
      mapView.centreOn([place.lat, place.lng], Math.max(mapView.map.getZoom(), 17));
      if (mapView.drawing === "Marker" && !editor.config.readOnly) {
        // The marker tool is on: the place goes there (announced, its name field focused).
        editor.placeAtCrosshair();
        return;
      }
      announce(format(strings.address_moved, { label: place.label }));
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      if (input.value.trim().length < MIN_CHARS) return;
      timer = setTimeout(() => find(), PAUSE_MS);
    });
    input.addEventListener("keydown", (event) => {
      const key = event.key;
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        const step = key === "ArrowDown" ? 1 : -1;
        const move = () => {
          if (!places.length) return;
          open(true);
          setActive(active < 0 ? (step > 0 ? 0 : places.length - 1) : (active + step + places.length) % places.length);
        };
        if (listbox.hidden || input.value.trim() !== lastQuery) find(move);
        else move();
      } else if (key === "Enter") {
        event.preventDefault();
        if (!listbox.hidden && active >= 0) choose(active);
        else find();
      } else if (key === "Escape") {
        // Not the editor's Escape (which stops a drawing tool): the list's, then the field's.
        event.stopPropagation();
        event.preventDefault();
        if (!listbox.hidden) open(false);
        else input.value = "";
      } else if (key === "Home" || key === "End") {
        if (!listbox.hidden) setActive(-1); // back to editing the text
      }
    });
    input.addEventListener("blur", () => setTimeout(() => {
      if (document.activeElement !== input) open(false);
    }, 150));

    container.append(h("div", { class: "umap-editor__address-bar", role: "search" },
      h("label", { for: input.id, class: "umap-editor__address-label", text: strings.address_bar_label }),
      h("span", { class: "umap-editor__address-field" }, input, listbox),
      hint, " ",
      h("span", { class: "umap-editor__address-source", text: format(strings.address_source, { source: geocoder.attribution || "" }) })));

    return {
      destroy() {
        clearTimeout(timer);
        if (pending) pending.abort();
        container.replaceChildren();
      },
    };
  }

  api.registerPanel("address", addressPanel);
})();
