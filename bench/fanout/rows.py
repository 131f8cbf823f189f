"""Rows of the printed table: which figure, under what label, with how many digits; how a
figure prints in its cell; and the rows several stages print alike."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# One server's figures as the report reads them: `stage.figure` -> value.
Figures = Mapping[str, float | int | str | None]


@dataclass(frozen=True)
class Row:
    label: str
    key: str
    digits: int = 0
    optional: bool = False  # left out when no column has it


# A section of the table: its title (formatted with the sizes) and its rows.
Section = tuple[str, list[Row]]


def cell(value: float | int | str | None, digits: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return f"{value:,.{digits}f}"


def connect_rows(stage: str) -> list[Row]:
    return [
        Row("all sockets open and quiet after, s", f"{stage}.connect_s", 1),
        Row("server CPU per connection, ms", f"{stage}.cpu_per_connection_ms", 2),
        Row("server memory per idle connection, KB", f"{stage}.rss_per_connection_kb", 1),
    ]


def settle_rows(stage: str) -> list[Row]:
    return [
        Row("total in results.json", f"{stage}.stored_total"),
        Row("viewers not showing the final total", f"{stage}.viewers_behind"),
        Row("settle: last vote sent → every viewer final, ms", f"{stage}.settle_ms"),
        Row("settle: last vote stored → every viewer final, ms", f"{stage}.settle_after_stored_ms"),
    ]


def machine_rows(stage: str) -> list[Row]:
    """Where the CPU went during a stage's measured phase."""
    return [
        Row("server CPU per vote, ms", f"{stage}.cpu_per_vote_ms", 2),
        Row("server CPU per delivered message, µs", f"{stage}.cpu_per_message_us", 1),
        Row("load generator CPU, % of one core", f"{stage}.client_cpu_pct"),
        Row("redis-server CPU, % of one core", f"{stage}.redis_cpu_pct", 1, optional=True),
        Row(
            "PostgreSQL CPU (in the server's), % of one core",
            f"{stage}.database_cpu_pct",
            1,
            optional=True,
        ),
        Row("kernel softirq (loopback TCP), % of one core", f"{stage}.softirq_cpu_pct"),
        Row("other processes on the machine, % of one core", f"{stage}.others_cpu_pct"),
        Row("stolen by the hypervisor (other guests), % of one core", f"{stage}.steal_cpu_pct"),
    ]
