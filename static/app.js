/* Crowdsource progressive enhancement. Every page works without this file. */
(function ($) {
  "use strict";

  /* Create form: send the browser's time zone with a local end time. */
  function fillTimeZone() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    $("#timezone").val(zone);
    $("[data-timezone-hint]").text("Your local time (" + zone + "). Leave empty to close it yourself.");
  }

  /* Create form: "Add a response" adds a box in place instead of a round trip. */
  function addChoiceField(event) {
    var $list = $("#choice-inputs");
    var count = $list.children().length;
    if (count >= Number($list.data("max"))) { return; }
    event.preventDefault();
    var index = count + 1;
    var $item = $("<li>").append(
      $("<label>", { "class": "visually-hidden", "for": "choice-" + index, text: "Response " + index }),
      $("<input>", { id: "choice-" + index, name: "choices", type: "text", maxlength: $list.data("choice-max") })
    );
    $list.append($item);
    $item.find("input").trigger("focus");
    if (index >= Number($list.data("max"))) { $("#add-choice").remove(); }
  }

  /* Owner panel: a copy button beside the selectable share link. */
  function enableCopyButtons() {
    $("[data-copy-target]").prop("hidden", false).on("click", function () {
      var $button = $(this);
      var label = $button.text();
      var $field = $("#" + $button.data("copy-target"));
      var done = function () {
        $button.text("Copied ✓");
        setTimeout(function () { $button.text(label); }, 2000);
      };
      $field.trigger("select");
      if (navigator.clipboard) {
        navigator.clipboard.writeText($field.val()).then(done, function () { $field.trigger("select"); });
      }
    });
    $("[data-copy-source]").on("focus click", function () { this.select(); });
  }

  /* ---- Live page: socket state, reconnects, avatar animation ---------------------- */

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var RECONNECT_ALSO_ON = [1001]; /* proxies send "going away" when they drain */
  var RECONNECTS_BY_ITSELF = [1006, 1011, 1012, 1013]; /* what htmx's ws extension retries */
  var NORMAL_CLOSURE = 1000;
  var NOTICE_DELAY_MS = 1500; /* a quick reconnect is not worth a notice */
  var RECONNECTING = "Reconnecting… the results shown may be behind.";
  var STOPPED = "Live updates stopped. Reload the page to see the latest results.";
  var noticeTimer = null;

  function liveRoot() { return document.getElementById("poll-live"); }

  function showConnectionNotice(text, delay) {
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () {
      $("[data-connection-notice]").text(text).prop("hidden", false);
    }, delay);
  }

  function hideConnectionNotice() {
    clearTimeout(noticeTimer);
    $("[data-connection-notice]").prop("hidden", true).text("");
  }

  function trackSocket() {
    document.body.addEventListener("htmx:wsOpen", function () {
      $(liveRoot()).attr("data-live", "open");
      hideConnectionNotice();
    });
    document.body.addEventListener("htmx:wsClose", function (event) {
      var detail = event.detail;
      var code = detail.event.code;
      $(liveRoot()).attr("data-live", "closed");
      if (!document.body.contains(detail.elt)) { return; }
      if (RECONNECT_ALSO_ON.indexOf(code) >= 0) {
        setTimeout(function () { detail.socketWrapper.reconnect(); }, 500 + Math.random() * 1500);
      }
      if (RECONNECT_ALSO_ON.indexOf(code) >= 0 || RECONNECTS_BY_ITSELF.indexOf(code) >= 0) {
        showConnectionNotice(RECONNECTING, NOTICE_DELAY_MS);
      } else if (code !== NORMAL_CLOSURE) { /* 1000: the server said why (poll deleted) */
        showConnectionNotice(STOPPED, 0);
      }
    });
  }

  /* Without an open socket the vote form posts like a plain form (no JavaScript needed). */
  function fallBackToPostWhenOffline() {
    document.addEventListener("submit", function (event) {
      if (event.target.id === "vote-form" && $(liveRoot()).attr("data-live") !== "open") {
        event.stopPropagation(); /* htmx never sees it; the browser submits normally */
      }
    }, true);
  }

  /* FLIP: remember where each avatar was before a message, animate from there after it. */
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

  function animateLiveUpdates() {
    document.body.addEventListener("htmx:wsBeforeMessage", rememberAvatars);
    document.body.addEventListener("htmx:wsAfterMessage", animateAvatars);
    $(document).on("animationend", "img.voter", function () { $(this).removeClass("voter-enter"); });
    $(document).on("transitionend", "img.voter", function () { $(this).removeClass("voter-moving"); });
  }

  $(function () {
    trackSocket();
    fallBackToPostWhenOffline();
    animateLiveUpdates();
    fillTimeZone();
    $("#add-choice").on("click", addChoiceField);
    enableCopyButtons();
    $("#form-problems").trigger("focus");
  });
})(jQuery);
