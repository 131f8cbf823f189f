/* The projector view (/polls/{slug}/present): keys, and fitting everything on one screen. */
(function ($) {
  "use strict";

  var $body = $("body");

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

  $(function () {
    bindKeys();
    fitResults();
    $(window).on("resize", fitResults);
    document.body.addEventListener("htmx:wsAfterMessage", fitResults);
  });
})(jQuery);
