/* An avatar that cannot load (provider down, account deleted, offline projector) is replaced
   by the generated initials avatar named in its data-fallback attribute: no broken images.
   `error` does not bubble, so one listener on the document catches it in the capture phase;
   that also covers avatars that arrive later over the socket. */
(function ($) {
  "use strict";

  var AVATARS = "img.voter, img.avatar-sm";

  function fallBack(img) {
    var $img = $(img);
    var fallback = $img.attr("data-fallback");
    if (!fallback || $img.attr("src") === fallback) { return; }  /* never loop on a failing fallback */
    $img.attr("src", fallback);
  }

  document.addEventListener("error", function (event) {
    if ($(event.target).is(AVATARS)) { fallBack(event.target); }
  }, true);

  /* Images that failed before this script ran fired their `error` unheard. */
  $(function () {
    $(AVATARS).each(function () {
      if (this.complete && this.naturalWidth === 0) { fallBack(this); }
    });
  });
})(jQuery);
