"""What the archive knows across calls: ``fuse-tui archive stats`` and the Archive screen's line.

For the calls of a window (by call time, phone number, application or a list of session IDs):
how many there were and how many had an error, the most frequent error lines (grouped once
their variable parts — numbers, IDs, quoted values, URL query strings — are masked), the
slowest steps (median and 95th percentile per module and result variable), calls per hour, and
the applications seen.

Steps are ``core.steps.split_steps``'s, the one definition the story and the diff use. The
events table cannot give them (it keeps no result variable), so each call's steps and its
application are read once from its raw answer into ``call_facts``/``call_steps`` (schema v2),
lazily, the first time the stats need them (:func:`fill_call_facts`), and then summed up in
SQL. A call replaced or deleted loses its facts with it (``ON DELETE CASCADE``).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from fuse_tui.core.archive.blobs import unpack
from fuse_tui.core.archive.errors import ArchiveError, guard
from fuse_tui.core.archive.fields import entry_views
from fuse_tui.core.archive.queries import _WHEN
from fuse_tui.core.archive.rows import SQLITE_INT_MAX, SQLITE_INT_MIN, sqlite_int, storable_text
from fuse_tui.core.formats import ReadError, load_call_log
from fuse_tui.core.model import LogEntry
from fuse_tui.core.steps import Step, entry_moments, step_duration, step_rows
from fuse_tui.core.timestamps import epoch_seconds

if TYPE_CHECKING:  # store.py may call write_call_facts: no import cycle at run time
    from fuse_tui.core.archive.store import Archive

HOUR = 3600
# The first line of every Fuse call names the application that ran.
START_LINE = re.compile(r'Executing application "(?P<app>.*)" version "(?P<version>[^"]*)"')
_START_PREFIX = "Executing application"
# Facts are filled in transactions of about this many events: a running sync waits at most
# that long (a fraction of a second) for the write lock.
FILL_EVENTS_PER_TRANSACTION = 20_000
# The per-hour histogram reaches out to the window's bounds unless that makes it longer than
# this (``--since 100y`` on a week of calls); it always covers the first to the last call.
MAX_HISTOGRAM_HOURS = 366 * 24
TOP_ERRORS = 10
TOP_STEPS = 10


# ------------------------------------------------------------------------------------ records
@dataclass(frozen=True)
class StatsFilter:
    """Which calls count. Times are epoch seconds compared with the call's moment (its listed
    start, else its first event, else its fetch: as ``list_calls``); ``until`` is exclusive."""

    since: float | None = None
    until: float | None = None
    number: str | None = None  # as the archive keeps it: ``core.phone.normalize_number``
    app: str | None = None  # application name, any case
    session_ids: Sequence[str] | None = None

    @property
    def is_everything(self) -> bool:
        return (
            self.since is None
            and self.until is None
            and not self.number
            and not self.app
            and self.session_ids is None
        )


@dataclass(frozen=True)
class ErrorGroup:
    pattern: str  # the line with its variable parts masked
    count: int  # error events in the group
    example: str  # the group's most frequent line, as logged


@dataclass(frozen=True)
class StepTiming:
    module: str | None
    variable: str | None
    count: int  # steps with a known duration
    median: float  # seconds
    p95: float  # seconds, nearest rank

    @property
    def label(self) -> str:
        """``rest (var_3)``: the name ``core.steps`` gives the step."""
        return Step(0, self.module, self.variable, 0, 0, None, None, 0).label


@dataclass(frozen=True)
class HourBucket:
    start: int  # epoch seconds, a whole hour (UTC)
    calls: int
    errors: int  # calls with at least one error event


@dataclass(frozen=True)
class AppSeen:
    name: str
    version: str
    calls: int


@dataclass(frozen=True)
class ArchiveStats:
    calls: int
    error_calls: int
    first: float | None  # the window's earliest call moment
    last: float | None  # its latest
    top_errors: list[ErrorGroup] = field(default_factory=list)
    error_groups: int = 0  # how many groups there are in all
    slowest_steps: list[StepTiming] = field(default_factory=list)
    per_hour: list[HourBucket] = field(default_factory=list)
    apps: list[AppSeen] = field(default_factory=list)

    @property
    def error_rate(self) -> float:
        """Share of the calls with an error, 0.0 for no calls."""
        return self.error_calls / self.calls if self.calls else 0.0


# --------------------------------------------------------------------------- error line groups
_URL_QUERY = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#\"'<>]*)\?[^\s#\"'<>]*")
_QUOTED = re.compile(r"\"[^\"\n]*\"|(?<!\w)'[^'\n]*'(?!\w)")
_UUID = re.compile(r"\b[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b")
# A hex run long enough to be an ID (request IDs, hashes): 8+ hex digits with a digit in them.
_HEX_ID = re.compile(r"\b(?=[0-9a-fA-F]*[0-9])[0-9a-fA-F]{8,}\b")
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def error_pattern(line: str) -> str:
    """``line`` with what varies from call to call masked, so that "timeout after 3012 ms" and
    "timeout after 2990 ms" are one group: URL query strings → ``?…``, quoted values → ``"…"``,
    UUIDs and long hex IDs → ``<id>``, numbers → ``#``; runs of spaces become one."""
    text = _URL_QUERY.sub(r"\1?…", line)
    text = _QUOTED.sub('"…"', text)
    text = _UUID.sub("<id>", text)
    text = _HEX_ID.sub("<id>", text)
    text = _NUMBER.sub("#", text)
    return " ".join(text.split())


def group_error_lines(counts: dict[str, int]) -> list[ErrorGroup]:
    """Error lines (line → occurrences) grouped by :func:`error_pattern`, most frequent first;
    each group's example is its most frequent line (the first in order on a tie)."""
    members: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for line, count in counts.items():
        members[error_pattern(line)].append((line, count))
    groups = [
        ErrorGroup(
            pattern,
            sum(count for _line, count in lines),
            min(lines, key=lambda item: (-item[1], item[0]))[0],
        )
        for pattern, lines in members.items()
    ]
    groups.sort(key=lambda group: (-group.count, group.pattern))
    return groups


# -------------------------------------------------------------------------------- percentiles
def _value_at_rank(histogram: Sequence[tuple[int, int]], rank: int) -> int:
    """The ``rank``-th smallest value (1-based) of sorted (value, count) pairs."""
    seen = 0
    for value, count in histogram:
        seen += count
        if seen >= rank:
            return value
    raise ValueError(f"rank {rank} is beyond {seen} values")


def median_and_p95(histogram: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """The median (the mean of the two middle values for an even count) and the nearest-rank
    95th percentile of the values that the sorted (value, count) pairs describe."""
    total = sum(count for _value, count in histogram)
    if total <= 0:
        raise ValueError("no values")
    if total % 2:
        median = float(_value_at_rank(histogram, (total + 1) // 2))
    else:
        low = _value_at_rank(histogram, total // 2)
        median = (low + _value_at_rank(histogram, total // 2 + 1)) / 2
    return median, float(_value_at_rank(histogram, math.ceil(0.95 * total)))


# -------------------------------------------------------------------------------- histograms
def rebucket(hours: Sequence[HourBucket], bins: int) -> tuple[int, list[HourBucket]]:
    """At most ``bins`` buckets from consecutive hours: (hours per bucket, the buckets)."""
    if not hours:
        return 1, []
    width = max(1, math.ceil(len(hours) / max(1, bins)))
    merged = [
        HourBucket(
            part[0].start,
            sum(hour.calls for hour in part),
            sum(hour.errors for hour in part),
        )
        for part in (hours[i : i + width] for i in range(0, len(hours), width))
    ]
    return width, merged


def _hourly(
    counts: dict[int, tuple[int, int]], since: float | None, until: float | None
) -> list[HourBucket]:
    """Per-hour (calls, calls with an error) as consecutive hours, zeros included, from the first
    to the last call, stretched to the window's bounds when that stays under
    MAX_HISTOGRAM_HOURS."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if since is not None:
        first = min(first, int(since // HOUR) * HOUR)
    if until is not None:
        last = max(last, int(math.ceil(until / HOUR) - 1) * HOUR)
    if (last - first) // HOUR + 1 > MAX_HISTOGRAM_HOURS:
        first, last = min(counts), max(counts)
    return [HourBucket(hour, *counts.get(hour, (0, 0))) for hour in range(first, last + HOUR, HOUR)]


# ------------------------------------------------------------------------------- call facts
Facts = tuple[str | None, str | None, list[tuple[int, str | None, str | None, int | None]]]
NO_FACTS: Facts = (None, None, [])


def call_facts(entries: Sequence[LogEntry]) -> Facts:
    """(application, version, steps as (number, module, variable, duration)) of one call.

    ``entries``: the call's entries, or views of their fields (``fields.entry_views``), which
    give the same facts without a model per entry. A step lasts until the next step starts
    (``Step.duration``): the time between two steps is spent in the first, waiting for the
    caller or a server."""
    app = version = None
    for entry in entries:
        line = entry.event.line or ""
        if line.startswith(_START_PREFIX) and (found := START_LINE.match(line)):
            app, version = found["app"], found["version"]
            break
    # split_steps's steps as its rows (no Step object each), numbered from 1; each lasts until
    # the next one's start (the last: to its own end).
    steps = step_rows(entries, entry_moments(entries))
    starts: list[int | None] = [row[4] for row in steps[1:]]
    if steps:
        starts.append(None)
    rows = [
        (number, module, variable, step_duration(start, end, next_start))
        for number, (module, variable, _first, _last, start, end, _errors), next_start in zip(
            range(1, len(steps) + 1), steps, starts, strict=True
        )
    ]
    return app, version, rows


def _store_facts(conn: sqlite3.Connection, session_id: str, blob: bytes, codec: str) -> None:
    try:
        log = load_call_log(unpack(blob, codec, session_id), source="archive")
        facts = call_facts(entry_views(log.entries))
    except (ReadError, ArchiveError):
        # Stored answers were read once already; one that no longer reads counts as a call
        # with no steps, rather than being retried on every run.
        facts = NO_FACTS
    write_call_facts(conn, [(session_id, facts)])


# The call's moment and error count as the calls table has them (list_calls's order).
_INSERT_FACTS = (
    "INSERT OR REPLACE INTO call_facts (session_id, at, errors, app, version) "
    f"SELECT session_id, {_WHEN}, coalesce(json_extract(class_counts, '$.error'), 0), ?, ? "
    "FROM calls WHERE session_id = ?"
)
# The same rows from the values the caller has just written into the calls table (see
# fact_rows), and the steps' rows (step_rows_of): heads of inserts.multi_row_inserts.
FACTS_HEAD = "INSERT OR REPLACE INTO call_facts (session_id, at, errors, app, version) VALUES"
STEPS_HEAD = "INSERT INTO call_steps (session_id, number, module, variable, duration) VALUES"


def call_moment(start: int | None, first_ts: int | None, fetched_at: float) -> float:
    """The ``at`` of a call whose calls row holds ``start``, ``first_ts`` and ``fetched_at``:
    ``queries._WHEN`` (SQL over the row) computed in Python, with the very ``epoch_seconds``
    the SQL calls (the ``at`` column stores either as the same REAL)."""
    moment = epoch_seconds(start)
    if moment is None:
        moment = epoch_seconds(first_ts)
    return fetched_at if moment is None else moment


def fact_rows(
    facts: Sequence[tuple[str, Facts]], moments: Sequence[tuple[float, int]]
) -> list[tuple[Any, ...]]:
    """The call_facts rows (for :data:`FACTS_HEAD`) of calls just stored, from their facts
    and each one's (:func:`call_moment`, error count) from the values of its calls row: what
    :func:`write_call_facts` reads back from that row."""
    return [
        (session_id, at, errors, storable_text(app), storable_text(version))
        for (session_id, (app, version, _steps)), (at, errors) in zip(facts, moments, strict=True)
    ]


def step_rows_of(facts: Sequence[tuple[str, Facts]]) -> list[tuple[Any, ...]]:
    """The call_steps rows (for :data:`STEPS_HEAD`) of the calls' facts, in order."""
    return [
        (session_id, number, storable_text(module), storable_text(variable), sqlite_int(sec))
        for session_id, (_app, _version, steps) in facts
        for number, module, variable, sec in steps
    ]


def unchecked_step_rows(facts: Sequence[tuple[str, Facts]]) -> list[tuple[Any, ...]]:
    """:func:`step_rows_of` without its text check (``rows.storable_text``), for a writer that
    refuses what that check would change: a text that is not valid UTF-8 (a lone surrogate,
    which ``inserts.json_rows_insert`` cannot encode; then step_rows_of's rows are written)."""
    low, high = SQLITE_INT_MIN, SQLITE_INT_MAX
    return [
        (session_id, number, module, variable, sec if sec is None or low <= sec <= high else None)
        for session_id, (_app, _version, steps) in facts
        for number, module, variable, sec in steps
    ]


def write_call_facts(conn: sqlite3.Connection, facts: Sequence[tuple[str, Facts]]) -> None:
    """Record the facts (see :func:`call_facts`) of archived calls (their rows must exist),
    inside the caller's transaction, in one statement per table; each call's moment and error
    count are read from its calls row. (``Archive.store`` writes the rows of
    :func:`fact_rows` and :func:`step_rows_of` instead, from the values it has.)"""
    conn.executemany(
        _INSERT_FACTS,
        [
            (storable_text(app), storable_text(version), session_id)
            for session_id, (app, version, _steps) in facts
        ],
    )
    conn.executemany(f"{STEPS_HEAD} (?,?,?,?,?)", step_rows_of(facts))


_MISSING_FACTS = (
    "SELECT session_id, event_count FROM calls "
    "WHERE session_id NOT IN (SELECT session_id FROM call_facts)"
)


@guard
def calls_without_facts(archive: Archive) -> int:
    """How many archived calls the next stats will read the steps of first (index counts)."""
    rows = archive._read("SELECT (SELECT count(*) FROM calls) - (SELECT count(*) FROM call_facts)")
    return int(rows[0][0])


@guard
def fill_call_facts(archive: Archive) -> int:
    """Read the application and steps of every call that has none yet; returns how many.

    Reads each raw answer once (about 3 s per 100k events on the benchmark machine); later
    runs find nothing to do.
    """
    filled = 0
    while True:
        # Facts exist only for archived calls (the cascade): equal counts, nothing is missing.
        # Counting goes by index; looking for the missing ones walks the calls table.
        if not calls_without_facts(archive):
            return filled
        missing = archive._read(_MISSING_FACTS + " LIMIT 2000")
        if not missing:
            return filled
        batch: list[str] = []
        events = 0
        for row in missing:
            batch.append(row[0])
            events += int(row[1])
            if events >= FILL_EVENTS_PER_TRANSACTION:
                break
        with archive._write() as conn:
            for session_id in batch:
                # Read under the write lock: the call may have been replaced (or its facts
                # filled by another fuse-tui) since it was listed.
                found = conn.execute(
                    "SELECT raw, raw_codec FROM calls WHERE session_id = ? "
                    "AND session_id NOT IN (SELECT session_id FROM call_facts)",
                    (session_id,),
                ).fetchone()
                if found is not None:
                    _store_facts(conn, session_id, found[0], found[1])
                    filled += 1


# ---------------------------------------------------------------------------------- the stats
def _window(filters: StatsFilter) -> tuple[str, list[Any]]:
    """A ``win(session_id, at, errors)`` CTE: the window's calls, their moment and errors."""
    where: list[str] = []
    params: list[Any] = []
    if filters.since is not None:
        where.append("f.at >= ?")
        params.append(filters.since)
    if filters.until is not None:
        where.append("f.at < ?")
        params.append(filters.until)
    if filters.number:
        # Resolved to session IDs beforehand (see ``_by_number``): the numbers are in no index.
        raise ValueError("resolve StatsFilter.number first")
    if filters.app:
        where.append("f.app = ? COLLATE NOCASE")
        params.append(filters.app)
    if filters.session_ids is not None:
        # One parameter however many IDs (SQLite caps the number of bound parameters).
        where.append("f.session_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.session_ids)))
    sql = "WITH win AS (SELECT f.session_id, f.at, f.errors FROM call_facts f"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + ") ", params


def _by_number(archive: Archive, filters: StatsFilter) -> StatsFilter:
    """``filters`` with its number turned into session IDs, found in one walk of the calls
    table rather than once per figure (no index holds the numbers)."""
    rows = archive._read(
        "SELECT session_id FROM calls WHERE number = ? OR dest = ? OR src = ?",
        [filters.number] * 3,
    )
    found = [row[0] for row in rows]
    if filters.session_ids is not None:
        wanted = set(filters.session_ids)
        found = [session_id for session_id in found if session_id in wanted]
    return replace(filters, number=None, session_ids=found)


@contextmanager
def _snapshot(archive: Archive) -> Iterator[sqlite3.Connection]:
    """One read transaction, so every figure describes the same archive state."""
    conn = archive._conn
    with archive._lock:
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")


@guard
def archive_stats(
    archive: Archive,
    filters: StatsFilter | None = None,
    *,
    top_errors: int = TOP_ERRORS,
    top_steps: int = TOP_STEPS,
) -> ArchiveStats:
    """The figures for the calls ``filters`` selects (every call when None)."""
    filters = filters or StatsFilter()
    fill_call_facts(archive)
    if filters.number:
        filters = _by_number(archive, filters)
    win, params = _window(filters)
    # Without filters every call is in the window: no need to test membership row by row.
    in_window = "" if filters.is_everything else " AND {} IN (SELECT session_id FROM win)"
    with _snapshot(archive) as conn:
        hourly = conn.execute(
            win + f"SELECT CAST(at / {HOUR} AS INTEGER) * {HOUR}, count(*), "
            "sum(errors > 0), min(at), max(at) FROM win GROUP BY 1",
            params,
        ).fetchall()
        lines = dict(
            conn.execute(
                win + "SELECT e.line, count(*) FROM events e WHERE e.class = 'error'"
                f"{in_window.format('e.session_id')} GROUP BY e.line",
                params,
            ).fetchall()
        )
        durations = conn.execute(
            win + "SELECT s.module, s.variable, s.duration, count(*) FROM call_steps s "
            f"WHERE s.duration IS NOT NULL{in_window.format('s.session_id')} "
            "GROUP BY s.module, s.variable, s.duration ORDER BY s.module, s.variable, s.duration",
            params,
        ).fetchall()
        apps = [
            AppSeen(str(name), str(version or ""), int(count))
            for name, version, count in conn.execute(
                win + "SELECT f.app, f.version, count(*) FROM call_facts f "
                f"WHERE f.app IS NOT NULL{in_window.format('f.session_id')} "
                "GROUP BY f.app, f.version ORDER BY count(*) DESC, f.app, f.version",
                params,
            )
        ]
    groups = group_error_lines(lines)
    counts = {int(hour): (int(calls), int(errors)) for hour, calls, errors, _f, _l in hourly}
    return ArchiveStats(
        calls=sum(calls for calls, _errors in counts.values()),
        error_calls=sum(errors for _calls, errors in counts.values()),
        first=min((float(row[3]) for row in hourly), default=None),
        last=max((float(row[4]) for row in hourly), default=None),
        top_errors=groups[:top_errors],
        error_groups=len(groups),
        slowest_steps=_slowest(durations)[:top_steps],
        per_hour=_hourly(counts, filters.since, filters.until),
        apps=apps,
    )


def _slowest(rows: Sequence[tuple[str | None, str | None, int, int]]) -> list[StepTiming]:
    """Per (module, variable): the median and p95 of its durations, slowest median first."""
    histograms: dict[tuple[str | None, str | None], list[tuple[int, int]]] = defaultdict(list)
    for module, variable, duration, count in rows:
        histograms[(module, variable)].append((int(duration), int(count)))
    timings = []
    for (module, variable), histogram in histograms.items():
        histogram.sort()
        median, p95 = median_and_p95(histogram)
        total = sum(count for _value, count in histogram)
        timings.append(StepTiming(module, variable, total, median, p95))
    timings.sort(key=lambda t: (-t.median, -t.p95, t.module or "", t.variable or ""))
    return timings
