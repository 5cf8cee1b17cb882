// Small behaviours; everything works without them.
document.addEventListener("change", function (event) {
  // "select all" in bulk tables
  if (event.target.matches("input[data-select-all]")) {
    var table = event.target.closest("table");
    table.querySelectorAll("input[name=hit_ids]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  }
});
document.body.addEventListener("htmx:configRequest", function (event) {
  // Every HTMX request carries the session's CSRF token.
  var meta = document.querySelector("meta[name=csrf-token]");
  if (meta) { event.detail.headers["X-CSRF-Token"] = meta.content; }
});
