/* Live preview, served only by `annals serve` (never part of a built site).
   Every 300 ms it loads /__annals__/state.js as a script — the pages' Content-Security-Policy allows
   scripts from the site itself and nothing else, so no fetch() is needed. The state names the last
   successful build and the last error: a new build reloads the page, an error shows over it. */
(function () {
  "use strict";
  var seen = null;
  var overlay = null;

  function showError(message, heading) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "annals-live-error";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.left = "1rem"; s.right = "1rem"; s.bottom = "1rem"; s.zIndex = "2147483647";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.padding = "1rem 1.25rem"; s.whiteSpace = "pre-wrap";
      s.font = "14px/1.4 ui-monospace, monospace"; s.background = "#fff3f3"; s.color = "#5c0000";
      s.border = "2px solid #b00020"; s.borderRadius = "6px"; s.boxShadow = "0 4px 16px rgba(0,0,0,.25)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "annals serve: " + heading + "\n\n" + message;
  }

  window.annalsLive = function (build, error, heading) {
    if (seen === null) seen = build;
    else if (build !== seen) { window.location.reload(); return; }
    if (error) showError(error, heading);
    else if (overlay) { overlay.remove(); overlay = null; }
  };

  function poll() {
    var script = document.createElement("script");
    script.src = "/__annals__/state.js?" + Date.now();
    script.onload = script.onerror = function () { script.remove(); window.setTimeout(poll, 300); };
    document.head.appendChild(script);
  }
  poll();
})();
