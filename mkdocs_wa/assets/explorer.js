/* mkdocs-wa decision explorer: filters and sortable columns for the table of
   architecture/explorer/. No library, no network; the page is complete without it. */
(function () {
  "use strict";
  function setup() {
    var form = document.querySelector("form.wa-filters");
    var wrap = document.querySelector(".wa-explorer");
    if (!form || !wrap || form.dataset.ready) return;
    var table = wrap.querySelector("table");
    if (!table) return;
    form.dataset.ready = "1";
    form.hidden = false;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var count = form.querySelector(".wa-filter-count");
    function facets(row) {
      return row.dataset;  /* data-status, data-tag...: "|" between values */
    }
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var data = facets(row);
        var ok = selects.every(function (s) {
          if (!s.value) return true;
          return (data[s.dataset.facet] || "").split("|").indexOf(s.value) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (count) count.textContent = shown + " of " + rows.length + " shown";
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.setAttribute("aria-sort", "none");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "wa-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
          return (up ? 1 : -1) * x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);  /* Material's instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
