"""Archive search in the filter language: what SQL answers, what the TUI's matcher checks after
it, paging with a limit, and errors as one sentence with the column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.core.archive import Archive, ArchiveError
from fuse_tui.core.archive import search_run as search_run_module
from fuse_tui.core.archive.queries import search_plan_sql
from fuse_tui.core.archive.records import SearchHit
from fuse_tui.core.archive.search import plan_search
from tests.archive.conftest import make_answer

T = 1_600_000_000


@pytest.fixture(params=["fts", "like"])
def filled(request: pytest.FixtureRequest, archive: Archive) -> Archive:
    archive.store(
        make_answer(
            [
                ("info", "GET /accounts", {"module_type": "rest", "response": {"status": 200}}, T),
                ("error", "GET failed", {"module_type": "rest", "response": {"status": 503}}, T),
                ("error", "timeout", {"module_type": "rest", "elapsed_ms": "12000"}, T),
                ("debug", "note", {"result_variable": "balance", "text": "status: 503"}, T),
            ]
        ),
        "s1",
    )
    if request.param == "like":
        archive.fts_available = False
    return archive


def search(archive: Archive, query: str, limit: int | None = None) -> list[SearchHit]:
    return search_run_module.search_events(
        archive._read, archive.get, query, fts=archive.fts_available, limit=limit
    )


def seqs(hits: list[SearchHit]) -> list[int]:
    return sorted(h.seq for h in hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status>=500", [1]),
        ("status:503", [1]),  # the debug event's "status: 503" is a value, not the key
        # A phrase is words: in the archive, words see the line and data values, not keys.
        ('"status: 503"', [3]),
        ("elapsed_ms>10000 class:error", [2]),
        ("var:balance", [3]),
        ("module:rest !status>=500", [0, 2]),
        ('re:"^GET" !class:error', [0]),
        ("line:re:out$", [2]),
    ],
)
def test_terms_sql_cannot_answer_are_checked_after_it(
    filled: Archive, query: str, expected: list[int]
) -> None:
    assert seqs(search(filled, query)) == expected
    counts = search_run_module.matching_sessions(
        filled._read, filled.get, query, fts=filled.fts_available
    )
    assert counts == ({"s1": len(expected)} if expected else {})


def test_sql_answers_words_and_columns_alone(filled: Archive) -> None:
    for query in ["get", "class:error", "!class:error module:rest", "line:acc !timeout"]:
        assert plan_search(query, fts=filled.fts_available).post is None, query
    assert seqs(filled.search("class:error !timeout")) == [1]
    assert seqs(filled.search("!class:error module:rest")) == [0]


def test_a_value_sql_cannot_compare_goes_to_python(filled: Archive) -> None:
    # LIKE folds ASCII case only; a backslash would read differently in escaped text.
    for query in ["line:ÉTÉ", "line:a\\nb", "status>=1"]:
        assert plan_search(query, fts=True).post is not None, query


def test_a_limit_stops_the_check_early_and_keeps_newest_first(
    filled: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_run_module, "PAGE", 1)  # one candidate a page
    hits = search(filled, "module:rest !status>=500", limit=1)
    assert [h.seq for h in hits] == [2]  # the newest of [0, 2]
    assert [h.seq for h in search(filled, "module:rest !status>=500")] == [2, 0]


def test_archive_search_refuses_rather_than_answer_wrong(filled: Archive) -> None:
    # Archive.search runs SQL alone until it runs through search_run: never a wrong answer.
    try:
        hits = filled.search("status>=500")
    except ArchiveError as exc:
        assert str(exc).startswith("search: ")
    else:
        assert seqs(hits) == [1]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status>=", "search: `status>=` needs a number (column 9)"),
        ('class:"err', "search: this quote is never closed (column 7)"),
        ("re:(", "search: invalid regular expression: missing ) (column 5)"),
        # A term that says nothing would keep every event: refused, not ignored.
        ("hold !", "search: `!` needs a term after it (`!class:debug`) (column 6)"),
        ("re:", "search: `re:` needs a pattern (column 1)"),
        ('!""', 'search: `!""` is empty: put what to look for between the quotes (column 1)'),
    ],
)
def test_a_bad_query_is_one_sentence_with_its_column(
    filled: Archive, query: str, message: str
) -> None:
    with pytest.raises(ArchiveError) as caught:
        search_plan_sql(query, "e.id", fts=filled.fts_available)
    assert str(caught.value) == message


def test_cli_archive_search_says_what_is_wrong_in_one_line(
    filled: Archive, capsys: pytest.CaptureFixture[str]
) -> None:
    from fuse_tui.cli import main

    code = main(["archive", "search", "status>=", "--archive", str(filled.path)])
    err = capsys.readouterr().err
    assert code == 2  # a usage error, as a bad `show --grep` is
    assert err == "fuse-tui: error: search: `status>=` needs a number (column 9)\n"


def test_a_word_finds_the_words_it_starts_as_the_tui_does(tmp_path: Path) -> None:
    from fuse_tui.core.archive import StoredAnswer
    from fuse_tui.core.formats import load_call_log

    raw = json.dumps(
        [
            {
                "event": {"line": "Lookup failed", "data": {"url": "https://x/requests"}},
                "class": "error",
                "timestamp": 1529552692,
            }
        ]
    ).encode()
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        archive.store(StoredAnswer(raw, "json", load_call_log(raw, source="t")), "s;1")
        for word in ("fail", "requ", "Lookup", "!nothing"):
            assert [h.session_id for h in archive.search(word)] == ["s;1"], word
        assert archive.search("!fail") == []
