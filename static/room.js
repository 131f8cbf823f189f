/* Projector and embed: keys, fitting everything on one screen, telling a parent frame our height. */
(function ($) {
  "use strict";

  var $body = $("body");
  var isPresent = $body.hasClass("present");
  var isEmbed = $body.hasClass("embed");

  /* f: full screen, t: light/dark. Ignored while typing in a field. */
  function bindKeys() {
    $(document).on("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || $(event.target).is("input, textarea, select")) { return; }
      if (event.key === "f") {
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
      } else if (event.key === "t") {
        var dark = !$body.hasClass("theme-dark");
        $body.toggleClass("theme-dark", dark).toggleClass("theme-light", !dark);
      }
    });
  }

  /* The largest avatars and type that fit: a few responses fill the wall, many shrink step
     by step, and there is never a scrollbar on a projector. Each step is [avatar size in
     px, scale of the response rows]; without JavaScript the page keeps [48, 1]. */
  var FIT_STEPS = [[80, 1.6], [72, 1.45], [64, 1.3], [56, 1.15], [48, 1], [40, 1], [34, 1],
    [28, 1], [24, 0.9], [20, 0.8], [18, 0.72], [16, 0.64], [14, 0.58], [12, 0.52],
    [10, 0.46], [8, 0.4]];

  function fitResults() {
    var results = document.querySelector(".present-results");
    if (!results) { return; }
    for (var i = 0; i < FIT_STEPS.length; i += 1) {
      results.style.setProperty("--avatar", FIT_STEPS[i][0] + "px");
      results.style.setProperty("--row-scale", FIT_STEPS[i][1]);
      if (results.scrollHeight <= results.clientHeight + 1) { return; }
    }
  }

  /* The embed reports its height so the page around it can size the iframe. */
  function reportHeight() {
    if (window.parent === window) { return; }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "crowdsource:height", height: height }, "*");
  }

  $(function () {
    if (isPresent) {
      bindKeys();
      fitResults();
      $(window).on("resize", fitResults);
      document.body.addEventListener("htmx:wsAfterMessage", fitResults);
    }
    if (isEmbed) {
      reportHeight();
      document.body.addEventListener("htmx:wsAfterMessage", reportHeight);
      if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
    }
  });
})(jQuery);
