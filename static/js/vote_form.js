/* A pick that was never sent is not lost without a word: when voting closes (the vote panel
   is replaced over the socket) while a response is picked but its vote was not stored
   (Vote not pressed, or never confirmed), the closed notice says which pick did not count
   ([data-lost-pick]). Without this file a closed poll simply says it is closed.
   A text question's answer box counts its characters as they are typed (never cutting what is
   pasted: the server says what to shorten). */
(function ($) {
  "use strict";

  var stored = null; /* the response id this person's stored vote is for, as a string */

  function picked() {
    return $("#vote-form input[name='choice']:checked");
  }

  /* The server renders the stored vote as the radio checked in the HTML. */
  function learnStoredVote() {
    var $stored = $("#vote-form input[name='choice']").filter(function () { return this.defaultChecked; });
    stored = $stored.length ? $stored.val() : null;
  }

  function unsentPick() {
    var $pick = picked();
    if (!$pick.length || $pick.val() === stored) { return null; }
    return $pick.closest("label").find(".option-label").text();
  }

  /* Characters as the server counts them (code points), trimmed. */
  function countAnswer(box) {
    var max = Number($(box).attr("data-maxlength"));
    var length = Array.from(box.value.trim().replace(/\s+/g, " ")).length;
    var over = length > max;
    $("[data-count-for='" + box.id + "']").toggleClass("char-count-over", over)
      .text(over ? pageText("too_many", { over: length - max, length: length, max: max })
                 : length ? pageText("count", { length: length, max: max }) : "");
    if (over) { $(box).attr("aria-invalid", "true"); } else { $(box).removeAttr("aria-invalid"); }
  }

  $(function () {
    var lost = null;
    $(document).on("input", "#vote-answer", function () { countAnswer(this); });
    $("#vote-answer").each(function () { countAnswer(this); });
    learnStoredVote();
    document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "vote-panel") { lost = unsentPick(); }
    });
    document.body.addEventListener("htmx:oobAfterSwap", function (event) {
      var id = event.detail.target && event.detail.target.id;
      if (id === "vote-status" && $("#vote-status").hasClass("vote-status-ok")) {
        stored = picked().val() || stored; /* "Your vote … is in": that pick is stored */
      }
      if (id !== "vote-panel") { return; }
      var $notice = $("[data-lost-pick]");
      if (lost && $notice.length) {
        $notice.find("[data-lost-pick-label]").text(lost);
        $notice.prop("hidden", false);
      } else {
        learnStoredVote();
      }
      lost = null;
    });
  });
})(jQuery);
