/* Poll end times: shown in the viewer's local time, with a countdown on the SERVER's clock
   whose last ten seconds are marked.
   The page says what time the server had when it rendered (#poll-meta[data-server-now]); the
   difference to this device's clock is taken once, so a phone whose clock is wrong still
   counts down to the real close. Without this file the UTC time stays. */
(function ($) {
  "use strict";

  var offset = null; /* server time minus this device's time, in milliseconds */
  var FINAL_MS = 10000; /* the last seconds are marked (.countdown-final): hurry */

  /* When the page's first byte arrived (the moment the server wrote its time), or null when
     the page came from the browser's cache (back button) and its server time is old. */
  function pageReceivedAt() {
    var nav = window.performance && performance.getEntriesByType &&
      performance.getEntriesByType("navigation")[0];
    if (!nav) { return Date.now(); }
    if (nav.type === "back_forward" && nav.transferSize === 0) { return null; }
    var elapsed = performance.now() - nav.responseStart; /* monotonic: immune to clock jumps */
    return nav.responseStart > 0 && elapsed >= 0 && elapsed < 60000 ? Date.now() - elapsed : Date.now();
  }

  function learnOffset(receivedAt) {
    var server = Date.parse($("#poll-meta").attr("data-server-now"));
    if (!isNaN(server)) { offset = server - receivedAt; }
  }

  function serverNow() { return Date.now() + (offset || 0); }

  function sameDay(a, b) { return a.toDateString() === b.toDateString(); }

  function localText(date) {
    var time = { hour: "2-digit", minute: "2-digit" };
    if (sameDay(date, new Date())) { return date.toLocaleTimeString(pageLanguage(), time); }
    return date.toLocaleString(pageLanguage(), $.extend({ weekday: "short", day: "numeric", month: "short" }, time));
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function remainingText(ms) {
    if (ms <= 0) { return pageText("closing"); }
    var seconds = Math.ceil(ms / 1000);
    var days = Math.floor(seconds / 86400);
    if (days >= 2) { return pageText("days_left", { count: days }); }
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = two(seconds % 60);
    return pageText("time_left", { time: (hours ? hours + ":" + two(minutes) : minutes) + ":" + rest });
  }

  function localise() {
    $("time[data-local-time]:not([data-localised])").each(function () {
      var date = new Date($(this).attr("datetime"));
      if (isNaN(date.getTime())) { return; }
      $(this).attr({ "data-localised": "", title: $(this).text() }).text(localText(date));
    });
  }

  function tick() {
    if (offset === null) { learnOffset(Date.now()); } /* poll-meta arrived after load */
    localise();
    $("[data-countdown]").each(function () {
      var end = Date.parse($(this).attr("data-countdown"));
      if (isNaN(end)) { return; }
      var left = end - serverNow();
      var text = remainingText(left);
      if ($(this).text() !== text) { $(this).text(text); }
      $(this).toggleClass("countdown-final", left <= FINAL_MS).prop("hidden", false);
    });
  }

  $(function () {
    if ($("#poll-meta").length) {
      var receivedAt = pageReceivedAt();
      if (receivedAt === null) { offset = 0; } else { learnOffset(receivedAt); }
    }
    tick();
    setInterval(tick, 250);
  });
})(jQuery);
