/* The create form (#poll-form): "Add a response" adds a box in place instead of a round trip,
   a quick end time ("In 5 minutes") and a date cannot both be picked, and after a refused
   submission the list of problems takes the focus. Without this file the form does the same
   through the server. */
(function ($) {
  "use strict";

  /* The new box is like the others: the list says how many there may be (data-max) and the
     boxes the server rendered say how long a response may be (maxlength). */
  function addChoiceField(event) {
    var $list = $("#choice-inputs");
    var count = $list.children().length;
    var max = Number($list.data("max"));
    if (count >= max) { return; }
    event.preventDefault();
    var index = count + 1;
    var $item = $("<li>").append(
      $("<label>", { "class": "visually-hidden", "for": "choice-" + index, text: "Response " + index }),
      $("<input>", {
        id: "choice-" + index, name: "choices", type: "text",
        maxlength: $list.find("input[name='choices']").first().attr("maxlength")
      })
    );
    $list.append($item);
    $item.find("input").trigger("focus");
    if (index >= max) { $("#add-choice").remove(); }
  }

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
    $("#add-choice").on("click", addChoiceField);
    linkQuickChoices();
    $("#form-problems").trigger("focus");
  });
})(jQuery);
