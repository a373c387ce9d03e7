(function () {
  "use strict";
  document.querySelectorAll("[data-reuse]").forEach(function (box) {
    var picker = box.querySelector(".picker");
    var select = box.querySelector("select");
    var panels = box.querySelectorAll(".pair");
    if (!picker || !select) { return; }
    function show() {
      panels.forEach(function (p) { p.hidden = p.id !== select.value; });
    }
    picker.hidden = false;
    select.addEventListener("change", show);
    show();
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    var opened = false;
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) { p.open = true; opened = true; }
      if (p.classList && p.classList.contains("pair") && p.hidden) { p.hidden = false; opened = true; }
    }
    if (el && opened) { el.scrollIntoView({ block: "center" }); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
