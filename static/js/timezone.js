/* End times typed in a form (the create form's date, the owner panel's "reopen until") are read
   in this browser's time zone: its IANA name goes into the form's hidden `timezone` field, and
   the create form's hint names it. Without this file the server reads them as UTC. The owner
   panel is replaced over the socket when the poll changes, so the fields are filled again
   after every live message. */
(function ($) {
  "use strict";

  function fillTimeZones() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    $("#timezone, input[data-timezone]").val(zone);
    $("[data-timezone-hint]").text(pageText("time_zone_hint", { zone: zone }));
  }

  $(function () {
    fillTimeZones();
    document.body.addEventListener("htmx:wsAfterMessage", fillTimeZones);
  });
})(jQuery);
