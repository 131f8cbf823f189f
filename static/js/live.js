/* The live connection of a poll page, projector or embed (#poll-live, htmx's ws extension):
   its state in #poll-live[data-live], a reconnect after a proxy's 1001, a notice while the
   results may be behind, a vote form that posts plainly while the socket is down and keeps
   a response picked but not sent when the full state replaces it, a scale's pushed mean
   and median on #results, and how long a dropped socket waits before each new try.
   Without this file the socket still works; a dropped one simply stays dropped. */
(function ($) {
  "use strict";

  var RECONNECT_ALSO_ON = [1001]; /* proxies send "going away" when they drain */
  var RECONNECTS_BY_ITSELF = [1006, 1011, 1012, 1013]; /* what htmx's ws extension retries */
  var NORMAL_CLOSURE = 1000;
  var NOTICE_DELAY_MS = 1500; /* a quick reconnect is not worth a notice */
  var FIRST_RETRY_MS = 1000;
  var LONGEST_RETRY_MS = 8000; /* the extension's own "full-jitter" grows to 64 s */
  var RECONNECTING = pageText("reconnecting");
  var STOPPED = pageText("stopped");
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

  /* Full jitter (a room of phones does not come back all at once after a restart) with a
     ceiling of 8 s, where the extension's own grows to 64 s: a projector left waiting
     through a minute-long outage is back within seconds of the server, not a minute later. */
  function retrySoonAfterAnOutage() {
    htmx.config.wsReconnectDelay = function (retryCount) {
      var ceiling = Math.min(FIRST_RETRY_MS * Math.pow(2, retryCount), LONGEST_RETRY_MS);
      return ceiling * Math.random();
    };
  }

  /* Without an open socket the vote form posts like a plain form (no JavaScript needed). */
  function fallBackToPostWhenOffline() {
    document.addEventListener("submit", function (event) {
      if (event.target.id === "vote-form" && $(liveRoot()).attr("data-live") !== "open") {
        event.stopPropagation(); /* htmx never sees it; the browser submits normally */
      }
    }, true);
  }

  /* The full state (on connect, after a reconnect) replaces the vote form. A response picked
     but not yet sent stays picked when the new form is for the same question and round: on
     a slow phone the first message can arrive after the student has tapped their answer;
     after Vote again (a new round, data-round) everyone starts from an unticked form. */
  function keepUnsentPick() {
    var picked = null;
    document.body.addEventListener("htmx:wsBeforeMessage", function () {
      var $form = $("#vote-form");
      var $checked = $form.find("input[name=choice]:checked");
      picked = $checked.length ? {
        action: $form.attr("action"),
        round: $form.attr("data-round"),
        values: $checked.map(function () { return this.value; }).get()
      } : null;
    });
    document.body.addEventListener("htmx:wsAfterMessage", function () {
      var $form = $("#vote-form");
      if (!picked || $form.attr("action") !== picked.action ||
          $form.attr("data-round") !== picked.round) { return; }
      $form.find("input[name=choice]").each(function () {
        this.checked = picked.values.indexOf(this.value) >= 0;
      });
    });
  }

  /* A scale's mean and median arrive in #scale-summary (a delta never replaces #results
     itself): #results carries them too, as data-mean and data-median. */
  function mirrorScaleSummary() {
    document.body.addEventListener("htmx:oobAfterSwap", function (event) {
      if (!event.detail.target || event.detail.target.id !== "scale-summary") { return; }
      var $summary = $("#scale-summary");
      $("#results").attr({
        "data-mean": $summary.attr("data-mean"),
        "data-median": $summary.attr("data-median")
      });
    });
  }

  retrySoonAfterAnOutage();
  $(function () {
    trackSocket();
    mirrorScaleSummary();
    fallBackToPostWhenOffline();
    keepUnsentPick();
  });
})(jQuery);
