/* 大字: a reader can enlarge the text of every page; the choice is kept on this device
   (localStorage) and applied as the class "large-text" on <html> before the page is drawn.
   Loaded in <head> as a file, as the site's CSP allows no inline script. */
(function () {
  "use strict";
  var KEY = "newsroom.largeText";
  var root = document.documentElement;

  function saved() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function remember(on) {
    try {
      if (on) { window.localStorage.setItem(KEY, "1"); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage off (private mode): the choice lasts for this page only */ }
  }

  function apply(on) {
    root.classList.toggle("large-text", on);
    var buttons = document.querySelectorAll(".text-size");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].textContent = on ? "标准字" : "大字";
    }
  }

  apply(saved());
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".text-size");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var on = !root.classList.contains("large-text");
        remember(on);
        apply(on);
      });
    }
    apply(root.classList.contains("large-text"));
  });
})();
