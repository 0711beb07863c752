/* The style panel's pictogram picker: the library of pictograms (core/pictograms.py, Maki's
 * icons) searched by French and English keywords, accents and case ignored.
 *
 * A search field, the pictograms found as a group of buttons (the arrow keys move between
 * them, Home and End reach the first and last; Tab leaves the group), the chosen one shown
 * with its name and a button that removes it; an editor's own icon (a Wagtail image, or an
 * SVG document) through Wagtail's choosers. The catalogue comes from the server
 * (`state.config.panels.pictogramLibrary`); choosing writes the style's `icon` through the
 * panel's own `setKey` (one undoable edit).
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor || !editor.panelKit) return;
  const P = editor.panelKit;
  const SHOWN_MAX = 48; // pictograms listed at once: a search narrows the rest
  const COLUMNS = 4; // the grid's columns (up and down arrows move by a row)

  function normalise(text) {
    return String(text || "")
      .toLowerCase()
      .replace(/œ/g, "oe")
      .replace(/æ/g, "ae")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  /* The pictograms every word of `query` begins a word of (as core/pictograms.search). */
  function search(library, query) {
    const words = normalise(query).split(" ").filter(Boolean);
    return library.filter((item) => {
      const terms = item.terms.split(" ");
      return words.every((word) => terms.some((term) => term.startsWith(word)));
    });
  }

  /* options: {label, help, strings, library, value(), choose(name|undefined)} → {element, refresh} */
  function pictogramPicker(options) {
    const { strings, library } = options;
    const byName = new Map(library.map((item) => [item.name, item]));
    const input = P.el("input", { type: "search", autocomplete: "off", spellcheck: "false", className: "umap-icons__search" });
    const searchField = P.field(strings.style_icon_search, input, strings.style_icon_search_help);
    const results = P.el("div", { className: "umap-icons__results", role: "group", "aria-label": strings.style_icon_results });
    const count = P.el("p", { className: "umap-panel__hint umap-icons__count", "aria-live": "polite" });
    const chosenImage = P.el("img", { className: "umap-icons__chosen-image", alt: "", hidden: true });
    const chosenText = P.el("span", { className: "umap-icons__chosen-text" });
    const remove = P.el("button", { type: "button", className: "button button-small button-secondary umap-icons__remove", text: strings.style_icon_remove });
    const chosen = P.el("p", { className: "umap-icons__chosen" }, [chosenImage, chosenText]);
    const own = ownIconButtons();
    const element = P.el("fieldset", { className: "umap-panel__group umap-icons", "data-umap-style": "icons" }, [
      P.el("legend", { text: options.label }),
      options.help ? P.el("p", { className: "umap-panel__hint", text: options.help }) : null,
      chosen,
      remove,
      searchField,
      count,
      results,
      own,
    ]);
    let buttons = [];
    let lastQuery = null;

    remove.addEventListener("click", () => {
      options.choose(undefined);
      input.focus();
    });
    input.addEventListener("input", () => draw());
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault(); // never submit Wagtail's form from here
      if (event.key === "ArrowDown" && buttons.length) {
        event.preventDefault();
        focusButton(0);
      }
    });
    results.addEventListener("keydown", (event) => {
      const index = buttons.indexOf(document.activeElement);
      if (index < 0) return;
      const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
      let next = null;
      if (event.key in moves) next = index + moves[event.key];
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = buttons.length - 1;
      else return;
      event.preventDefault();
      if (next < 0 && event.key === "ArrowUp") {
        input.focus(); // back to the search from the first row
        return;
      }
      focusButton(Math.max(0, Math.min(buttons.length - 1, next)));
    });

    /* An editor's own icon, through Wagtail's choosers (upload included): an image, or an SVG
     * document (cleaned by the server whenever it is served, viewer/icons.py). */
    function ownIconButtons() {
      const choosers = options.choosers || {};
      if (!options.iconView) return null;
      const buttons = [];
      const add = (kind, text) => {
        const ModalClass = kind === "image" ? window.ImageChooserModal : window.DocumentChooserModal;
        if (!ModalClass || !choosers[kind]) return;
        const button = P.el("button", { type: "button", className: "button button-small button-secondary umap-icons__own", "data-umap-own-icon": kind, text });
        button.addEventListener("click", () => {
          new ModalClass(choosers[kind]).open({}, (data) => {
            const file = String((data && (data.filename || data.url || data.title)) || "");
            if (kind === "document" && !/\.svg$/i.test(file)) {
              P.announce(element, strings.style_icon_not_svg);
              return;
            }
            if (data && data.id) options.choose(`${kind}:${data.id}`);
            button.focus();
          });
        });
        buttons.push(button);
      };
      add("image", strings.style_icon_own_image);
      add("document", strings.style_icon_own_svg);
      if (!buttons.length) return null;
      return P.el("div", { className: "umap-icons__own-row" }, [
        P.el("p", { className: "umap-panel__hint", text: strings.style_icon_own_help }),
        ...buttons,
      ]);
    }

    function focusButton(index) {
      buttons.forEach((button, position) => button.setAttribute("tabindex", position === index ? "0" : "-1"));
      buttons[index].focus();
    }

    function draw() {
      const query = input.value;
      if (query === lastQuery) return;
      lastQuery = query;
      const found = search(library, query);
      const current = options.value();
      buttons = found.slice(0, SHOWN_MAX).map((item) => {
        const button = P.el("button", {
          type: "button",
          className: "umap-icons__choice",
          "data-umap-icon": item.name,
          "aria-pressed": item.name === current ? "true" : "false",
          tabindex: "-1",
        }, [P.el("img", { src: item.url, alt: "", width: 20, height: 20 }), P.el("span", { text: item.label })]);
        button.addEventListener("click", () => {
          options.choose(item.name);
          button.focus();
        });
        return button;
      });
      if (buttons.length) buttons[0].setAttribute("tabindex", "0");
      results.replaceChildren(...buttons);
      count.textContent = found.length
        ? P.format(strings.style_icon_found, { count: found.length })
        : strings.style_icon_none_found;
    }

    function refresh() {
      const current = options.value();
      const item = byName.get(current);
      const ownUrl = !item && /^(image|document):\d+$/.test(current) && options.iconView ? `${options.iconView}?icon=${encodeURIComponent(current)}` : "";
      if (item) chosenText.textContent = P.format(strings.style_icon_chosen, { name: item.label });
      else chosenText.textContent = ownUrl ? strings.style_icon_own_chosen : strings.style_icon_nothing_chosen;
      chosenImage.hidden = !item && !ownUrl;
      if (item || ownUrl) chosenImage.src = item ? item.url : ownUrl;
      remove.disabled = !item && !ownUrl;
      for (const button of buttons) button.setAttribute("aria-pressed", button.dataset.umapIcon === current ? "true" : "false");
    }

    draw();
    refresh();
    return { element, refresh };
  }

  editor.pictogramPicker = pictogramPicker;
  editor.pictogramSearch = search;
})();
