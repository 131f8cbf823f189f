/* A guest's name is remembered on this device (localStorage): typed once, in the poll page's
   one-submit vote form or a "Join as a guest" form, it fills the next one
   ([data-remember-name]). The vote panel can be replaced over the socket, so the fields are
   filled again after every live message. Without this file the name is typed each time. */
(function ($) {
  "use strict";

  var NAME_KEY = "crowdsource:guest-name";

  function remember(name) {
    try { window.localStorage.setItem(NAME_KEY, name); } catch (ignored) { /* storage off */ }
  }

  function remembered() {
    try { return window.localStorage.getItem(NAME_KEY) || ""; } catch (ignored) { return ""; }
  }

  function fillNames() {
    var name = remembered();
    $("[data-remember-name]").each(function () {
      if (!this.value && name) { this.value = name; }
    });
  }

  $(function () {
    fillNames();
    $(document).on("submit", "form", function () {
      $(this).find("[data-remember-name]").each(function () {
        var name = this.value.trim();
        if (name) { remember(name); }
      });
    });
    document.body.addEventListener("htmx:wsAfterMessage", fillNames);
  });
})(jQuery);
