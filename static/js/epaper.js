// 数字报: zoom the page image in steps (the regions scale with it). Without this
// script the page still fits the screen and the browser's own pinch zoom works.
(function () {
  "use strict";
  var STEPS = [1, 1.5, 2, 3];
  document.addEventListener("DOMContentLoaded", function () {
    var controls = document.querySelector(".epaper-zoom");
    var sheet = document.querySelector(".sheet");
    if (!controls || !sheet) return;
    var step = 0;
    controls.hidden = false;
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) return;
      step = Math.max(0, Math.min(STEPS.length - 1, step + (button.dataset.zoom === "in" ? 1 : -1)));
      sheet.style.setProperty("--zoom", STEPS[step]);
    });
  });
})();
