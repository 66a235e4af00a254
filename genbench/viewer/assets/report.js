// genbench report: sortable tables, filterable task tables; a link to a sample view opens it.
// Plain DOM code, no library: it only reorders and hides rows the page already holds.
(function () {
  "use strict";

  function sortValue(row, index, numeric) {
    const cell = row.cells[index];
    const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    return raw === "" ? null : Number(raw);
  }

  function compare(a, b, numeric) {
    if (a === b) return 0;
    if (a === null) return 1; // empty cells last, either way
    if (b === null) return -1;
    return numeric ? a - b : a.localeCompare(b);
  }

  function sortBy(table, header) {
    const index = header.cellIndex;
    const numeric = header.dataset.type === "number";
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    for (const other of header.parentElement.cells) other.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows, (row, position) => ({ row, position, key: sortValue(row, index, numeric) }));
    rows.sort((x, y) => {
      const empty = (x.key === null) - (y.key === null);
      if (empty !== 0) return empty;
      const order = compare(x.key, y.key, numeric);
      return (ascending ? order : -order) || x.position - y.position;
    });
    body.append(...rows.map((entry) => entry.row));
  }

  function applyFilter(box) {
    const table = document.getElementById(box.dataset.table);
    const text = box.querySelector(".filter-text").value.trim().toLowerCase();
    const status = box.querySelector(".filter-status").value;
    const sheet = box.querySelector(".filter-sheet").value;
    let shown = 0;
    for (const row of table.tBodies[0].rows) {
      const visible = (!text || row.textContent.toLowerCase().includes(text))
        && (!status || row.dataset.status === status)
        && (!sheet || row.dataset.sheet === sheet);
      row.hidden = !visible;
      shown += visible;
    }
    box.querySelector(".shown").textContent = shown + " of " + table.tBodies[0].rows.length + " tasks";
  }

  function openFromHash() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView();
    }
  }

  for (const table of document.querySelectorAll("table.tasks, table.board, table.sortable")) {
    for (const header of table.tHead.rows[0].cells) {
      if (header.dataset.type) header.addEventListener("click", () => sortBy(table, header));
    }
  }
  for (const box of document.querySelectorAll(".filters")) {
    for (const control of box.querySelectorAll("input, select")) {
      control.addEventListener("input", () => applyFilter(box));
    }
    applyFilter(box);
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
})();
