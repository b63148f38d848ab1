"""Full-text search over archived events, with filters, and its LIKE fallback without FTS5."""

from __future__ import annotations

import pytest

from fuse_tui.core.archive import Archive, ArchiveError
from tests.archive.conftest import SEED_ID, answer_from, make_answer

T = 1_600_000_000


@pytest.fixture(params=["fts", "like"])
def filled(request: pytest.FixtureRequest, archive: Archive, seed_json: bytes) -> Archive:
    archive.store(answer_from(seed_json), SEED_ID, {"dest": "8009957586", "start": 1529552691})
    archive.store(
        make_answer(
            [
                ("info", "Executing application", {"module_type": "start"}, T),
                (
                    "error",
                    "REST call failed: HTTP 503",
                    {"module_type": "rest", "url": "x"},
                    1600000001,
                ),
                ("event", "User input: 6 (dtmf)", {"module_type": "menu"}, T + 2),
                (
                    "error",
                    'Weird [/x] markup and AND OR "quotes"',
                    {"module_type": "rest"},
                    1600000003,
                ),
            ]
        ),
        "other",
        {"dest": "8001112222", "start": 1600000000},
    )
    if request.param == "like":
        archive.fts_available = False  # exercise the fallback on the same data
    return archive


def test_term_in_line(filled: Archive) -> None:
    hits = filled.search("disconnecting")
    assert [(h.session_id, h.line, h.class_) for h in hits] == [
        (SEED_ID, "Disconnecting call", "event")
    ]
    assert hits[0].timestamp == 1529552697


def test_term_in_data_values(filled: Archive) -> None:
    hits = filled.search("tests@plumgroup.com")
    assert [h.line for h in hits] == ["Sent"]
    assert "This is the body." in hits[0].data_values


def test_all_terms_must_match(filled: Archive) -> None:
    # "email" is also the module_type of "Sending": data values count as matches.
    assert sorted(h.line for h in filled.search("sending email")) == ["Sending", "Sending email"]
    assert [h.line for h in filled.search("sending static")] == ["Sending email"]
    assert filled.search("sending nonexistentword") == []


def test_class_module_number_and_time_filters(filled: Archive) -> None:
    assert {h.session_id for h in filled.search(classes=["error"])} == {"other"}
    assert len(filled.search(classes=["error", "event"])) == 4
    assert [h.line for h in filled.search("executing", number="8001112222")] == [
        "Executing application"
    ]
    assert [h.seq for h in filled.search(module="rest")] == [3, 1]
    assert [h.session_id for h in filled.search("executing", since=1550000000)] == ["other"]
    assert [h.session_id for h in filled.search("executing", until=1550000000)] == [SEED_ID]
    assert len(filled.search(session_id=SEED_ID)) == 7


def test_fts_syntax_typed_by_the_user_is_plain_words(filled: Archive) -> None:
    assert [h.seq for h in filled.search('"[/x] markup"')] == [3]
    assert [h.seq for h in filled.search("AND OR")] == [3]
    assert filled.search("^x NEAR(") == []


def test_a_query_that_is_not_one_says_where(filled: Archive) -> None:
    # The filter language is the TUI's: an unclosed quote is an error there, and here.
    with pytest.raises(ArchiveError, match=r"quote is never closed \(column 12\)"):
        filled.search('unbalanced "quote')


def test_limit_and_newest_first(filled: Archive) -> None:
    hits = filled.search(limit=2)
    assert [(h.session_id, h.seq) for h in hits] == [("other", 3), ("other", 2)]


def test_matching_sessions_counts(filled: Archive) -> None:
    assert filled.matching_sessions("executing") == {SEED_ID: 1, "other": 1}
    assert filled.matching_sessions("", classes=["error"]) == {"other": 2}


def test_prefix_search_with_fts(archive: Archive, seed_json: bytes) -> None:
    archive.store(answer_from(seed_json), SEED_ID)
    assert archive.fts_available
    assert {h.line for h in archive.search("disconn*")} == {"Disconnecting call"}
