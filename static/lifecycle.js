/* Poll lifecycle forms: progressive enhancement only; every form works without this file. */
(function ($) {
  "use strict";

  /* Owner panel: a new end time is read in this browser's time zone. */
  function fillTimeZones() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    $("input[data-timezone]").val(zone);
  }

  /* Create form: a quick choice ("in 5 minutes") and a date cannot both be sent. */
  function linkQuickChoices() {
    var $picker = $("#closes_at");
    $("input[name='closes_in']").on("change", function () {
      if (this.value) { $picker.val(""); }
    });
    $picker.on("input change", function () {
      if (this.value) { $("input[name='closes_in'][value='']").prop("checked", true); }
    });
  }

  $(function () {
    fillTimeZones();
    linkQuickChoices();
  });
})(jQuery);
