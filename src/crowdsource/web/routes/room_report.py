"""A room's report for its owner (page and CSV) and a student's own answers in the room."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from crowdsource.domain.room_report import SORTS, my_answers, room_report, sorted_rows
from crowdsource.web.guards import require_room_owner, require_user, room_from_path
from crowdsource.web.pages import page
from crowdsource.web.report_export import percent, report_csv, report_filename
from crowdsource.web.urls import path, route


async def report(request: Request) -> Response:
    room = await room_from_path(request)
    require_room_owner(request, room)
    sort = request.query_params.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    found = await room_report(room)
    context = {
        "room": room,
        "report": found,
        "rows": sorted_rows(found.rows, sort),
        "sort": sort,
        "percent": percent,
    }
    return page(request, "room_report.html", context)


async def report_csv_download(request: Request) -> Response:
    room = await room_from_path(request)
    require_room_owner(request, room)
    filename = report_filename(room.code, room.name)
    return Response(
        report_csv(await room_report(room)),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


async def mine(request: Request) -> Response:
    """The signed-in student's answers in this room; others are sent to sign in first."""
    room = await room_from_path(request)
    user = require_user(request, path("room_mine", code=room.code))
    answers = await my_answers(room, user)
    return page(request, "room_mine.html", {"room": room, "answers": answers})


routes = [
    route("room_report", report),
    route("room_report_csv", report_csv_download),
    route("room_mine", mine),
]
