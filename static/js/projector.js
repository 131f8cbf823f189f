/* The projector view (/polls/{slug}/present): its keys. Fitting the screen is
   static/js/projector_fit.js's.
   Everyone: f full screen, t light/dark. The poll's owner also: c close voting, + one more
   minute, r reveal the results; each key sends its hidden form ([data-owner-key]) in the
   background, so the projector stays in full screen, and the change comes back over the
   socket like any other. Keys are ignored while typing in a field. */
(function ($) {
  "use strict";

  var $body = $("body");
  var SENDING = pageText("sending");
  var FAILED = pageText("failed");

  function say(text) {
    $("[data-owner-key-status]").text(text);
  }

  function sendOwnerForm(form) {
    say(SENDING);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual" /* the 303 back to the poll page is the answer; no need to load it */
    }).then(function (response) {
      say(response.type === "opaqueredirect" || response.ok ? "" : FAILED);
    }, function () { say(FAILED); });
  }

  function ownerForm(key) {
    var forms = document.querySelectorAll("[data-owner-key]");
    for (var i = 0; i < forms.length; i += 1) {
      if (forms[i].getAttribute("data-owner-key") === key) { return forms[i]; }
    }
    return null;
  }

  function bindKeys() {
    $(document).on("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || $(event.target).is("input, textarea, select")) { return; }
      var key = event.key === "=" ? "+" : event.key; /* + shares its key with = on most layouts */
      var form = ownerForm(key);
      if (form) {
        event.preventDefault();
        sendOwnerForm(form);
      } else if (key === "f") {
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
      } else if (key === "t") {
        var dark = !$body.hasClass("theme-dark");
        $body.toggleClass("theme-dark", dark).toggleClass("theme-light", !dark);
      }
    });
  }

  $(bindKeys);
})(jQuery);
