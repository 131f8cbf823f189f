/* The words of the page's scripts, in the page's language (#page-text, written by the server:
   web/page_text.py). pageText("count", {length: 3, max: 280}) fills the %(name)s slots; a
   message with plural forms picks the form of `count` by the page language's plural rules. */
(function () {
  "use strict";
  var texts = null;

  function load() {
    if (texts === null) {
      var holder = document.getElementById("page-text");
      try { texts = holder ? JSON.parse(holder.textContent) : {}; } catch (error) { texts = {}; }
    }
    return texts;
  }

  window.pageText = function (key, values) {
    var message = load()[key];
    values = values || {};
    if (message && typeof message === "object") {
      var lang = document.documentElement.lang || "en";
      var category = new Intl.PluralRules(lang).select(Number(values.count));
      message = message[category] || message.other || "";
    }
    return String(message || "").replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  };

  /* The server writes times in this browser's time zone from the next page on. */
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      document.cookie = "crowdsource_tz=" + encodeURIComponent(zone) +
        "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (error) { /* no Intl time zones: times stay in UTC */ }

  /* Times and dates as the page's language writes them, in the browser's own variant of it
     when it has one (a page in English read with en-GB writes 19:34, not 7:34 PM). */
  window.pageLanguage = function () {
    var lang = document.documentElement.lang || "en";
    var base = lang.split("-")[0].toLowerCase();
    var wanted = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < wanted.length; i += 1) {
      if (String(wanted[i]).split("-")[0].toLowerCase() === base) { return wanted[i]; }
    }
    return lang;
  };
})();
