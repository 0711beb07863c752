/* Map editor panel "table": a layer's features as a spreadsheet.
 *
 * Names and properties are edited in cells (one undoable edit per committed cell), columns sort
 * (the view only: the layer's order is kept), rows are deleted, and "show" selects the feature
 * on the map. Only one page of rows is in the DOM, so a 5,000-feature layer stays instant.
 * Keyboard: Tab through cells, Up/Down move in a column, Enter commits and goes down. Each
 * property column's "⋮" button opens its menu: rename, change the type, delete (tools.js).
 */
(function () {
  "use strict";

  const editor = window.wagtailUmapEditor;
  if (!editor || !editor.panelKit) return;
  const P = editor.panelKit;

  const NAME = "name";
  const GEOMETRY = "__geometry";
  const HIDDEN_PROPERTIES = new Set(["name", "description"]);

  function tablePanel(state, container, strings, context) {
    const config = (state.config && state.config.panels) || {};
    const pageSize = config.tablePageSize || 50;
    const view = { sortColumn: null, descending: false, page: 0, filter: "" };
    const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
    // Numbers are shown and typed the page's way ("0,31" in French), at their full precision.
    const decimalMark = (0.5).toLocaleString(document.documentElement.lang || undefined).charAt(1);
    let rows = [];
    let columns = [];

    const layer = () => state.layer(context.layerId);

    // --- data --------------------------------------------------------------------------------

    function propertyColumns(features) {
      const seen = new Set();
      for (const feature of features) {
        for (const key of Object.keys((feature.properties) || {})) {
          if (!key.startsWith("_") && !HIDDEN_PROPERTIES.has(key)) seen.add(key);
        }
      }
      return [...seen];
    }

    function cellValue(feature, column) {
      if (column === GEOMETRY) return geometryLabel(feature);
      const value = (feature.properties || {})[column];
      if (value === null || value === undefined) return "";
      if (typeof value === "number") return String(value).replace(".", decimalMark);
      return typeof value === "object" ? JSON.stringify(value) : String(value);
    }

    function geometryLabel(feature) {
      const type = feature.geometry && feature.geometry.type;
      return strings[`geometry_${type}`] || type || "";
    }

    function sortKey(feature, column) {
      const value = column === GEOMETRY ? geometryLabel(feature) : (feature.properties || {})[column];
      return value === undefined || value === null ? "" : value;
    }

    function compare(a, b) {
      if (typeof a === "number" && typeof b === "number") return a - b;
      if (a === "" && b !== "") return 1; // empty cells last, whichever the direction
      if (b === "" && a !== "") return -1;
      return collator.compare(String(a), String(b));
    }

    /* The rows in view order: filtered, then sorted (stable, so equal keys keep layer order). */
    function computeRows() {
      const current = layer();
      const features = current ? current.features : [];
      columns = [NAME, GEOMETRY, ...propertyColumns(features)];
      let list = features;
      const needle = view.filter.trim().toLocaleLowerCase();
      if (needle) {
        list = list.filter((feature) => columns.some((column) => cellValue(feature, column).toLocaleLowerCase().includes(needle)));
      }
      if (view.sortColumn && columns.includes(view.sortColumn)) {
        const keyed = list.map((feature, index) => ({ feature, index, key: sortKey(feature, view.sortColumn) }));
        const sign = view.descending ? -1 : 1;
        keyed.sort((x, y) => {
          const order = compare(x.key, y.key);
          if (x.key === "" || y.key === "") return order || x.index - y.index;
          return sign * order || x.index - y.index;
        });
        list = keyed.map((entry) => entry.feature);
      } else {
        list = list.slice();
      }
      rows = list;
      const lastPage = Math.max(0, Math.ceil(rows.length / pageSize) - 1);
      view.page = Math.min(view.page, lastPage);
    }

    function columnLabel(column) {
      if (column === NAME) return strings.table_name;
      if (column === GEOMETRY) return strings.table_geometry;
      return column;
    }

    function rowName(feature) {
      return state.featureName(feature) || strings.unnamed || "—";
    }

    // --- edits -------------------------------------------------------------------------------

    function commitCell(feature, column, input) {
      const text = input.value;
      const properties = feature.properties || {};
      const before = properties[column];
      let value = text;
      const number = typeof before === "number" && text.trim() !== "" ? editor.tools.parseNumber(text) : null;
      if (number !== null) value = number;
      else if (before !== undefined && typeof before === "object" && before !== null) {
        try {
          value = JSON.parse(text);
        } catch (error) {
          value = text;
        }
      }
      const unchanged = value === before || (text === "" && (before === undefined || before === null));
      if (unchanged) return;
      state.apply(
        strings.table_edited,
        () => {
          feature.properties = feature.properties || {};
          if (text === "" && column !== NAME) delete feature.properties[column];
          else feature.properties[column] = value;
        },
        { features: [feature] },
      );
    }

    function deleteRow(feature) {
      const name = rowName(feature);
      const id = context.layerId;
      state.apply(
        P.format(strings.table_deleted, { name }),
        () => {
          const target = state.layer(id);
          const index = target.features.indexOf(feature);
          if (index >= 0) target.features.splice(index, 1);
        },
        { layers: [id] },
      );
    }

    function addColumn(name) {
      const key = name.trim();
      if (!key) return;
      if (columns.includes(key) || HIDDEN_PROPERTIES.has(key) || key.startsWith("_")) {
        P.announce(container, P.format(strings.table_column_exists, { name: key }));
        return;
      }
      const current = layer();
      if (!current || !current.features.length) return;
      state.apply(
        P.format(strings.table_column_added, { name: key }),
        () => {
          for (const feature of state.layer(current.id).features) {
            feature.properties = feature.properties || {};
            feature.properties[key] = "";
          }
        },
        { layers: [current.id] },
      );
    }

    // --- DOM ---------------------------------------------------------------------------------

    const captionId = P.uid("table-caption");
    const table = P.el("table", { className: "umap-table__grid", "aria-describedby": `${captionId}-help` });
    const caption = P.el("caption", { id: captionId });
    const thead = P.el("thead");
    const tbody = P.el("tbody");
    table.append(caption, thead, tbody);
    const pager = P.el("nav", { className: "umap-table__pager" });
    const pageText = P.el("span", { className: "umap-table__range", "aria-live": "polite" });
    const buttons = {};
    for (const [name, label] of [
      ["first", strings.table_first],
      ["prev", strings.table_prev],
      ["next", strings.table_next],
      ["last", strings.table_last],
    ]) {
      buttons[name] = P.el("button", { type: "button", className: "button button-small button-secondary", text: label });
      buttons[name].addEventListener("click", () => goTo(name));
    }
    pager.setAttribute("aria-label", strings.table_pages);
    pager.append(buttons.first, buttons.prev, pageText, buttons.next, buttons.last);

    const filter = P.el("input", { type: "search", className: "umap-table__filter" });
    filter.addEventListener("input", () => {
      view.filter = filter.value;
      view.page = 0;
      render();
    });
    const newColumn = P.el("input", { type: "text", className: "umap-table__new-column" });
    const addColumnButton = P.el("button", { type: "button", className: "button button-small button-secondary", text: strings.table_add_column });
    addColumnButton.addEventListener("click", () => {
      addColumn(newColumn.value);
      newColumn.value = "";
    });
    newColumn.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        addColumnButton.click();
      }
    });
    const emptyText = P.el("p", { className: "umap-table__empty", text: strings.table_empty, hidden: true });
    const tools = P.el("div", { className: "umap-table__tools" }, [
      P.field(strings.table_filter, filter),
      P.el("div", { className: "umap-table__add" }, [P.field(strings.table_column_name, newColumn), addColumnButton]),
    ]);
    // The column menu (rename, retype, delete): a disclosure under the tools, opened by the
    // "⋮" button of a property column's heading (tools.js holds the logic).
    const columnTools = editor.tools && editor.tools.renameColumn ? editor.tools : null;
    const columnPanel = P.el("div", { className: "umap-table__column-panel", id: P.uid("column-panel"), role: "group", hidden: true });
    let menuColumn = null;
    const root = P.el("section", { className: "umap-panel umap-table", "data-umap-panel": "table", "aria-labelledby": captionId }, [
      P.el("p", { id: `${captionId}-help`, className: "umap-panel__hint", text: strings.table_help }),
      tools,
      columnPanel,
      emptyText,
      P.el("div", { className: "umap-table__scroll" }, [table]),
      pager,
    ]);
    container.append(root);

    function goTo(where) {
      const lastPage = Math.max(0, Math.ceil(rows.length / pageSize) - 1);
      view.page = { first: 0, prev: view.page - 1, next: view.page + 1, last: lastPage }[where];
      view.page = Math.max(0, Math.min(lastPage, view.page));
      render();
    }

    function renderHead() {
      const row = P.el("tr");
      for (const column of columns) {
        const th = P.el("th", { scope: "col" });
        const sorted = view.sortColumn === column;
        th.setAttribute("aria-sort", sorted ? (view.descending ? "descending" : "ascending") : "none");
        const button = P.el("button", { type: "button", className: "umap-table__sort", "data-column": column }, [
          P.el("span", { text: columnLabel(column) }),
          P.el("span", { className: "umap-table__sort-mark", "aria-hidden": "true", text: sorted ? (view.descending ? " ▼" : " ▲") : "" }),
        ]);
        button.title = P.format(strings.table_sort_by, { column: columnLabel(column) });
        button.addEventListener("click", () => {
          view.descending = view.sortColumn === column ? !view.descending : false;
          view.sortColumn = column;
          render();
          const template = view.descending ? strings.table_sorted_descending : strings.table_sorted_ascending;
          P.announce(container, P.format(template, { column: columnLabel(column) }));
          const again = thead.querySelector(`button[data-column="${CSS.escape(column)}"]`);
          if (again) again.focus();
        });
        th.append(button);
        if (column !== NAME && column !== GEOMETRY && columnTools) th.append(columnMenuButton(column));
        row.append(th);
      }
      row.append(P.el("th", { scope: "col", text: strings.table_actions }));
      thead.replaceChildren(row);
    }

    // --- column menu: rename, retype, delete ---------------------------------------------------

    function columnMenuButton(column) {
      const open = menuColumn === column && !columnPanel.hidden;
      const label = P.format(strings.table_column_menu, { column });
      const button = P.el("button", {
        type: "button",
        className: "umap-table__column-menu",
        "data-column-menu": column,
        "aria-label": label,
        "aria-expanded": open ? "true" : "false",
        "aria-controls": columnPanel.id,
      }, [P.el("span", { "aria-hidden": "true", text: "⋮" })]);
      button.title = label;
      button.addEventListener("click", () => (open ? closeColumnMenu(true) : openColumnMenu(column)));
      return button;
    }

    function focusMenuButton(column) {
      const button = thead.querySelector(`button[data-column-menu="${CSS.escape(column)}"]`);
      if (button) button.focus();
      else filter.focus();
    }

    function closeColumnMenu(focus) {
      const column = menuColumn;
      columnPanel.hidden = true;
      columnPanel.replaceChildren();
      menuColumn = null;
      renderHead();
      if (focus && column) focusMenuButton(column);
    }

    function openColumnMenu(column) {
      const current = layer();
      if (!current) return;
      menuColumn = column;
      const headingId = `${columnPanel.id}-heading`;
      columnPanel.setAttribute("aria-labelledby", headingId);
      const error = P.el("p", { className: "umap-panel__error", id: `${columnPanel.id}-error`, hidden: true });
      const report = P.el("div", { className: "umap-table__retype-report", role: "alert" });
      const nameInput = P.el("input", { type: "text", className: "umap-table__column-rename", value: column, "aria-describedby": error.id });
      const renameButton = P.el("button", { type: "button", className: "button button-small", text: strings.table_column_rename });
      renameButton.addEventListener("click", () => renameColumn(column, nameInput, error));
      nameInput.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault(); // not Wagtail's form
        renameButton.click();
      });
      const kinds = [["text", strings.table_column_type_text], ["number", strings.table_column_type_number], ["boolean", strings.table_column_type_boolean]];
      const typeSelect = P.el("select", { className: "umap-table__column-type" },
        kinds.map(([value, label]) => P.el("option", { value, text: label })));
      typeSelect.value = columnTools.columnType(current, column);
      const retypeButton = P.el("button", { type: "button", className: "button button-small button-secondary", text: strings.table_column_retype });
      retypeButton.addEventListener("click", () => retypeColumn(column, typeSelect.value, report));
      const deleteButton = P.el("button", { type: "button", className: "button button-small no", text: P.format(strings.table_column_delete, { column }) });
      deleteButton.addEventListener("click", () => deleteColumn(column));
      const close = P.el("button", { type: "button", className: "button button-small button-secondary", text: strings.table_column_menu_close });
      close.addEventListener("click", () => closeColumnMenu(true));
      columnPanel.replaceChildren(
        P.el("h4", { id: headingId, text: P.format(strings.table_column_heading, { column }) }),
        P.el("div", { className: "umap-table__column-row" }, [P.field(strings.table_column_new_name, nameInput), renameButton]),
        error,
        P.el("div", { className: "umap-table__column-row" }, [P.field(strings.table_column_type, typeSelect, strings.table_column_type_help), retypeButton]),
        report,
        P.el("div", { className: "umap-table__column-row" }, [deleteButton, close]),
      );
      columnPanel.hidden = false;
      renderHead();
      nameInput.focus();
      nameInput.select();
    }

    function renameColumn(from, input, error) {
      const current = layer();
      const to = input.value.trim();
      const problem = current ? columnTools.columnNameProblem(current, from, to) : "table_column_name_empty";
      error.hidden = !problem;
      input.setAttribute("aria-invalid", problem ? "true" : "false");
      if (problem) {
        error.textContent = P.format(strings[problem], { column: to });
        input.focus();
        return;
      }
      state.apply(
        P.format(strings.table_column_renamed, { from, to }),
        () => columnTools.renameColumn(state.layer(current.id), from, to),
        { layers: [current.id] },
      );
      if (view.sortColumn === from) view.sortColumn = to;
      menuColumn = to;
      closeColumnMenu(true);
    }

    function retypeColumn(column, kind, report) {
      const current = layer();
      if (!current) return;
      const words = { yes: strings.table_column_yes, no: strings.table_column_no };
      const plan = columnTools.planRetype(current, column, kind, words);
      const typeName = { text: strings.table_column_type_text, number: strings.table_column_type_number, boolean: strings.table_column_type_boolean }[kind];
      report.replaceChildren();
      if (plan.failures.length) {
        // Said with their rows before anything changes; the agent may still cancel.
        const items = plan.failures.slice(0, 20).map((failure) => P.el("li", {
          text: P.format(strings.table_column_cannot_convert, {
            row: failure.row,
            name: state.featureName(failure.feature, current) || strings.unnamed || "—",
            value: typeof failure.value === "object" ? JSON.stringify(failure.value) : String(failure.value),
            type: typeName,
          }),
        }));
        if (plan.failures.length > 20) items.push(P.el("li", { text: P.format(strings.table_column_more_failures, { count: plan.failures.length - 20 }) }));
        report.append(
          P.el("p", { text: P.format(strings.table_column_failures, { count: plan.failures.length, type: typeName }) }),
          P.el("ul", {}, items),
        );
        const question = P.format(strings.table_column_retype_confirm, { count: plan.failures.length, type: typeName, column });
        if (!window.confirm(question)) {
          P.announce(container, strings.table_column_retype_cancelled);
          return;
        }
      }
      if (!plan.changes.length) {
        P.announce(container, P.format(strings.table_column_retype_nothing, { column, type: typeName }));
        return;
      }
      state.apply(
        P.format(strings.table_column_retyped, { column, type: typeName, count: plan.changes.length }),
        () => {
          for (const [feature, value] of plan.changes) feature.properties[column] = value;
        },
        { layers: [current.id] },
      );
    }

    function deleteColumn(column) {
      const current = layer();
      if (!current) return;
      const count = current.features.filter((feature) => feature.properties && Object.hasOwn(feature.properties, column)).length;
      if (!window.confirm(P.format(strings.table_column_delete_confirm, { column, count }))) return;
      state.apply(
        P.format(strings.table_column_deleted, { column }),
        () => columnTools.deleteColumn(state.layer(current.id), column),
        { layers: [current.id] },
      );
      if (view.sortColumn === column) view.sortColumn = null;
      closeColumnMenu(false);
      filter.focus();
    }

    columnPanel.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault(); // closes the menu, not the table
      closeColumnMenu(true);
    });

    function renderBody() {
      const selected = state.selection && state.selection.feature;
      const start = view.page * pageSize;
      const fragment = document.createDocumentFragment();
      rows.slice(start, start + pageSize).forEach((feature, offset) => {
        const id = state.featureId(feature);
        const tr = P.el("tr", { "data-feature-id": id, "data-row": start + offset });
        if (feature === selected) tr.classList.add("umap-table__row--selected");
        const name = rowName(feature);
        for (const column of columns) {
          if (column === GEOMETRY) {
            tr.append(P.el("td", { text: geometryLabel(feature) }));
            continue;
          }
          const input = P.el("input", {
            type: "text",
            className: "umap-table__cell",
            value: cellValue(feature, column),
            "data-column": column,
            "aria-label": `${columnLabel(column)} — ${name}`,
          });
          input.addEventListener("change", () => commitCell(feature, column, input));
          input.addEventListener("keydown", (event) => cellKeys(event, input));
          const cell = column === NAME ? P.el("th", { scope: "row" }, [input]) : P.el("td", {}, [input]);
          tr.append(cell);
        }
        // Visible "Show", heard "Show <name>": the spoken name starts with the visible text.
        const show = P.el("button", { type: "button", className: "button button-small button-secondary umap-table__show" }, [
          strings.table_show_short,
          P.el("span", { className: "umap-panel__sr", text: ` ${name}` }),
        ]);
        show.addEventListener("click", () => state.select(feature));
        const remove = P.el("button", { type: "button", className: "button button-small no umap-table__delete", "aria-label": P.format(strings.table_delete, { name }) }, [
          P.el("span", { "aria-hidden": "true", text: "✕" }),
        ]);
        remove.title = P.format(strings.table_delete, { name });
        remove.addEventListener("click", () => deleteRow(feature));
        tr.append(P.el("td", { className: "umap-table__actions" }, [show, remove]));
        fragment.append(tr);
      });
      tbody.replaceChildren(fragment);
    }

    function cellKeys(event, input) {
      const moves = { ArrowDown: 1, ArrowUp: -1, Enter: 1 };
      if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault(); // Enter must not submit Wagtail's form
      // Find the next row after committing: the edit re-renders the rows.
      const position = Number(input.closest("tr").dataset.row) + moves[event.key];
      const column = input.dataset.column;
      if (event.key === "Enter") input.dispatchEvent(new Event("change"));
      const target = tbody.querySelector(`tr[data-row="${position}"]`);
      const next = target && target.querySelector(`input[data-column="${CSS.escape(column)}"]`);
      if (next) {
        next.focus();
        next.select();
      }
    }

    function render() {
      const focus = rememberFocus();
      computeRows();
      if (menuColumn && !columns.includes(menuColumn)) {
        columnPanel.hidden = true; // the column went (an undo): its menu goes too
        columnPanel.replaceChildren();
        menuColumn = null;
      }
      const current = layer();
      caption.textContent = P.format(strings.table_caption, { name: current ? current.name : "" });
      renderHead();
      renderBody();
      const count = rows.length;
      const from = count ? view.page * pageSize + 1 : 0;
      const to = Math.min(count, (view.page + 1) * pageSize);
      pageText.textContent = P.format(strings.table_rows, { from, to, count });
      const lastPage = Math.max(0, Math.ceil(count / pageSize) - 1);
      buttons.first.disabled = buttons.prev.disabled = view.page === 0;
      buttons.next.disabled = buttons.last.disabled = view.page >= lastPage;
      pager.hidden = count <= pageSize;
      emptyText.hidden = Boolean(current && current.features.length);
      restoreFocus(focus);
    }

    function rememberFocus() {
      const active = document.activeElement;
      if (!active || !tbody.contains(active)) return null;
      const tr = active.closest("tr");
      return { id: tr.dataset.featureId, column: active.dataset.column, row: Number(tr.dataset.row), className: active.className };
    }

    /* After a re-render, put the focus back on the same cell, or the same place if the row went. */
    function restoreFocus(focus) {
      if (!focus) return;
      let tr = tbody.querySelector(`tr[data-feature-id="${focus.id}"]`);
      if (!tr) tr = tbody.children[Math.min(focus.row - view.page * pageSize, tbody.children.length - 1)];
      if (!tr) {
        filter.focus();
        return;
      }
      const target = focus.column
        ? tr.querySelector(`input[data-column="${CSS.escape(focus.column)}"]`)
        : tr.querySelector(".umap-table__delete") || tr.querySelector("input");
      if (target) target.focus();
    }

    /* Bring the selected feature's page into view when it is selected on the map. */
    const unsubscribe = state.on("select", (selection) => {
      const feature = selection && selection.feature;
      if (feature && rows.includes(feature)) {
        view.page = Math.floor(rows.indexOf(feature) / pageSize);
      }
      render();
    });

    P.statusRegion(container);
    render();
    return {
      update: render,
      destroy() {
        unsubscribe();
        container.replaceChildren();
      },
    };
  }

  editor.registerPanel("table", tablePanel);
})();
