/* The embed (/polls/{slug}/embed) tells the page around it how tall it is, at load, after
   every live update and whenever it resizes, so the snippet's script can size the iframe
   (message {type: "crowdsource:height", height}). Outside a frame it does nothing. */
(function ($) {
  "use strict";

  function reportHeight() {
    if (window.parent === window) { return; }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "crowdsource:height", height: height }, "*");
  }

  $(function () {
    reportHeight();
    document.body.addEventListener("htmx:wsAfterMessage", reportHeight);
    if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  });
})(jQuery);
