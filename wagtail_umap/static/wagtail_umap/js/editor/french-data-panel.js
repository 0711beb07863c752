/* Map editor panel "french-data", in the import panel (docs/live-data.md):
 *
 * - geocode a CSV of addresses with the Base Adresse Nationale: the file's header is read here,
 *   the agent ticks the address columns and picks the optional postcode, commune and INSEE code
 *   columns; the server geocodes in a background job (editor/french_data.py) whose progress
 *   shows as a large import's, and the result merges as an import (new layer, or into the layer
 *   chosen above), its notes listing the rows not found and the rows to review;
 * - add the outline of a commune, EPCI, département or région: a combobox (ARIA 1.2 pattern:
 *   arrows, Enter, Escape) of the server's suggestions, then "Add the outline".
 * Mounted by editor.js with context {editor, config: the widget's frenchData}.
 */
(function () {
  "use strict";

  const api = window.wagtailUmapEditor;
  if (!api || !api.registerPanel || !api.panelKit) return;
  const P = api.panelKit;

  const GUESSES = {
    columns: /^(adresse|address|addr|rue|voie|num(e|é)ro|lieu)/i,
    postcode: /^(cp|code.?postal|postcode|zip)/i,
    city: /^(commune|ville|city|localit)/i,
    citycode: /^(insee|code.?insee|citycode|code.?commune)/i,
  };

  function csrfToken() {
    const field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  /* The header's cells: the separator most used on the first line, quotes honoured. */
  function headerOf(text) {
    const line = text.replace(/^\ufeff/, "").split(/\r?\n/)[0] || "";
    const counts = [";", ",", "\t", "|"].map((sep) => [sep, line.split(sep).length]);
    const sep = counts.sort((a, b) => b[1] - a[1])[0][0];
    const cells = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (c === '"') {
        if (quoted && line[i + 1] === '"') { cell += '"'; i += 1; } else quoted = !quoted;
      } else if (c === sep && !quoted) { cells.push(cell.trim()); cell = ""; } else cell += c;
    }
    cells.push(cell.trim());
    // The server gives duplicate or empty names the same unique names (formats/csv.py).
    const seen = new Map();
    return cells.map((name, index) => {
      let unique = name || `column_${index + 1}`;
      const count = seen.get(unique) || 0;
      seen.set(unique, count + 1);
      if (count) unique = `${unique}_${count + 1}`;
      return unique;
    });
  }

  function frenchDataPanel(state, container, _strings, context) {
    const editor = context.editor;
    const config = context.config || {};
    const s = config.strings || {};
    let file = null;
    let header = [];
    let suggestions = [];
    let active = -1;
    let chosen = null;
    let timer = null;
    let asked = 0;

    async function runImport(filename, request) {
      const tools = api;
      editor.importErrors.replaceChildren();
      editor.announce(editor.t("importing", { name: filename }));
      let status;
      let payload;
      try {
        const response = await request();
        status = response.status;
        payload = await response.json();
        if (status === 202 && payload.job) {
          ({ status, payload } = await tools.pollJob(payload.job, (job) => editor.showImportProgress(filename, job)));
        }
      } catch (error) {
        return editor.showImportErrors([editor.t("import_network_error")]);
      } finally {
        if (editor.importProgress) editor.importProgress.remove();
      }
      if (status !== 200 || !payload || !payload.document) {
        return editor.showImportErrors((payload && payload.errors) || [editor.t("import_failed")]);
      }
      editor.mergeImport(filename, payload);
      const notes = payload.notes || [];
      if (notes.length) {
        editor.importPanel.open = true;
        editor.importErrors.append(P.el("div", { className: "help-block help-warning", "data-umap-geocode-notes": "" }, [
          P.el("p", { text: s.geocode_notes }),
          P.el("ul", {}, notes.map((note) => P.el("li", { text: note }))),
        ]));
      }
    }

    /* --- geocoding --- */

    function columnChoice(key, label, guess) {
      const id = P.uid(`geocode-${key}`);
      const select = P.el("select", { id, "data-umap-geocode": key }, [
        P.el("option", { value: "", text: s.geocode_none }),
        ...header.map((name) => P.el("option", { value: name, text: name })),
      ]);
      select.value = header.find((name) => guess.test(name)) || "";
      return P.el("div", { className: "umap-editor__field" }, [P.el("label", { for: id, text: label }), select]);
    }

    function geocodeGroup() {
      const fileId = P.uid("geocode-file");
      const hintId = P.uid("geocode-hint");
      const input = P.el("input", { type: "file", id: fileId, accept: ".csv,.tsv,.txt,text/csv", "aria-describedby": hintId, "data-umap-geocode-file": "" });
      const area = P.el("div", { className: "umap-geocode__columns" });
      input.addEventListener("change", async () => {
        file = input.files[0] || null;
        header = file ? headerOf(await file.slice(0, 65536).text()) : [];
        area.replaceChildren(...columnsPart());
      });
      return P.el("fieldset", { className: "umap-panel__group umap-geocode", "data-umap-panel": "geocode" }, [
        P.el("legend", { text: s.geocode_legend }),
        P.el("p", { className: "help", id: hintId, text: s.geocode_hint }),
        P.el("div", { className: "umap-editor__field" }, [P.el("label", { for: fileId, text: s.geocode_file }), input]),
        area,
      ]);
    }

    function columnsPart() {
      if (!file || !header.length) return [];
      const boxes = P.el("fieldset", { className: "umap-panel__group", "data-umap-geocode-columns": "" }, [
        P.el("legend", { text: s.geocode_columns }),
        ...header.map((name) => {
          const box = P.el("input", { type: "checkbox", value: name });
          box.checked = GUESSES.columns.test(name);
          return P.el("label", { className: "umap-editor__inline" }, [box, document.createTextNode(` ${name}`)]);
        }),
      ]);
      const error = P.el("p", { className: "error-message", role: "alert", hidden: true, text: s.geocode_no_column });
      const run = P.el("button", { type: "button", className: "button button-small", "data-umap-geocode-run": "", text: s.geocode_run });
      const selects = {
        postcode: columnChoice("postcode", s.geocode_postcode, GUESSES.postcode),
        city: columnChoice("city", s.geocode_city, GUESSES.city),
        citycode: columnChoice("citycode", s.geocode_citycode, GUESSES.citycode),
      };
      run.addEventListener("click", () => {
        const columns = [...boxes.querySelectorAll("input:checked")].map((box) => box.value);
        error.hidden = columns.length > 0;
        if (!columns.length) return;
        const pick = (key) => selects[key].querySelector("select").value;
        const choice = { columns, postcode: pick("postcode"), city: pick("city"), citycode: pick("citycode") };
        const body = new FormData();
        body.append("file", file, file.name);
        body.append("choice", JSON.stringify(choice));
        body.append("options", JSON.stringify(state.doc.options || {}));
        runImport(file.name, () => fetch(config.geocodeUrl, {
          method: "POST", body, credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        }));
      });
      return [boxes, selects.postcode, selects.city, selects.citycode, error, P.el("p", { className: "umap-editor__actions" }, [run])];
    }

    /* --- outlines --- */

    function outlineGroup() {
      const levelId = P.uid("outline-level");
      const level = P.el("select", { id: levelId, "data-umap-outline-level": "" }, (config.levels || []).map((item) => P.el("option", { value: item.id, text: item.label })));
      const inputId = P.uid("outline-query");
      const listId = P.uid("outline-list");
      const hintId = P.uid("outline-hint");
      const input = P.el("input", {
        type: "text", id: inputId, role: "combobox", autocomplete: "off", "aria-autocomplete": "list",
        "aria-expanded": "false", "aria-controls": listId, "aria-describedby": hintId, "data-umap-outline-query": "",
      });
      const list = P.el("ul", { id: listId, role: "listbox", className: "umap-outline__list", hidden: true, "aria-label": s.outline_query });
      const live = P.el("p", { className: "umap-outline__status", role: "status" });
      const error = P.el("p", { className: "error-message", role: "alert", hidden: true, text: s.outline_choose });
      const add = P.el("button", { type: "button", className: "button button-small", "data-umap-outline-add": "", text: s.outline_add });

      function close() {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
        active = -1;
      }
      function show() {
        list.replaceChildren(...suggestions.map((item, index) => {
          const option = P.el("li", { role: "option", id: `${listId}-${index}`, "aria-selected": index === active ? "true" : "false", text: item.label });
          option.addEventListener("mousedown", (event) => { event.preventDefault(); choose(index); });
          return option;
        }));
        list.hidden = !suggestions.length;
        input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
        if (active >= 0) input.setAttribute("aria-activedescendant", `${listId}-${active}`);
        else input.removeAttribute("aria-activedescendant");
      }
      function choose(index) {
        chosen = { ...suggestions[index], level: level.value };
        input.value = suggestions[index].label;
        error.hidden = true;
        close();
      }
      async function ask() {
        const query = input.value.trim();
        const ticket = (asked += 1);
        if (query.length < 2) { suggestions = []; show(); return; }
        const url = `${config.outlinesUrl}?${new URLSearchParams({ level: level.value, q: query })}`;
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        const answer = await response.json();
        if (ticket !== asked) return; // an older answer
        suggestions = answer.results || [];
        active = -1;
        show();
        live.textContent = suggestions.length ? P.format(s.outline_count, { count: suggestions.length }) : s.outline_none;
      }
      input.addEventListener("input", () => {
        chosen = null;
        clearTimeout(timer);
        timer = setTimeout(ask, 250);
      });
      input.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          if (!suggestions.length) return;
          event.preventDefault();
          const step = event.key === "ArrowDown" ? 1 : -1;
          active = (active + step + suggestions.length) % suggestions.length;
          show();
        } else if (event.key === "Enter") {
          event.preventDefault(); // never submit Wagtail's form from here
          if (!list.hidden && active >= 0) choose(active);
          else if (chosen) add.click();
        } else if (event.key === "Escape" && !list.hidden) {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      });
      input.addEventListener("blur", () => setTimeout(close, 150));
      level.addEventListener("change", () => { chosen = null; suggestions = []; show(); });
      add.addEventListener("click", () => {
        if (!chosen) { error.hidden = false; input.focus(); return; }
        const body = new URLSearchParams({ level: chosen.level, code: chosen.code });
        const label = chosen.label;
        runImport(label, () => fetch(config.outlineUrl, {
          method: "POST", body, credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        }));
      });
      return P.el("fieldset", { className: "umap-panel__group umap-outline", "data-umap-panel": "outline" }, [
        P.el("legend", { text: s.outline_legend }),
        P.el("div", { className: "umap-editor__field" }, [P.el("label", { for: levelId, text: s.outline_level }), level]),
        P.el("div", { className: "umap-editor__field umap-outline__combo" }, [
          P.el("label", { for: inputId, text: s.outline_query }), input, list,
          P.el("p", { className: "help", id: hintId, text: s.outline_hint }),
        ]),
        live, error, P.el("p", { className: "umap-editor__actions" }, [add]),
      ]);
    }

    container.replaceChildren(geocodeGroup(), outlineGroup());
    return { destroy() { clearTimeout(timer); container.replaceChildren(); } };
  }

  api.registerPanel("french-data", frenchDataPanel);
})();
