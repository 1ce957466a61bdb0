/* Timeline filter: show only the events whose paragraph names the chosen person, place or organisation.
   Without JavaScript the form stays hidden and every event shows; year pages filter by year. The choice
   is kept in the address (#entity=ID) so a filtered view can be shared. */
(function () {
  "use strict";
  // A count as the page's language words it (as in search.js).
  function counted(forms, n) {
    var language = document.documentElement.lang;
    return (forms[new Intl.PluralRules(language).select(n)] || forms.other).replace("{n}", n.toLocaleString(language));
  }

  function wire() {
    var form = document.querySelector(".timeline-filter");
    if (!form) return;
    var select = form.querySelector("select");
    var count = document.getElementById("filter-count");
    form.hidden = false;
    function apply() {
      var wanted = select.value, shown = 0;
      document.querySelectorAll(".timeline-event").forEach(function (item) {
        var names = (item.dataset.entities || "").split(" ");
        var visible = !wanted || names.indexOf(wanted) >= 0;
        item.hidden = !visible;
        if (visible) shown++;
      });
      document.querySelectorAll(".timeline-events").forEach(function (list) {
        var empty = !list.querySelector(".timeline-event:not([hidden])");
        list.hidden = empty;
        var heading = list.previousElementSibling;
        if (heading && heading.tagName === "H3") heading.hidden = empty;
      });
      document.querySelectorAll(".timeline-year").forEach(function (section) {
        section.hidden = !section.querySelector(".timeline-event:not([hidden])");
      });
      count.textContent = wanted ? counted(JSON.parse(count.dataset.shown), shown) : "";
      history.replaceState(null, "", wanted ? "#entity=" + wanted : window.location.pathname + window.location.search);
    }
    select.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var given = /^#entity=(.+)$/.exec(window.location.hash);
    if (given) { select.value = decodeURIComponent(given[1]); apply(); }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
