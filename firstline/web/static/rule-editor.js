// The rule editor's small behaviours (htmx does the rest): remove a row, upper-case codes.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-remove]");
  if (button) {
    var row = button.closest(".node");
    if (row && !row.classList.contains("root")) { row.remove(); }
  }
});
document.addEventListener("change", function (event) {
  var input = event.target;
  if (input.matches("input.code, textarea.code")) {
    input.value = input.value.toUpperCase();
  }
});
