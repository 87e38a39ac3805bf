// Touchstone HTML report: file filter and table sorting. Inlined into the
// page; works from file:// with no network.
//
// The filter lives in the URL fragment (#filter=words&failing=1) so a
// filtered view can be linked to, and so tests can open the page filtered.
(function () {
  "use strict";
  var table = document.getElementById("file-table");
  if (!table) return;
  var input = document.getElementById("filter");
  var onlyFailing = document.getElementById("only-failing");
  var count = document.getElementById("file-count");
  var noMatch = document.getElementById("no-match");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  // Failure groups and divergence rows follow the same filter.
  var others = Array.prototype.slice.call(document.querySelectorAll("details.fgroup, table.divergences tbody tr"));

  function isFilterHash(hash) {
    return /^#(filter|failing)=/.test(hash);
  }

  function readHash() {
    if (!isFilterHash(location.hash)) return;
    var params = new URLSearchParams(location.hash.slice(1));
    input.value = params.get("filter") || "";
    onlyFailing.checked = params.get("failing") === "1";
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (input.value) params.set("filter", input.value);
    if (onlyFailing.checked) params.set("failing", "1");
    var text = params.toString();
    if (text) {
      history.replaceState(null, "", "#" + text);
    } else if (isFilterHash(location.hash)) {
      history.replaceState(null, "", location.pathname + location.search);
    }
  }

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var failingOnly = onlyFailing.checked;
    var matches = function (path) {
      path = (path || "").toLowerCase();
      return words.every(function (w) { return path.indexOf(w) >= 0; });
    };
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row.dataset.path) && (!failingOnly || row.dataset.failing === "1");
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    others.forEach(function (el) { el.hidden = !matches(el.dataset.path); });
    count.textContent = "Showing " + shown + " of " + rows.length + " files";
    noMatch.hidden = shown !== 0;
  }

  function onInput() {
    apply();
    writeHash();
  }

  input.addEventListener("input", onInput);
  onlyFailing.addEventListener("change", onInput);
  window.addEventListener("hashchange", function () {
    if (isFilterHash(location.hash)) {
      readHash();
      apply();
    }
    openTarget();
  });

  // A link to a folded failure group unfolds it.
  function openTarget() {
    if (isFilterHash(location.hash) || location.hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === "DETAILS") target.open = true;
  }

  // Sorting: numbers compare by their data-sort value, text by content.
  var sortState = { col: -1, dir: 1 };
  function cellValue(row, col, numeric) {
    var cell = row.cells[col];
    if (!cell) return numeric ? -Infinity : "";
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    return numeric ? parseFloat(raw) : raw.toLowerCase();
  }
  Array.prototype.forEach.call(table.querySelectorAll("th.sortable"), function (th) {
    th.addEventListener("click", function () {
      var col = parseInt(th.dataset.col, 10);
      var numeric = th.dataset.type === "num";
      sortState.dir = sortState.col === col ? -sortState.dir : (numeric ? -1 : 1);
      sortState.col = col;
      var dir = sortState.dir;
      var sorted = rows.slice().sort(function (a, b) {
        var x = cellValue(a, col, numeric), y = cellValue(b, col, numeric);
        if (x < y) return -dir;
        if (x > y) return dir;
        return 0;
      });
      var body = table.tBodies[0];
      sorted.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(table.querySelectorAll("th.sortable"), function (other) {
        other.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    });
  });

  readHash();
  apply();
  openTarget();
})();
