/* Sortable tables: <table class="js-sortable"> with <th data-sort="num|text">.
 *
 * Each header becomes a button; clicking sorts the body rows (ascending first, then
 * descending) and sets aria-sort. Numeric cells are read from data-value (raw numbers);
 * empty values always sort last.
 */
(function () {
  "use strict";

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return null;
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    raw = (raw || "").trim();
    if (raw === "") return null;
    if (numeric) {
      var n = parseFloat(raw);
      return isFinite(n) ? n : null;
    }
    return raw.toLocaleLowerCase();
  }

  function sortBy(table, index, numeric, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var sign = direction === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var va = cellValue(a, index, numeric);
      var vb = cellValue(b, index, numeric);
      if (va === null && vb === null) return 0;
      if (va === null) return 1;
      if (vb === null) return -1;
      if (numeric) return sign * (va - vb);
      return sign * va.localeCompare(vb);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function setup(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var type = th.getAttribute("data-sort");
      if (!type) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      var icon = document.createElement("span");
      icon.className = "sort-icon";
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(icon);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", next);
        sortBy(table, index, type === "num", next);
        var status = table.parentNode.querySelector(".sort-status");
        if (status) {
          status.textContent = "Sorted by " + button.textContent.trim() + ", " + next + ".";
        }
      });
    });
  }

  window.EQUALS.ready(function () {
    document.querySelectorAll("table.js-sortable").forEach(setup);
  });
})();
