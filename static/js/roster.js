/* The owner's #roster: "Not answered yet" (#roster-missing-logins, to copy) follows the rows.
   A vote's update moves the rows and the count but does not send the list again (at 1,000
   members it was most of each update's bytes): after each live message the field is filled
   from the rows still marked data-answered="false", in their order, as the server writes it
   when the whole panel is sent. Without JavaScript nothing is live: the page's list is the
   one it was loaded with. */
(function ($) {
  "use strict";

  function fillMissingLogins() {
    var field = document.getElementById("roster-missing-logins");
    if (!field) { return; }
    var logins = $("#roster-list [data-answered='false']").map(function () {
      return this.getAttribute("data-member");
    }).get().join(" ");
    if (field.value !== logins) {
      field.defaultValue = logins;
      field.value = logins;
    }
  }

  $(function () {
    document.body.addEventListener("htmx:wsAfterMessage", fillMissingLogins);
  });
})(jQuery);
