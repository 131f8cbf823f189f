"""The room report as CSV: one row per student, one column per asked question (and one
more per quiz for correctness), then the student's rates; safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from crowdsource.domain.room_report import RoomReport
from crowdsource.web.export import neutralise, room_csv_filename, shown_name

REPORT_HEADER = ("login", "name", "on_roster")
RATE_HEADER = ("answered", "answer_rate", "correct", "correct_rate")


def percent(rate: float | None) -> str:
    """A rate as the sheet shows it: a whole percentage, empty when there is none."""
    return "" if rate is None else f"{round(rate * 100)}%"


def report_csv(report: RoomReport) -> str:
    """`Q1 question…` columns hold yes/no (answered); a quiz adds `Q1 correct` (yes/no, empty
    when not answered). A last row gives each question's rates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns: list[str] = []
    for q in report.questions:
        columns.append(neutralise(f"Q{q.number} {q.text}"))
        if q.quiz:
            columns.append(f"Q{q.number} correct")
    writer.writerow([*REPORT_HEADER, *columns, *RATE_HEADER])
    for row in report.rows:
        cells: list[str] = []
        for question, cell in zip(report.questions, row.cells, strict=True):
            cells.append("yes" if cell.answered else "no")
            if question.quiz:
                cells.append("" if cell.correct is None else "yes" if cell.correct else "no")
        identity = [neutralise(row.login), neutralise(shown_name(row.login, row.name))]
        rates = [str(row.answered), percent(row.answer_rate)]
        rates += [str(row.correct), percent(row.correct_rate)]
        writer.writerow([*identity, "yes" if row.on_roster else "no", *cells, *rates])
    totals: list[str] = []
    for q in report.questions:
        totals.append(percent(q.answer_rate))
        if q.quiz:
            totals.append(percent(q.correct_rate))
    writer.writerow(["", "rate per question", "", *totals, "", "", "", ""])
    return out.getvalue()


def report_filename(code: str, name: str) -> str:
    """`crowdsource-report-<name words>-<code>.csv`."""
    return room_csv_filename(code, name).replace("crowdsource-room-", "crowdsource-report-", 1)
