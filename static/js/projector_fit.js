/* Everything on one projector screen (.present-live: the projector view, and the create
   form's preview of it): the question, every response, the QR code and the link, at the
   largest size that fits, and never a scrollbar.

   The question first takes at most QUESTION_SHARE of the screen's height (--q-scale); then
   the results take the largest avatars and rows that fit (--avatar, in --u of app.css, and
   --row-scale); when even the smallest do not, or the responses come out far smaller than
   the question (BALANCE), the question gives up more room; last, the avatars grow into what
   room is left. Without this
   file the page keeps the question's size for its length and [2.5, 1]. Pages refit after
   live messages (once per frame), on resize, and on the event "crowdsource:fit". */
(function ($) {
  "use strict";

  var QUESTION_SHARE = 0.4;
  var BALANCE = 0.6; /* responses may be this much smaller than the question, not less */
  var QUESTION_STEPS = [1, 0.9, 0.8, 0.72, 0.64, 0.56, 0.5, 0.44, 0.38];
  /* [avatar size in --u, scale of the response rows], largest first */
  var RESULT_STEPS = [[4.2, 1.6], [3.75, 1.45], [3.3, 1.3], [2.9, 1.15], [2.5, 1], [2.1, 1],
    [1.8, 1], [1.45, 0.95], [1.3, 0.9], [1.2, 0.85], [1.1, 0.8], [1, 0.76], [0.95, 0.72],
    [0.9, 0.68], [0.85, 0.64], [0.8, 0.6], [0.75, 0.56], [0.7, 0.52], [0.62, 0.48],
    [0.52, 0.44], [0.42, 0.4], [0.36, 0.35], [0.3, 0.3]];

  /* Strict: scroll sizes are rounded, so even one pixel more may hide part of a row. */
  var AVATAR_SIZES = [4.2, 3.75, 3.3, 2.9, 2.5, 2.1, 1.8, 1.45, 1.2, 1, 0.85, 0.7, 0.6];

  function overflows(element) {
    return element.scrollHeight > element.clientHeight ||
      element.scrollWidth > element.clientWidth;
  }

  function setQuestion(live, step) {
    live.style.setProperty("--q-scale", QUESTION_STEPS[step]);
  }

  function setResults(live, step) {
    live.style.setProperty("--avatar", RESULT_STEPS[step][0]);
    live.style.setProperty("--row-scale", RESULT_STEPS[step][1]);
  }

  function questionStep(live) {
    var head = live.querySelector(".present-head");
    for (var step = 0; step < QUESTION_STEPS.length - 1; step += 1) {
      setQuestion(live, step);
      if (head.offsetHeight <= live.clientHeight * QUESTION_SHARE) { return step; }
    }
    setQuestion(live, QUESTION_STEPS.length - 1);
    return QUESTION_STEPS.length - 1;
  }

  /* The largest result step that fits, -1 when none does (then the smallest is set). A
     binary search lays the page out five times rather than eighteen: smaller steps always
     fit better. `upTo`: a step known to fit (a smaller question leaves the results more
     room, so what fitted before still does), the search starts there. */
  function fitResults(live, results, upTo) {
    var low = 0;
    var high = upTo === undefined ? RESULT_STEPS.length - 1 : upTo;
    setResults(live, high);
    if (overflows(results)) { return -1; }
    while (low < high) {
      var middle = Math.floor((low + high) / 2);
      setResults(live, middle);
      if (overflows(results)) { low = middle + 1; } else { high = middle; }
    }
    setResults(live, low);
    return low;
  }

  function fontSize(element) {
    return element ? parseFloat(getComputedStyle(element).fontSize) : 0;
  }

  function questionSize(live) {
    return fontSize(live.querySelector(".present-head h1"));
  }

  /* How readable the screen is at the current sizes: the response type, or the question's
     scaled by BALANCE, whichever is smaller (a huge question over tiny responses reads no
     better than the reverse). */
  function readability(live) {
    var question = questionSize(live);
    var response = fontSize(live.querySelector(".choice:not([hidden]) .choice-head"));
    return response ? Math.min(question * BALANCE, response) : question;
  }

  function fit(live) {
    var results = live.querySelector(".present-results");
    if (!results || !live.clientHeight) { return; }
    var step = questionStep(live);
    var fitted = fitResults(live, results);
    while (fitted < 0 && step < QUESTION_STEPS.length - 1) {
      step += 1;
      setQuestion(live, step);
      fitted = fitResults(live, results);
    }
    /* Then give the responses room from the question while that reads better overall. The
       score is never more than the question's share (BALANCE), which only shrinks with each
       step: once that is no better than the best so far, no smaller question can win (with
       no responses, a text question's cloud, the first step already stops); nor can it
       once the responses have their largest step. */
    var best = { step: step, score: readability(live), fitted: fitted };
    for (var smaller = step + 1; smaller < QUESTION_STEPS.length && fitted !== 0; smaller += 1) {
      setQuestion(live, smaller);
      if (questionSize(live) * BALANCE <= best.score) { break; }
      var larger = fitResults(live, results, fitted < 0 ? undefined : fitted);
      if (larger < 0) { continue; }
      fitted = larger;
      var score = readability(live);
      if (score > best.score) { best = { step: smaller, score: score, fitted: fitted }; }
    }
    setQuestion(live, best.step);
    setResults(live, best.fitted < 0 ? RESULT_STEPS.length - 1 : best.fitted);
    if (best.fitted >= 0) { growAvatars(live, results); }
  }

  /* Rows sized, the avatars take what room is left: many voters under short rows need not
     be as small as the type. */
  function growAvatars(live, results) {
    if (!results.querySelector("img.voter")) { return; }
    var current = parseFloat(live.style.getPropertyValue("--avatar"));
    var sizes = AVATAR_SIZES.filter(function (size) { return size > current; });
    var low = 0;
    var high = sizes.length; /* sizes[high] stands for the current size, which fits */
    while (low < high) {
      var middle = Math.floor((low + high) / 2);
      live.style.setProperty("--avatar", sizes[middle]);
      if (overflows(results)) { low = middle + 1; } else { high = middle; }
    }
    live.style.setProperty("--avatar", low < sizes.length ? sizes[low] : current);
  }

  function fitAll() {
    $(".present-live").each(function () { fit(this); });
  }

  /* Live messages can come faster than a large page lays out (a fit is tens of layouts):
     fit once before the next paint, however many messages arrived since the last. */
  var fitPending = false;

  function fitBeforePaint() {
    if (fitPending) { return; }
    fitPending = true;
    window.requestAnimationFrame(function () {
      fitPending = false;
      fitAll();
    });
  }

  $(function () {
    fitAll();
    $(window).on("resize", fitAll);
    $(document).on("crowdsource:fit", fitAll);
    document.body.addEventListener("htmx:wsAfterMessage", fitBeforePaint);
  });
})(jQuery);
