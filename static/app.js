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
      $("<input>", { id: "choice-" + index, name: "choices", type: "text", maxlength: 120 })
    );
    $list.append($item);
    $item.find("input").trigger("focus");
    if (index >= Number($list.data("max"))) { $("#add-choice").remove(); }
  }

  /* Owner panel: a copy button beside the selectable share link. */
  function enableCopyButtons() {
    $("[data-copy-target]").prop("hidden", false).on("click", function () {
      var $button = $(this);
      var $field = $("#" + $button.data("copy-target"));
      var done = function () {
        $button.text("Copied ✓");
        setTimeout(function () { $button.text("Copy link"); }, 2000);
      };
      $field.trigger("select");
      if (navigator.clipboard) {
        navigator.clipboard.writeText($field.val()).then(done, function () { $field.trigger("select"); });
      }
    });
    $("[data-copy-source]").on("focus click", function () { this.select(); });
  }

  $(function () {
    fillTimeZone();
    $("#add-choice").on("click", addChoiceField);
    enableCopyButtons();
    $("#form-problems").trigger("focus");
  });
})(jQuery);
