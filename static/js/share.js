/* Sharing on the owner's page: a copy button beside each selectable link or snippet
   ([data-copy-target] names the field), a click in the field selects all of it, and the
   embed's look (light, dark, transparent) picks its code. Without this file the buttons and
   the looks stay hidden, the field can be selected by hand, and the code is the light one. The owner panel
   is replaced over the socket when the poll changes, so the buttons are shown again after
   every live message and the handlers sit on the document. */
(function ($) {
  "use strict";

  function showCopyButtons() {
    $("[data-copy-target], [data-embed-themes]").prop("hidden", false);
  }

  function copy() {
    var $button = $(this);
    var label = $button.text();
    var $field = $("#" + $button.data("copy-target"));
    var done = function () {
      $button.text(pageText("copied"));
      setTimeout(function () { $button.text(label); }, 2000);
    };
    $field.trigger("select");
    if (navigator.clipboard) {
      navigator.clipboard.writeText($field.val()).then(done, function () { $field.trigger("select"); });
    }
  }

  /* The embed's look: the code of the theme picked replaces the one shown. */
  function pickEmbedTheme() {
    $("#embed-code").val($(this).attr("data-snippet"));
  }

  $(document).on("click", "[data-copy-target]", copy);
  $(document).on("change", "[data-embed-themes] input[name='embed_theme']", pickEmbedTheme);
  $(document).on("focus click", "[data-copy-source]", function () { this.select(); });
  $(function () {
    showCopyButtons();
    document.body.addEventListener("htmx:wsAfterMessage", showCopyButtons);
  });
})(jQuery);
