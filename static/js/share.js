/* Sharing on the owner's page: a copy button beside each selectable link or snippet
   ([data-copy-target] names the field), and a click in the field selects all of it. Without
   this file the buttons stay hidden and the field can be selected by hand. */
(function ($) {
  "use strict";

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

  $(enableCopyButtons);
})(jQuery);
