"""The call_facts row a store writes from the values it has (stats.call_moment) is the row the
SQL reading the calls row back writes (stats._INSERT_FACTS, as fill_call_facts does)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive
from fuse_tui.core.archive.stats import fill_call_facts
from tests.archive.conftest import answer_from

stamps = st.one_of(
    st.none(),
    st.integers(1_700_000_000, 1_700_000_900),
    st.integers(1_700_000_000_000, 1_700_000_900_000),  # milliseconds
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 10**11 - 1, 10**11, 10**20, 2**63, -(2**63)]),
)
starts = st.one_of(
    stamps, st.text(max_size=5), st.booleans(), st.floats(allow_nan=False, allow_infinity=False)
)
classes = st.sampled_from(["info", "error", "", None, "prompt"])
entries = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.fixed_dictionaries(
                {"line": st.just("x"), "data": st.just({"module_type": "menu"})}
            ),
            "class": classes,
            "timestamp": stamps,
        }
    ),
    max_size=4,
)
calls = st.lists(
    st.tuples(entries, st.dictionaries(st.just("start"), starts), st.floats(0, 2e9)),
    min_size=1,
    max_size=3,
)

FACTS = "SELECT session_id, at, typeof(at), errors, typeof(errors), app, version FROM call_facts"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls)
def test_stored_facts_are_the_sql_reading_of_the_calls_row(
    items: list[tuple[list[dict[str, Any]], dict[str, Any], float]],
) -> None:
    with tempfile.TemporaryDirectory() as folder, Archive.open(Path(folder) / "a.sqlite3") as a:
        answers = [
            (answer_from(json.dumps(found).encode()), f"s{n}", meta)
            for n, (found, meta, _when) in enumerate(items)
        ]
        for (answer, session_id, meta), (_e, _m, when) in zip(answers, items, strict=True):
            a.store(answer, session_id, meta, fetched_at=when)
        a.store_many(answers, fetched_at=items[0][2])  # the batch road too
        stored = a._conn.execute(FACTS + " ORDER BY rowid").fetchall()
        a._conn.execute("DELETE FROM call_facts")
        assert fill_call_facts(a) == len(items)
        read = a._conn.execute(FACTS + " ORDER BY rowid").fetchall()
        assert sorted(stored) == sorted(read)
