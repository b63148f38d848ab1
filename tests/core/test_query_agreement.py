"""One language, one answer: the TUI filter, ``Query.matches``, ``show --grep`` (on a JSON and an
XML dump of the same log) and archive search (FTS5 and its LIKE fallback) keep the same entries.

Archive words are whole words in the line and data values (FTS5), where the TUI's are substrings
of everything; the archive queries use words that read the same both ways (whole words found
only in lines and values), as the README says.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive
from fuse_tui.core.archive.search_run import matching_sessions, search_events
from fuse_tui.core.formats.xml_writer import xml_text
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query
from fuse_tui.ui.rows import EventRows
from tests.archive.conftest import answer_from

CLASSES = ["info", "error", "debug", "prompt"]
MODULES = ["rest", "menu", "email"]
VARS = ["var_a", "balance"]
# Whole words, in no key, class, module or variable name, and in no other word.
WORDS = ["nginx", "billing", "timeout", "upstream", "granted"]
KEYS = ["status", "url", "server", "elapsed_ms", "n"]
STRINGS = [*WORDS, "Nginx/1.2 ok", "billing timeout", "-3", "12.5", "503"]
T0 = 1_700_000_000

scalars = st.one_of(
    st.integers(-20, 600),
    st.sampled_from([0.5, 2.5, -1.5, 250.25]),
    st.sampled_from(STRINGS),
    st.booleans(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), inner, min_size=1, max_size=3),
    ),
    max_leaves=6,
)


@st.composite
def entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(1, 8))):
        data: dict[str, Any] = draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=3))
        if draw(st.booleans()):
            data["module_type"] = draw(st.sampled_from(MODULES))
        if draw(st.booleans()):
            data["result_variable"] = draw(st.sampled_from(VARS))
        words = draw(st.lists(st.sampled_from([*WORDS, "REST", "call"]), min_size=1, max_size=3))
        out.append(
            {
                "class": draw(st.sampled_from(CLASSES)),
                "timestamp": T0 + i,  # tells the entries apart in every output
                "event": {"line": " ".join(words), "data": data},
            }
        )
    return out


@st.composite
def queries(draw: st.DrawFn) -> str:
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        sign = "!" if draw(st.integers(0, 3)) == 0 else ""
        kind = draw(st.integers(0, 7))
        if kind <= 1:
            terms.append(sign + draw(st.sampled_from(WORDS)))
        elif kind == 2:
            name = draw(st.sampled_from(["class", "module", "line", "var"]))
            value = draw(st.sampled_from([*CLASSES, *MODULES, *VARS, *WORDS, "rr", "a"]))
            terms.append(f"{sign}{name}:{value}")
        elif kind == 3:
            name = draw(st.sampled_from([*KEYS, "n.n", "status.url"]))
            terms.append(f"{sign}{name}:{draw(st.sampled_from([*STRINGS, 'true', '5']))}")
        elif kind in (4, 5):
            op = draw(st.sampled_from([">", ">=", "<", "<=", "="]))
            number = draw(st.sampled_from(["0", "2.5", "-3", "503", "12.5", "100"]))
            terms.append(f"{sign}{draw(st.sampled_from(KEYS))}{op}{number}")
        elif kind == 6:
            terms.append(f'{sign}re:"{draw(st.sampled_from(["^nginx", "ms: 2", "t$"]))}"')
        else:
            terms.append(f"{sign}server:re:{draw(st.sampled_from(['^n', 'x$']))}")
    return " ".join(terms)


def grep(path: Path, query: str) -> list[int]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["show", str(path), "--grep", query, "-f", "ndjson"]) == 0
    return [json.loads(line)["timestamp"] - T0 for line in out.getvalue().splitlines()]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=entries(), query=queries())
def test_every_search_keeps_the_same_entries(log: list[dict[str, Any]], query: str) -> None:
    parsed = Query.parse(query)
    models = [LogEntry.model_validate(e) for e in log]
    expected = [i for i, entry in enumerate(models) if parsed.matches(entry)]

    rows = EventRows(models)
    rows.apply(query=parsed)
    assert rows.visible == expected

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        as_json = folder / "call.json"
        as_json.write_text(json.dumps(log), encoding="utf-8")
        as_xml = folder / "call.xml"
        as_xml.write_text(xml_text(log), encoding="utf-8")
        assert grep(as_json, query) == expected
        assert grep(as_xml, query) == expected

        with Archive.open(folder / "archive.sqlite3") as archive:
            archive.store(answer_from(json.dumps(log).encode()), "s1")
            archive.store(answer_from(xml_text(log).encode(), "xml"), "s2")
            for fts in (True, False):
                archive.fts_available = fts
                hits = search_events(archive._read, archive.get, query, fts=fts, limit=None)
                for session in ("s1", "s2"):
                    seqs = sorted(h.seq for h in hits if h.session_id == session)
                    assert seqs == expected, (session, fts)
                counts = matching_sessions(archive._read, archive.get, query, fts=fts)
                wanted = {"s1": len(expected), "s2": len(expected)} if expected else {}
                assert counts == wanted


def test_archive_search_through_the_archive_agrees_where_sql_answers_alone(
    tmp_path: Path,
) -> None:
    log = [
        {"class": "error", "timestamp": T0, "event": {"line": "nginx timeout", "data": {}}},
        {"class": "info", "timestamp": T0 + 1, "event": {"line": "billing", "data": {}}},
        {"class": "error", "timestamp": T0 + 2, "event": {"line": "granted", "data": {}}},
    ]
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        archive.store(answer_from(json.dumps(log).encode()), "s1")
        for query, seqs in [("class:error !timeout", [2]), ("!class:error", [1])]:
            assert sorted(h.seq for h in archive.search(query)) == seqs
