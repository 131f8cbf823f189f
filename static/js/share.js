/* Sharing on the owner's page: a copy button beside each selectable link or snippet
   ([data-copy-target] names the field), and a click in the field selects all of it. Without
   this file the buttons stay hidden and the field can be selected by hand. The owner panel
   is replaced over the socket when the poll changes, so the buttons are shown again after
   every live message and the handlers sit on the document. */
(function ($) {
  "use strict";

  function showCopyButtons() {
    $("[data-copy-target]").prop("hidden", false);
  }

  function copy() {
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
  }

  $(document).on("click", "[data-copy-target]", copy);
  $(document).on("focus click", "[data-copy-source]", function () { this.select(); });
  $(function () {
    showCopyButtons();
    document.body.addEventListener("htmx:wsAfterMessage", showCopyButtons);
  });
})(jQuery);
