"""The server clock: every decision about time goes through `now()`, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, seconds precision, or None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def now_iso() -> str:
    """The server's time for the browser's countdown: ISO 8601 UTC with milliseconds."""
    return now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_text(moment: datetime | str | None) -> str:
    """A time as people read it when no script localises it: `2030-05-17 14:30 UTC`."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def next_whole_second(moment: datetime) -> datetime:
    """`moment` rounded up to a whole second, so the end time people see is the real one."""
    if not moment.microsecond:
        return moment
    return moment.replace(microsecond=0) + timedelta(seconds=1)
