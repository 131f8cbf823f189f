/* The create form's projector preview ([data-projector-preview]): the question and the
   responses as they are typed, on the projector's own screen in small, fitted the way the
   projector fits itself (static/js/projector_fit.js). Blank boxes are ignored, as the server
   ignores them. Without this file the preview stays hidden. */
(function ($) {
  "use strict";

  var PLACEHOLDER_QUESTION = pageText("your_question");

  function responses() {
    return $("#choice-inputs input[name='choices']").map(function () {
      return this.value.trim();
    }).get().filter(function (label) { return label !== ""; });
  }

  function update() {
    var $preview = $("[data-projector-preview]");
    var question = ($("#question").val() || "").trim();
    var labels = responses();
    if (!labels.length) { labels = [pageText("response", { number: 1 }), pageText("response", { number: 2 })]; }
    $preview.find(".present-question").text(question || PLACEHOLDER_QUESTION)
      .toggleClass("preview-placeholder", !question);
    $preview.find(".choice").each(function (index) {
      $(this).prop("hidden", index >= labels.length).find(".choice-label").text(labels[index] || "");
    });
    $preview.find(".choices").toggleClass("many", labels.length > 6);
    $(document).trigger("crowdsource:fit");
  }

  $(function () {
    var $preview = $("[data-projector-preview]");
    if (!$preview.length) { return; }
    $preview.prop("hidden", false);
    $("#poll-form").on("input", update);
    $("#add-choice").on("click", function () { setTimeout(update, 0); });
    update();
  });
})(jQuery);
