"""Pushed fragments: template names and data from Python, deltas by id, swappable markup."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from crowdsource.domain.tally import ChoiceTally, Tally, Voter
from crowdsource.domain.visibility import COUNTS, EVERYTHING, HIDDEN
from crowdsource.i18n.current import Text, speaking
from crowdsource.realtime.fragments import (
    RENDERS_KEPT,
    ROOM,
    Fragments,
    VoterMove,
    voter_moves,
)
from tests.helpers.realtime import fragments
from tests.helpers.sockets import assert_swappable
from tests.helpers.tallies import NOW, tally, voter


class RecordingRender:
    """A renderer that remembers what it was asked to render."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, template: str, /, **context: Any) -> str:
        self.calls.append((template, context))
        return f"<{template}>"


def test_fragments_name_templates_and_pass_data_only() -> None:
    render = RecordingRender()
    before, after = tally((1, ()), (2, ())), tally((1, (7,)), (2, ()))
    message = Fragments(render).delta(before, after, EVERYTHING)
    assert message == "<partials/results_delta.html>"  # the renderer's answer, as is
    *rows, (template, context) = render.calls
    assert [(name, row["choice"]) for name, row in rows] == [
        ("partials/choice.html", after.choices[0]),  # the total moved: every row
        ("partials/choice.html", after.choices[1]),
    ]
    assert template == "partials/results_delta.html"
    assert context["changed_rows"] == "<partials/choice.html><partials/choice.html>"
    assert context["moves"] == [VoterMove(7, was_shown=False, choice_id=1, voter=voter(7))]


def test_voter_moves_add_move_and_remove_by_id() -> None:
    before = tally((1, (7, 8)), (2, (9,)))
    after = tally((1, (7,)), (2, (8,)))
    assert voter_moves(before, after) == [
        VoterMove(8, was_shown=True, choice_id=2, voter=voter(8)),
        VoterMove(9, was_shown=True),
    ]


def test_a_moved_avatar_is_deleted_then_appended() -> None:
    before, after = tally((1, (7,)), (2, ())), tally((1, ()), (2, (7,)))
    message = fragments().delta(before, after, EVERYTHING)
    assert_swappable(message)
    deleted = message.index('<img id="voter-7" hx-swap-oob="delete">')
    appended = message.index('<div id="voters-2" hx-swap-oob="beforeend"><img class="voter"')
    assert deleted < appended
    assert 'data-choice-id="1" data-votes="0"' in message
    assert 'data-choice-id="2" data-votes="1"' in message


def test_a_withdrawn_vote_only_deletes_its_avatar() -> None:
    before, after = tally((1, (7, 8)), (2, ())), tally((1, (8,)), (2, ()))
    message = fragments().delta(before, after, EVERYTHING)
    assert_swappable(message)
    assert re.findall(r'id="voter-(\d+)" hx-swap-oob="delete"', message) == ["7"]
    assert "beforeend" not in message


def test_counts_only_audiences_get_no_avatars_and_hidden_ones_nothing() -> None:
    before, after = tally((1, ()), (2, ())), tally((1, (7,)), (2, ()))
    counts = fragments().delta(before, after, COUNTS)
    assert_swappable(counts)
    assert 'data-total-votes="1"' in counts and "voter" not in counts.replace("voters", "")
    assert fragments().delta(before, after, HIDDEN) == ""


def test_the_room_view_also_gets_the_accessible_table() -> None:
    before, after = tally((1, ()), (2, ())), tally((1, (7,)), (2, ()))
    message = fragments().delta(before, after, COUNTS, ROOM)
    assert_swappable(message)
    assert 'id="results-table"' in message and 'id="total-votes"' in message


def test_the_projectors_table_marks_a_quizs_answer_once_revealed_and_never_before() -> None:
    before, after = tally((1, ()), (2, ())), tally((1, (7,)), (2, ()))
    quiz = {"correct_ids": frozenset({1})}
    hidden = fragments().delta(replace(before, **quiz), replace(after, **quiz), COUNTS, ROOM)
    shown = fragments().delta(
        replace(before, **quiz, revealed=True), replace(after, **quiz, revealed=True), COUNTS, ROOM
    )
    table = re.compile(r'<table id="results-table".*?</table>', re.S)
    assert "correct-mark" not in table.search(hidden).group(0)
    marked = table.search(shown).group(0)
    assert marked.count("correct-mark") == 1 and marked.index("correct-mark") < marked.index(
        "Choice 2"
    )


def test_an_unchanged_tally_sends_nothing() -> None:
    same = tally((1, (7,)), (2, ()))
    assert fragments().delta(same, same, EVERYTHING) == ""


def test_responses_that_vanished_mid_publish_send_the_whole_results() -> None:
    before, after = tally((1, (7,)), (2, ())), tally()  # the poll is being deleted
    message = fragments().delta(before, after, EVERYTHING)
    assert_swappable(message)
    assert message.startswith('<section id="results"')


def test_a_deleted_poll_replaces_the_real_vote_panel_and_results() -> None:
    message = fragments().gone()
    assert_swappable(message)
    assert "This poll was deleted by its owner." in message
    assert "The results are no longer available." in message
    assert '<div id="vote-panel" class="vote-panel" hx-swap-oob="true">' in message
    assert '<section id="results" class="results" data-state="closed"' in message


def test_a_deleted_poll_stops_saying_open_and_counting_down() -> None:
    message = fragments().gone()
    meta = message[message.index('<p class="poll-meta" id="poll-meta"') :].split("</p>")[0]
    assert 'hx-swap-oob="true"' in meta and "Deleted" in meta
    assert "Open" not in meta and "data-countdown" not in meta


def test_a_pushed_avatar_marks_a_guest_and_only_a_guest() -> None:
    github = Voter(8, "octo", "Octo Cat", "https://avatars.test/8", NOW)
    before = tally((1, ()), (2, ()))
    after = Tally(
        1,
        "slug",
        "Question?",
        True,
        None,
        "always",
        (
            ChoiceTally(1, "Choice 1", 1, (voter(7),)),
            ChoiceTally(2, "Choice 2", 1, (github,)),
        ),
        "everyone",
    )
    message = fragments().delta(before, after, EVERYTHING)
    assert 'data-voter="guest~7"' in message
    assert 'alt="Guest 7 (guest)" title="Guest 7 (guest)"' in message
    assert 'data-voter="octo"' in message and 'alt="octo" title="Octo Cat"' in message


def test_each_presence_count_is_rendered_once_and_reused() -> None:
    calls: list[dict[str, Any]] = []

    def render(template: str, /, **context: Any) -> str:
        calls.append(context)
        return f"<p id=presence>{context['watching']} {context['in_room']}</p>"

    counted = Fragments(render)
    first = [counted.presence(3, in_room=True) for _ in range(1000)]
    assert len(calls) == 1 and all(message is first[0] for message in first)
    assert counted.presence(3) != first[0] and counted.presence(4, in_room=True) != first[0]
    assert len(calls) == 3
    for watching in range(RENDERS_KEPT + 10):  # bounded, however many counts pass
        counted.presence(watching)
    assert len(counted._renders) <= RENDERS_KEPT


def test_a_status_line_is_rendered_once_per_words_and_language() -> None:
    """A room's fifty "Your vote for “B” is in." cost one render; other words, another
    kind or another language are rendered on their own, each in its own words."""
    calls: list[dict[str, Any]] = []

    def render(template: str, /, **context: Any) -> str:
        calls.append(context)
        status = context["status"]
        return f"<p>{status['message']} {status['kind']} {context['open_answer']}</p>"

    counted = Fragments(render)
    vote_for = lambda label: Text("Your vote for “%(response)s” is in.", response=label)  # noqa: E731
    first = [counted.status(vote_for("B"), "ok") for _ in range(50)]
    assert len(calls) == 1 and all(message is first[0] for message in first)
    assert counted.status(vote_for("C"), "ok") != first[0]
    assert counted.status(vote_for("B"), "error") != first[0]
    assert counted.status(vote_for("B"), "ok", open_answer=True) != first[0]
    with speaking("fr"):
        french = counted.status(vote_for("B"), "ok")
    assert french != first[0] and "Votre vote" in french
    assert len(calls) == 5


def test_the_rows_with_the_most_votes_lead_and_none_before_the_first_vote() -> None:
    def leading(rendered: Tally) -> list[str]:
        html = fragments().results(rendered, COUNTS)
        return re.findall(r'<li id="result-(\d+)" class="choice leading"', html)

    assert tally((1, ()), (2, ())).leading_votes is None
    assert leading(tally((1, ()), (2, ()))) == []
    assert leading(tally((1, (7,)), (2, ()))) == ["1"]
    assert leading(tally((1, (7,)), (2, (8,)), (3, ()))) == ["1", "2"]  # a tie leads together
