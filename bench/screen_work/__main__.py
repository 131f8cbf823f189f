"""`python -m bench.screen_work [--src DIR] [--messages N]`: what a live message costs the
browser's main thread on the two screens that show the most: the projector's fit
(static/js/projector_fit.js) and the avatars' motion (static/js/avatar_motion.js).

A real server (`crowdsource serve` from this checkout, or `--src` of an older tree with its
static/ and templates/ beside it) shows a seeded poll: the longest question, twelve responses
and 60 voters on the projector (1920x1080), 120 avatars on the poll's page. Debian's Chromium
(headless) then times, median over `--messages` each:
- one fit of the projector (`crowdsource:fit`), and how many fits a burst of 20 live messages
  within one frame makes (`htmx:wsAfterMessage`);
- one message that moves every avatar (each row's avatars reversed between the socket's
  "before" and "after" events)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.common.servers import crowdsource_server
from bench.common.source import add_source_option
from tests.helpers.screen import FITS_FOR_MESSAGES
from tests.helpers.seed import seed_poll

CHROMIUM = "/usr/bin/chromium"
QUESTION = "Which of these twelve ways to review recursion before the exam helps you most?" * 3
RESPONSES = [f"{n:02d}. Review the call stack with a drawing of every frame" for n in range(12)]

FIT_MS = """async (count) => {
  const times = [];
  for (let n = 0; n < count; n += 1) {
    const start = performance.now();
    jQuery(document).trigger("crowdsource:fit");
    times.push(performance.now() - start);
  }
  return times;
}"""


MOTION_MS = """async (count) => {
  const times = [];
  for (let n = 0; n < count; n += 1) {
    document.body.dispatchEvent(new CustomEvent("htmx:wsBeforeMessage"));
    document.querySelectorAll("[data-choice-id] .voters").forEach(
      (row) => row.append(...[...row.children].reverse()));
    const start = performance.now();
    document.body.dispatchEvent(new CustomEvent("htmx:wsAfterMessage"));
    times.push(performance.now() - start);
    await new Promise((done) => setTimeout(done, 50));
  }
  return times;
}"""


def median_ms(page: Page, script: str, count: int) -> float:
    return statistics.median(page.evaluate(script, count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_source_option(parser)
    parser.add_argument("--messages", type=int, default=30, help="messages timed (30)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        closes_at = datetime.now(UTC) + timedelta(hours=1)
        slug = seed_poll(data, RESPONSES, voters=120, question=QUESTION, closes_at=closes_at)
        server = crowdsource_server(data, "bench-" + "s" * 40, deflate=False, src=options.src)
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM)
                screen = {"viewport": {"width": 1920, "height": 1080}}
                projector = browser.new_page(**screen)
                projector.goto(f"{server.url}/polls/{slug}/present")
                projector.wait_for_selector("#poll-live[data-live=open]")
                projector.wait_for_timeout(500)
                fit = median_ms(projector, FIT_MS, options.messages)
                one = projector.evaluate(FITS_FOR_MESSAGES, 1)[1]
                per_burst = projector.evaluate(FITS_FOR_MESSAGES, 20)[1] / one
                page = browser.new_page(**screen)
                page.goto(f"{server.url}/polls/{slug}")
                page.wait_for_selector("#poll-live[data-live=open]")
                avatars = page.locator("img.voter").count()
                page.wait_for_timeout(500)
                motion = median_ms(page, MOTION_MS, options.messages)
                browser.close()
        finally:
            server.stop()
    print(f"screen work per live message ({options.src}), median of {options.messages}:")
    print(f"  projector, one fit: {fit:.1f} ms; fits for 20 messages in one frame: {per_burst:g}")
    print(f"  poll page, {avatars} avatars all moving: {motion:.1f} ms")


if __name__ == "__main__":
    main()
