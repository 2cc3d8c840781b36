// Optional helpers; every page works without this file.
// On a document page, clicking a highlighted span scrolls to its row in the facts table.
document.addEventListener("click", function (event) {
  var mark = event.target.closest ? event.target.closest("mark[data-facts]") : null;
  if (!mark) return;
  var first = mark.getAttribute("data-facts").split(" ")[0];
  var row = document.getElementById(first);
  if (row) {
    row.scrollIntoView({ behavior: "smooth", block: "center" });
    row.classList.add("current");
    setTimeout(function () { row.classList.remove("current"); }, 1500);
  }
});

// Search facets: collapsed (a <details>) on a phone; open beside the results on a wider
// screen (app.css does it where ::details-content is known; this for the other browsers).
var facets = document.getElementById("facets");
if (facets && window.matchMedia && window.matchMedia("(min-width: 721px)").matches) {
  facets.open = true;
}
