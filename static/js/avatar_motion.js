/* Voters' avatars move instead of jumping when a live update rearranges them (FLIP: remember
   where each img.voter was before a socket message, animate from there after it); a new
   voter's avatar pops in. Nothing moves for people who prefer reduced motion. */
(function ($) {
  "use strict";

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var avatarPositions = {};

  function rememberAvatars() {
    avatarPositions = {};
    $("img.voter").each(function () {
      avatarPositions[this.id] = this.getBoundingClientRect();
    });
  }

  function animateAvatars() {
    if (reduceMotion) { return; }
    $("img.voter").each(function () {
      var before = avatarPositions[this.id];
      var $avatar = $(this);
      if (!before) {
        $avatar.removeClass("voter-enter");
        void this.offsetWidth; /* restart the animation */
        $avatar.addClass("voter-enter");
        return;
      }
      var after = this.getBoundingClientRect();
      var dx = before.left - after.left;
      var dy = before.top - after.top;
      if (Math.abs(dx) < 1 && Math.abs(dy) < 1) { return; }
      $avatar.removeClass("voter-moving").css("transform", "translate(" + dx + "px," + dy + "px)");
      void this.offsetWidth;
      $avatar.addClass("voter-moving").css("transform", "");
    });
  }

  $(function () {
    document.body.addEventListener("htmx:wsBeforeMessage", rememberAvatars);
    document.body.addEventListener("htmx:wsAfterMessage", animateAvatars);
    $(document).on("animationend", "img.voter", function () { $(this).removeClass("voter-enter"); });
    $(document).on("transitionend", "img.voter", function () { $(this).removeClass("voter-moving"); });
  });
})(jQuery);
