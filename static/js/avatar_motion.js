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

  /* Every position is read first, then every avatar is set back where it was, then one
     reflow starts all their animations: reading one avatar's place after moving another
     laid the page out once per avatar (120 of them on an owner's page, per message). */
  function animateAvatars() {
    if (reduceMotion) { return; }
    var entering = [];
    var moving = [];
    $("img.voter").each(function () {
      var before = avatarPositions[this.id];
      if (!before) { entering.push(this); return; }
      var after = this.getBoundingClientRect();
      var dx = before.left - after.left;
      var dy = before.top - after.top;
      if (Math.abs(dx) >= 1 || Math.abs(dy) >= 1) { moving.push([this, dx, dy]); }
    });
    if (!entering.length && !moving.length) { return; }
    $(entering).removeClass("voter-enter"); /* restarts the pop of an avatar put back */
    $.each(moving, function (_, move) {
      $(move[0]).removeClass("voter-moving").css("transform", "translate(" + move[1] + "px," + move[2] + "px)");
    });
    void document.body.offsetWidth; /* one reflow: each starts from where it was */
    $(entering).addClass("voter-enter");
    $.each(moving, function (_, move) { $(move[0]).addClass("voter-moving").css("transform", ""); });
  }

  $(function () {
    document.body.addEventListener("htmx:wsBeforeMessage", rememberAvatars);
    document.body.addEventListener("htmx:wsAfterMessage", animateAvatars);
    $(document).on("animationend", "img.voter", function () { $(this).removeClass("voter-enter"); });
    $(document).on("transitionend", "img.voter", function () { $(this).removeClass("voter-moving"); });
  });
})(jQuery);
