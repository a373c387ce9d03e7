// copydesk web desk: optional niceties only; every page reads without JavaScript.
(function () {
  "use strict";
  // A link to a sentence or claim inside a folded section opens the section.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    var opened = false;
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) { p.open = true; opened = true; }
    }
    if (el && opened) { el.scrollIntoView({ block: "center" }); }
  }
  window.addEventListener("hashchange", reveal);
  document.addEventListener("DOMContentLoaded", reveal);
})();
