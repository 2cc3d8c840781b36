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
