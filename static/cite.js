// The cite boxes of a document page: the reader's date as the consultation date, a copy button, and the
// citation's downloads (BibTeX, RIS, CSL-JSON) made in the page, so they carry that date too. From
// file:// as from a web server; without this script the citation is still there to select.
(function () {
  "use strict";
  var TODAY = "@today@";
  var now = new Date();
  function two(n) { return (n < 10 ? "0" : "") + n; }
  var iso = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
  var spoken = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { day: "numeric", month: "long", year: "numeric" }).format(now);
  var dated = { bib: iso, json: iso, ris: iso.replace(/-/g, "/") };

  function copy(text, status) {
    function done() { status.textContent = status.getAttribute("data-done"); }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { if (document.execCommand("copy")) { done(); } } finally { document.body.removeChild(area); }
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function download(name, text) {
    var kind = name.slice(name.lastIndexOf(".") + 1);
    var blob = new Blob([text.split(TODAY).join(dated[kind] || iso)],
      { type: kind === "json" ? "application/json" : "text/plain" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function prepare() {
    var todays = document.querySelectorAll(".citation-text .today");
    for (var i = 0; i < todays.length; i++) { todays[i].textContent = spoken; }
    var actions = document.querySelectorAll(".cite-actions");
    for (var j = 0; j < actions.length; j++) { actions[j].hidden = false; }
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button") : null;
      if (!button) { return; }
      var box = button.closest("details");
      if (button.hasAttribute("data-copy")) {
        copy(box.querySelector(".citation-text").textContent.trim(), box.querySelector(".cite-status"));
      } else if (button.hasAttribute("data-download")) {
        download(button.getAttribute("data-download"), button.getAttribute("data-text"));
      }
    });
  }
  prepare();
})();
