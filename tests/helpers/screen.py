"""What a person sees on a screen, measured in the browser: what is outside the viewport or
cut off by its box, and the contrast of text against what is behind it."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# The projector's fits (static/js/projector_fit.js) when `count` live messages arrive
# within one frame, counted as the times the question's scale is set (a fit sets it at least
# once): [in the messages' own turn, once the next frame is painted].
FITS_FOR_MESSAGES = """async (count) => {
  const live = document.querySelector(".present-live");
  let scaled = 0;
  const setProperty = live.style.setProperty;
  live.style.setProperty = function (name, ...rest) {
    if (name === "--q-scale") { scaled += 1; }
    return setProperty.call(this, name, ...rest);
  };
  for (let n = 0; n < count; n += 1) {
    document.body.dispatchEvent(new CustomEvent("htmx:wsAfterMessage"));
  }
  const before_paint = scaled;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  delete live.style.setProperty;
  return [before_paint, scaled];
}"""

# Every element named must be inside the viewport and inside the box that clips it; a box
# that clips must not hold more than it shows. Returns the problems found (empty: it fits).
OFF_SCREEN = """(checks) => {
  const view = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  const inside = (r, box) => r.left >= box.left - 1 && r.top >= box.top - 1
    && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
  const problems = [];
  for (const [selector, clipper] of checks) {
    const found = document.querySelectorAll(selector);
    if (!found.length) problems.push(selector + ": missing");
    found.forEach((element, index) => {
      const box = element.getBoundingClientRect();
      const name = selector + "[" + index + "]";
      if (!box.width || !box.height) problems.push(name + ": empty");
      if (!inside(box, view)) problems.push(name + ": outside the viewport");
      const clip = clipper && element.closest(clipper);
      if (clip && !inside(box, clip.getBoundingClientRect())) {
        problems.push(name + ": cut by " + clipper);
      }
      if (clip && clip.scrollHeight > clip.clientHeight + 1) {
        problems.push(clipper + ": holds more than it shows");
      }
    });
  }
  const root = document.documentElement;
  if (root.scrollHeight > innerHeight || root.scrollWidth > innerWidth) problems.push("scrollbars");
  return problems;
}"""

# WCAG contrast of an element's text colour against the first opaque background behind it.
CONTRAST = """(element) => {
  const parse = (colour) => {
    const inner = colour.match(/rgba?\\(([^)]+)\\)/)[1];
    const parts = inner.split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const luminance = ({r, g, b}) => {
    const linear = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const text = parse(getComputedStyle(element).color);
  let background = {r: 255, g: 255, b: 255, a: 1};
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const colour = parse(getComputedStyle(node).backgroundColor);
    if (colour.a > 0) { background = colour; break; }
  }
  const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""


def off_screen(page: Any, checks: list[tuple[str, str | None]]) -> list[str]:
    """What of `checks` ([selector, the selector of the box that clips it or None]) is not
    wholly on the screen."""
    return page.evaluate(OFF_SCREEN, checks)


def wait_until_on_screen(
    page: Any, checks: list[tuple[str, str | None]], timeout: float = 10_000
) -> None:
    """Pages fit themselves after they load and after live updates: wait until they do, or
    fail saying what is still off the screen."""
    try:
        page.wait_for_function(
            f"(checks) => ({OFF_SCREEN})(checks).length === 0", arg=checks, timeout=timeout
        )
    except PlaywrightTimeout:
        raise AssertionError(f"still off the screen: {off_screen(page, checks)}") from None


def contrast(locator: Any) -> float:
    return locator.evaluate(CONTRAST)
