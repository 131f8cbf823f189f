/* The host console (/r/{code}/host): asks before a question and its votes are deleted.
   Without JavaScript the delete button works at once (the question list says what it does). */
(function ($) {
  "use strict";

  $(function () {
    $(document).on("submit", "form.delete-form", function (event) {
      var question = $(this).find("[data-confirm]").attr("data-confirm");
      if (question && !window.confirm(question)) { event.preventDefault(); }
    });
  });
})(jQuery);
