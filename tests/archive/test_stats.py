"""``core.archive.stats`` on small archives with known figures: counts, error rate, error line
groups, median/p95, hourly buckets, filters, the lazily filled steps and their agreement with
``core.steps.split_steps``, and the upgrade of a schema v1 archive."""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive, schema
from fuse_tui.core.archive.stats import (
    HOUR,
    HourBucket,
    StatsFilter,
    archive_stats,
    error_pattern,
    group_error_lines,
    median_and_p95,
    rebucket,
)
from fuse_tui.core.phone import normalize_number
from fuse_tui.core.steps import split_steps
from tests.archive.conftest import make_answer

T = 472_222 * HOUR  # 2023-11-14 22:00:00Z, a whole hour


def mod(module: str, variable: str) -> dict[str, Any]:
    return {"module_type": module, "result_variable": variable}


def call(app: str, version: str, at: int, lookup: int, errors: list[str]) -> Any:
    """A call starting at ``at`` whose rest/lookup step lasts ``lookup`` seconds."""
    lines: list[tuple[str, str, dict[str, Any], int]] = [
        ("info", f'Executing application "{app}" version "{version}"', mod("start", "start"), at),
        ("prompt", "Welcome", mod("prompt", "var_1"), at + 2),
        ("info", "GET https://api.example.com/x?id=1", mod("rest", "lookup"), at + 5),
    ]
    lines += [("error", line, mod("rest", "lookup"), at + 5) for line in errors]
    lines.append(("info", "bye", mod("exit", "hangup"), at + 5 + lookup))
    return make_answer(lines)


@pytest.fixture
def filled(archive: Archive) -> Archive:
    archive.store(call("Billing", "1.2", T, 5, ["timeout after 3012 ms"]), "a", {"start": T})
    archive.store(
        call("Billing", "1.3", T + HOUR + 60, 7, ["timeout after 2990 ms", 'bad value "abc"']),
        "b",
        {"start": T + HOUR + 60, "src": "6175550142", "dest": "8005550100"},
    )
    archive.store(call("Survey", "2.0", T + 2 * HOUR, 3, []), "c", {"start": T + 2 * HOUR})
    return archive


def test_counts_and_error_rate(filled: Archive) -> None:
    stats = archive_stats(filled)
    assert (stats.calls, stats.error_calls) == (3, 2)
    assert stats.error_rate == pytest.approx(2 / 3)
    assert (stats.first, stats.last) == (T, T + 2 * HOUR)


def test_error_lines_are_grouped_with_a_count_and_an_example(filled: Archive) -> None:
    stats = archive_stats(filled)
    assert stats.error_groups == 2
    top = stats.top_errors[0]
    assert (top.pattern, top.count) == ("timeout after # ms", 2)
    assert top.example in {"timeout after 3012 ms", "timeout after 2990 ms"}
    assert stats.top_errors[1].pattern == 'bad value "…"'


def test_step_median_and_p95_on_known_durations(filled: Archive) -> None:
    timings = {t.label: t for t in archive_stats(filled).slowest_steps}
    lookup = timings["rest (lookup)"]
    # 5, 7 and 3 seconds: the median is 5, the nearest-rank p95 (rank 3 of 3) is 7.
    assert (lookup.count, lookup.median, lookup.p95) == (3, 5.0, 7.0)
    assert timings["prompt (var_1)"].median == 3.0
    assert archive_stats(filled).slowest_steps[0].label == "rest (lookup)"


def test_calls_per_hour_include_the_empty_hours_of_the_window(filled: Archive) -> None:
    stats = archive_stats(filled)
    assert stats.per_hour == [
        HourBucket(T, 1, 1),
        HourBucket(T + HOUR, 1, 1),
        HourBucket(T + 2 * HOUR, 1, 0),
    ]
    wider = archive_stats(filled, StatsFilter(since=T - 2 * HOUR, until=T + 4 * HOUR))
    assert [b.start for b in wider.per_hour] == [T + i * HOUR for i in range(-2, 4)]
    assert sum(b.calls for b in wider.per_hour) == 3


def test_a_huge_window_is_not_a_huge_histogram(filled: Archive) -> None:
    stats = archive_stats(filled, StatsFilter(since=0))
    assert len(stats.per_hour) == 3


def test_filters_since_until_number_app_and_session_ids(filled: Archive) -> None:
    assert archive_stats(filled, StatsFilter(since=T + HOUR)).calls == 2
    assert archive_stats(filled, StatsFilter(until=T + HOUR)).calls == 1
    number = normalize_number("+1 (617) 555-0142")
    only_b = archive_stats(filled, StatsFilter(number=number))
    assert (only_b.calls, only_b.error_calls, only_b.error_groups) == (1, 1, 2)
    assert archive_stats(filled, StatsFilter(number="8005550100")).calls == 1
    billing = archive_stats(filled, StatsFilter(app="billing"))
    assert billing.calls == 2
    assert [(a.name, a.version) for a in billing.apps] == [("Billing", "1.2"), ("Billing", "1.3")]
    picked = archive_stats(filled, StatsFilter(session_ids=["a", "c", "missing"]))
    assert (picked.calls, picked.error_calls) == (2, 1)
    assert {t.label: t.count for t in picked.slowest_steps}["rest (lookup)"] == 2
    assert archive_stats(filled, StatsFilter(session_ids=[])).calls == 0


def test_applications_seen_with_their_versions(filled: Archive) -> None:
    apps = [(a.name, a.version, a.calls) for a in archive_stats(filled).apps]
    assert sorted(apps) == [("Billing", "1.2", 1), ("Billing", "1.3", 1), ("Survey", "2.0", 1)]


def test_an_empty_window(filled: Archive) -> None:
    empty = archive_stats(filled, StatsFilter(since=T + 10 * HOUR))
    assert (empty.calls, empty.error_rate, empty.per_hour, empty.top_errors) == (0, 0.0, [], [])
    assert (empty.slowest_steps, empty.apps, empty.first) == ([], [], None)


def test_an_empty_archive(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "empty.sqlite3") as empty:
        stats = archive_stats(empty)
    assert (stats.calls, stats.error_calls, stats.per_hour) == (0, 0, [])


def test_a_replaced_call_has_its_steps_read_again(filled: Archive) -> None:
    archive_stats(filled)
    filled.store(call("Billing", "9.9", T, 40, []), "a", {"start": T})
    stats = archive_stats(filled)
    assert stats.error_calls == 1
    assert ("Billing", "9.9") in {(a.name, a.version) for a in stats.apps}
    lookup = {t.label: t for t in stats.slowest_steps}["rest (lookup)"]
    assert (lookup.median, lookup.p95) == (7.0, 40.0)


def test_a_raw_answer_that_no_longer_reads_counts_as_a_call_without_steps(
    filled: Archive,
) -> None:
    # An archive written before stores recorded the facts: they are read from the raw answer.
    filled._conn.execute("DELETE FROM call_facts WHERE session_id = 'c'")
    filled._conn.execute("UPDATE calls SET raw = x'00ff' WHERE session_id = 'c'")
    stats = archive_stats(filled)
    assert stats.calls == 3
    assert "Survey" not in {a.name for a in stats.apps}
    assert archive_stats(filled).calls == 3  # and it is not retried as missing forever


def test_an_archive_of_schema_v1_is_upgraded_and_gets_stats(
    archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A version-1 archive as fuse-tui of that version wrote it: the answer stored as served.
    answer = call("Billing", "1.2", T, 5, ["timeout after 1 ms"])
    archive_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(archive_path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("BEGIN")
    schema.MIGRATIONS[0](conn)
    conn.execute(
        "INSERT INTO calls (session_id, raw, format, origin, fetched_at, start, event_count, "
        "class_counts) VALUES ('a', ?, 'json', 'api', 0, ?, ?, ?)",
        (answer.raw, T, len(answer.log.entries), json.dumps(dict(answer.log.class_counts()))),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()
    conn = sqlite3.connect(archive_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    with Archive.open(archive_path) as upgraded:
        stats = archive_stats(upgraded)
        assert (stats.calls, stats.error_calls, stats.apps[0].name) == (1, 1, "Billing")
        # Deleting the call drops its facts too (the cascade through call_facts).
        upgraded._conn.execute("DELETE FROM calls")
        assert upgraded._conn.execute("SELECT count(*) FROM call_steps").fetchone()[0] == 0
    conn = sqlite3.connect(archive_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()


# ------------------------------------------------------------------------- pure functions
@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ("timeout after 3012 ms", "timeout after # ms"),
        (
            "REST 503 at https://a.example/v1/c/17?key=abc&x=2 now",
            "REST # at https://a.example/v#/c/#?… now",
        ),
        ("bad value 'x y' for \"field\"", 'bad value "…" for "…"'),
        ("request 123e4567-e89b-12d3-a456-426614174000 failed", "request <id> failed"),
        ("trace 9f86d081884c7d65 lost", "trace <id> lost"),
        ("I didn't get that, sorry", "I didn't get that, sorry"),
        ("took 1,234.5  s", "took # s"),
    ],
)
def test_error_patterns_mask_what_varies(line: str, pattern: str) -> None:
    assert error_pattern(line) == pattern


def test_groups_are_ordered_by_count_with_their_most_frequent_line_as_example() -> None:
    groups = group_error_lines({"a 1": 1, "a 2": 5, "b": 3})
    assert [(g.pattern, g.count, g.example) for g in groups] == [("a #", 6, "a 2"), ("b", 3, "b")]


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=60))
def test_median_and_p95_from_a_histogram_match_the_plain_definitions(values: list[int]) -> None:
    histogram = sorted(Counter(values).items())
    median, p95 = median_and_p95(histogram)
    ordered = sorted(values)
    assert median == statistics.median(values)
    assert p95 == ordered[-(-95 * len(values) // 100) - 1]


def test_rebucket_merges_consecutive_hours() -> None:
    hours = [HourBucket(T + i * HOUR, i, i % 2) for i in range(5)]
    width, merged = rebucket(hours, 2)
    assert width == 3
    assert merged == [HourBucket(T, 3, 1), HourBucket(T + 3 * HOUR, 7, 1)]
    assert rebucket(hours, 10) == (1, hours)
    assert rebucket([], 3) == (1, [])


# ------------------------------------------------------ agreement with core.steps.split_steps
_entries = st.lists(
    st.tuples(
        st.sampled_from(["info", "error", "prompt"]),
        st.sampled_from(["a", "b", None]),
        st.sampled_from(["x", "y", None]),
        st.one_of(
            st.none(),
            st.integers(min_value=1_600_000_000, max_value=1_600_000_100),
            st.integers(min_value=1_600_000_000_000, max_value=1_600_000_100_000),
        ),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=_entries)
def test_stored_steps_agree_with_split_steps(archive: Archive, entries: list[Any]) -> None:
    raw = [
        {
            "event": {
                "line": "x",
                "data": {
                    k: v
                    for k, v in (("module_type", module), ("result_variable", variable))
                    if v is not None
                },
            },
            "class": cls,
            "timestamp": ts,
        }
        for cls, module, variable, ts in entries
    ]
    archive.store(make_answer_raw(raw), "g")
    archive_stats(archive)
    stored = archive._conn.execute(
        "SELECT number, module, variable, duration FROM call_steps WHERE session_id = 'g' "
        "ORDER BY number"
    ).fetchall()
    got = archive.get("g")
    assert got is not None
    steps = split_steps(got.log.entries)
    expected = [
        (s.number, s.module, s.variable, s.duration(n.start if n else None))
        for s, n in zip(steps, [*steps[1:], None], strict=False)
    ]
    assert stored == expected
    timed = [d for *_rest, d in expected if d is not None]
    assert sum(t.count for t in archive_stats(archive).slowest_steps) == len(timed)


def make_answer_raw(entries: list[dict[str, Any]]) -> Any:
    from tests.archive.conftest import answer_from

    return answer_from(json.dumps(entries).encode())


def test_a_start_time_from_a_later_listing_moves_the_call_in_the_stats(filled: Archive) -> None:
    assert archive_stats(filled, StatsFilter(since=T + 5 * HOUR)).calls == 0
    filled.update_meta_many([("a", {"start": T + 6 * HOUR})])
    moved = archive_stats(filled, StatsFilter(since=T + 5 * HOUR))
    assert (moved.calls, moved.first) == (1, T + 6 * HOUR)
    # The same start again leaves the facts alone (nothing to read again).
    before = filled._conn.execute("SELECT count(*) FROM call_facts").fetchone()[0]
    filled.update_meta_many([("a", {"start": T + 6 * HOUR})])
    assert filled._conn.execute("SELECT count(*) FROM call_facts").fetchone()[0] == before


def test_facts_written_at_store_time_are_the_ones_the_stats_would_read(
    filled: Archive, tmp_path: Path
) -> None:
    from fuse_tui.core.archive.stats import call_facts, calls_without_facts, write_call_facts

    filled._conn.execute("DELETE FROM call_facts")  # as an archive from before store wrote them
    assert calls_without_facts(filled) == 3
    lazy = archive_stats(filled)
    with Archive.open(tmp_path / "eager.sqlite3") as eager:
        for session_id in ("a", "b", "c"):
            got = filled.get(session_id)
            assert got is not None
            eager.store(make_answer_raw_bytes(got.raw), session_id, got.meta)
            with eager._write() as conn:
                # From the models: the facts store wrote from field views must be the same.
                write_call_facts(conn, [(session_id, call_facts(list(got.log.entries)))])
        assert calls_without_facts(eager) == 0
        assert archive_stats(eager) == lazy


def make_answer_raw_bytes(raw: bytes) -> Any:
    from tests.archive.conftest import answer_from

    return answer_from(raw)
