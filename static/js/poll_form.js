/* The create form (#poll-form): "Add a response" adds a box in place instead of a round trip,
   Enter in a response goes on to the next box (adding one only after the last), a quick end
   time ("In 5 minutes") and a date cannot both be picked, a counter under the question and
   under a response near its limit says how much room is left (text past it is kept and
   marked, never cut: the server says what to shorten), after a refused submission the
   list of problems takes the focus, and the kind picked shows its own fields at once.
   Without this file the form does the same through the server. */
(function ($) {
  "use strict";

  var NEAR_LIMIT = 0.8; /* a response's counter shows from this share of its limit on */

  function choiceInputs() {
    return $("#choice-inputs input[name='choices']");
  }

  /* The new box is like the others: the list says how many there may be (data-max) and the
     boxes the server rendered say how long a response may be (data-maxlength). Returns it. */
  function addChoiceField() {
    var $list = $("#choice-inputs");
    var count = $list.children().length;
    var max = Number($list.data("max"));
    if (count >= max) { return $(); }
    var index = count + 1;
    var $item = $("<li>").append(
      $("<label>", { "class": "visually-hidden", "for": "choice-" + index, text: pageText("response", { number: index }) }),
      $("<input>", {
        id: "choice-" + index, name: "choices", type: "text",
        "data-maxlength": choiceInputs().first().attr("data-maxlength")
      })
    );
    var $mark = $list.find(".correct-toggle").first().clone();
    $mark.find("input").val(String(index)).prop("checked", false);
    /* The form's own words (only the create form has them: no other page says "correct"). */
    var label = String($("#poll-form").attr("data-correct-label") || "");
    $mark.find(".visually-hidden").text(label.replace("%(number)s", String(index)));
    $item.append($mark);
    $list.append($item);
    if (index >= max) { $("#add-choice").remove(); }
    return $item.find("input[name='choices']");
  }

  function addChoiceClicked(event) {
    var $added = addChoiceField();
    if ($added.length) {
      event.preventDefault();
      $added.trigger("focus");
    }
  }

  /* Enter in a response box would press the form's first button ("Add a response") and jump
     past the empty boxes: go to the very next box instead. */
  function enterGoesOn(event) {
    if (event.key !== "Enter" || event.shiftKey || event.originalEvent.isComposing) { return; }
    var $inputs = choiceInputs();
    var index = $inputs.index(event.target);
    if (index < 0) { return; }
    event.preventDefault();
    var $next = index + 1 < $inputs.length ? $inputs.eq(index + 1) : addChoiceField();
    $next.trigger("focus");
  }

  function characters(text) {
    return Array.from(String(text).trim().replace(/\s+/g, " ")).length;
  }

  function counterFor(input) {
    var $counter = $("[data-count-for='" + input.id + "']");
    if (!$counter.length && input.name === "choices") {
      $counter = $("<span>", { "class": "char-count", "data-count-for": input.id });
      $(input).after($counter);
    }
    return $counter;
  }

  function count(input) {
    var max = Number($(input).attr("data-maxlength"));
    if (!max) { return; }
    var length = characters(input.value);
    var over = length > max;
    var shown = input.name !== "choices" || length >= max * NEAR_LIMIT;
    var $counter = counterFor(input);
    $counter.toggleClass("char-count-over", over).prop("hidden", !shown && !over)
      .text(over ? pageText("too_many", { over: length - max, length: length, max: max })
                 : length ? pageText("count", { length: length, max: max }) : "");
    if (over) {
      $(input).attr({ "aria-invalid": "true", "data-too-long": "" });
    } else if ($(input).is("[data-too-long]")) {
      $(input).removeAttr("aria-invalid data-too-long");
    }
  }

  /* The kind comes first: only its fields show, at once (without this file "Choose" sends
     the form back with them). Hidden fields keep what was typed; the server ignores them. */
  function followKind() {
    var $kinds = $("input[name='kind']");
    function show() {
      var kind = $kinds.filter(":checked").val() || "single";
      $("#poll-form [data-kinds]").each(function () {
        this.hidden = $(this).attr("data-kinds").split(" ").indexOf(kind) < 0;
      });
    }
    $("#choose-kind").prop("hidden", true);
    $kinds.on("change", show);
    show();
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
    var $form = $("#poll-form");
    $("#add-choice").on("click", addChoiceClicked);
    $form.on("keydown", "#choice-inputs input", enterGoesOn);
    $form.on("input", "[data-maxlength]", function () { count(this); });
    $form.find("[data-maxlength]").each(function () { count(this); });
    followKind();
    linkQuickChoices();
    $("#form-problems").trigger("focus");
  });
})(jQuery);
