// A page that moved: go on to its new address at once, keeping the part after "#" (an event's or a
// paragraph's anchor), which the <meta http-equiv="refresh"> beside it would lose. Works from file://.
(function () {
  "use strict";
  var link = document.getElementById("moved-to");
  if (link) {
    window.location.replace(link.href + window.location.hash);
  }
})();
