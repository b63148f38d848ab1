"""`archive search`'s table is built a column at a time (``cli.search_table``), with shared
texts (per day, per class, per call…) and one escaping test for all lines: the same text, byte
for byte, as formatting each hit on its own and aligning the rows (the table as it was built
before, kept here as the reference)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.cli import main
from fuse_tui.cli.common import aligned_lines, cell
from fuse_tui.cli.search_table import table_pieces, table_text, utc_text
from fuse_tui.core.archive import Archive, StoredAnswer
from fuse_tui.core.archive.records import SearchHit
from fuse_tui.core.archive.search_run import table_rows
from fuse_tui.core.formats import load_call_log


def reference_table(hits: list[SearchHit]) -> str:
    """The table as `archive search` printed it: one row per hit, each cell on its own."""
    rows = [
        (
            utc_text(h.timestamp),
            cell(h.session_id),
            cell(h.class_ or "unknown"),
            cell(h.module or "-"),
            cell(h.line),
        )
        for h in hits
    ]
    return "".join(line + "\n" for line in aligned_lines(rows))


def as_rows(hits: list[SearchHit]) -> list[tuple[object, ...]]:
    return [(h.session_id, h.timestamp, h.class_, h.module, h.line) for h in hits]


stamps = st.one_of(
    st.none(),
    st.integers(),
    st.integers(-62_135_596_900, 253_402_300_900),  # around years 1 and 9999
    st.integers(-100_000, 100_000),  # around 1970, days before it too
    st.integers(1_700_000_000, 1_700_200_000),
    st.integers(10**11 - 90_000, 10**11 + 90_000),  # where seconds become milliseconds
    st.integers(1_700_000_000_000, 1_700_000_200_000),  # milliseconds
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=4),
)
texts = st.one_of(
    st.none(),
    st.sampled_from(["", "info", "error", "a\x1bb", "[red]x[/red]", "é", "\u202e", "\xa0"]),
    st.text(max_size=10),
    st.binary(max_size=4),
    st.integers(-2, 2),
    st.sampled_from([1.0, 0.0, True, False]),  # hash-equal to 1 and 0, shown otherwise
)
lines = st.one_of(
    st.sampled_from(["", "plain line", "tab\there", "[bold]markup[/bold]", "\x9b31m", "日本"]),
    st.text(max_size=20),
    st.binary(max_size=4),
    st.integers(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts, stamps, texts, texts, lines), max_size=30), st.integers(1, 8))
def test_the_table_is_each_hit_formatted_alone(
    items: list[tuple[object, ...]], piece_rows: int
) -> None:
    hits = [
        SearchHit(session, i, stamp, kind, module, line)  # type: ignore[arg-type]
        for i, (session, stamp, kind, module, line) in enumerate(items)
    ]
    assert table_text(as_rows(hits)) == reference_table(hits)
    # Written in pieces (a few rows here, PIECE_ROWS in use): the lines are escaped piece by
    # piece, the columns padded to the widest of all the rows.
    pieces = list(table_pieces(as_rows(hits), piece_rows))
    assert "".join(pieces) == reference_table(hits)
    assert [piece.count("\n") for piece in pieces] == [
        min(piece_rows, len(hits) - start) for start in range(0, len(hits), piece_rows)
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(-3 * 86_400, 3 * 86_400), max_size=40),
    st.sampled_from([0, 1_700_000_000, 10**11 - 86_400 * 2, -62_135_596_800, 253_402_214_400]),
)
def test_times_across_days_and_units(offsets: list[int], base: int) -> None:
    hits = [SearchHit("s", i, base + offset, "info", "m", "x") for i, offset in enumerate(offsets)]
    assert table_text(as_rows(hits)) == reference_table(hits)


def test_no_rows_no_text() -> None:
    assert table_text([]) == ""


# ------------------------------------------------------------------ through the command itself
def _store(archive: Archive, session_id: str, entries: list[dict[str, object]]) -> None:
    import json

    raw = json.dumps(entries).encode()
    archive.store(StoredAnswer(raw, "json", load_call_log(raw, source="t")), session_id, {})


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    path = tmp_path / "a.sqlite3"
    with Archive.open(path) as archive:
        for n in range(6):
            entries: list[dict[str, object]] = [
                {
                    "timestamp": 1_700_000_000 + n * 50_000 + i * 7,
                    "class": ["info", "error", "", "debug"][i % 4],
                    "module_type": ["rest", "", "menu"][i % 3],
                    "line": [
                        f"billing step {i}",
                        "billing \x1b[31mred\x1b[0m [bold]x[/bold]",
                        "billing\ttab\nnew line \u202e",
                        "billing é 日本",
                    ][i % 4],
                    "data": {"k": f"v{i}"},
                }
                for i in range(25)
            ]
            entries.append({"timestamp": 1_700_000_000_123, "class": "info", "line": "billing ms"})
            entries.append({"class": "info", "line": "billing no time"})
            _store(archive, f"300060;00{n};17\x1b{n}", entries)
    return path


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(argv)
    return status, out.getvalue()


@pytest.mark.parametrize(
    ("query", "options", "filters"),
    [
        ("billing", [], {}),
        ("billing", ["--limit", "7"], {"limit": 7}),
        ("billing", ["--limit", "1"], {"limit": 1}),
        ("", ["--class", "error"], {"classes": ["error"]}),
        ("billing", ["--module", "rest"], {"module": "rest"}),
        ("re:step\\s1", ["--limit", "5"], {"limit": 5}),  # checked in Python after SQL
        ("k:v3", [], {}),
        ("nosuchword", [], {}),
    ],
)
def test_the_command_prints_the_reference_table(
    archive_path: Path, query: str, options: list[str], filters: dict[str, object]
) -> None:
    with Archive.open(archive_path) as archive:
        hits = archive.search(query, **filters)  # type: ignore[arg-type]
        assert as_rows(hits) == table_rows(archive, query, **filters)  # type: ignore[arg-type]
    status, out = _run(["archive", "search", query, *options, "--archive", str(archive_path)])
    assert status == 0
    assert out == reference_table(hits)
