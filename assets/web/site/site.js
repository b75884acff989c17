/* The course site's only script: typesets the formulas with the vendored KaTeX and makes the
   transcript follow the video (each step's time button seeks; the step being spoken is marked).
   Everything works without it too: the formulas then show as LaTeX source, the video plays. */
(function () {
  "use strict";
  function typeset() {
    if (!window.katex) { return; }
    document.querySelectorAll("[data-tex]").forEach(function (el) {
      window.katex.render(el.getAttribute("data-tex"), el, { displayMode: true, throwOnError: false, output: "htmlAndMathml" });
    });
  }
  function transcript() {
    var video = document.getElementById("lesson-video");
    if (!video) { return; }
    var steps = Array.prototype.slice.call(document.querySelectorAll(".transcript li[data-start]"));
    steps.forEach(function (li) {
      var button = li.querySelector(".seek");
      button.addEventListener("click", function () {
        // just inside the step: at its exact start a player may still show the previous caption
        video.currentTime = parseFloat(li.getAttribute("data-start")) + 0.05;
        video.play();
      });
    });
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      steps.forEach(function (li) {
        var on = t >= parseFloat(li.getAttribute("data-start")) && t < parseFloat(li.getAttribute("data-end"));
        li.classList.toggle("current", on);
        if (on) { li.setAttribute("aria-current", "step"); } else { li.removeAttribute("aria-current"); }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { typeset(); transcript(); });
})();
