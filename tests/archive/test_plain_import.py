"""An all_logs dump imported straight from its text (``transfer._import_plain_dump`` and
``plain_calls``) gives the archive, and the import's result, that the usual road gives: the
dump read into logs (``load``), each call's answer and rows made from them."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive, import_file, plain_calls, store, transfer
from fuse_tui.core.archive.stats import archive_stats
from fuse_tui.emulator.encoding import encode
from fuse_tui.emulator.generator import generate_calls
from tests.archive.test_fast_import import SETTINGS, _content, calls, fuse_like_entries
from tests.core.log_strategies import json_values

# Entries the straight road takes (and some it leaves to the usual road: a timestamp in
# milliseconds, a class that is a number, a numeric module, an event without a line).
usual_entries = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.fixed_dictionaries(
                {"line": st.sampled_from(["hold on", "billing 3", "", "goodbye"])},
                optional={
                    "data": st.one_of(
                        st.none(),
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "module_type": st.sampled_from(["menu", "rest", ""]),
                                "result_variable": st.one_of(
                                    st.sampled_from(["var_1", "var_2"]), st.integers(), st.none()
                                ),
                                "n": json_values,
                            },
                        ),
                    )
                },
            ),
            "class": st.one_of(st.none(), st.sampled_from(["info", "error", "", "unknown"])),
            "timestamp": st.one_of(st.none(), st.integers(1_700_000_000, 1_700_000_030)),
        }
    ),
    max_size=6,
)
odd_entry = st.sampled_from(
    [
        {"event": {"line": "ms"}, "class": "info", "timestamp": 1_700_000_000_123},
        {"event": {"line": "n"}, "class": 7, "timestamp": 1_700_000_001},
        {"event": {"line": "m", "data": {"module_type": 5}}, "timestamp": 1_700_000_002},
        {"event": {"data": {"module_type": "menu"}}, "class": "info"},
        {"class": "info", "timestamp": 1_700_000_003},
        {"event": {"line": "f", "data": {"result_variable": 1.5}}},
        {"event": None, "class": "info"},
        {"event": {"line": "s"}, "timestamp": "1700000000"},
    ]
)
mixed_calls = st.lists(
    st.fixed_dictionaries(
        {
            "detail": st.one_of(
                usual_entries,
                st.tuples(usual_entries, odd_entry, usual_entries).map(
                    lambda parts: [*parts[0], parts[1], *parts[2]]
                ),
                fuse_like_entries,
                st.none(),
            )
        },
        optional={
            "session_id": st.one_of(st.sampled_from(["a", "b", "c", ""]), st.integers(0, 3)),
            "src": json_values,
            "start": st.one_of(st.integers(1_700_000_000, 1_700_000_100), st.text(max_size=3)),
        },
    ),
    min_size=1,
    max_size=5,
)


def _imported(folder: Path, data: bytes, *, straight: bool, rebuild_from: int) -> list[Any]:
    """The archive's content and the import's result after importing ``data`` into an
    empty archive, ``straight`` or by the usual road."""
    name = f"{'straight' if straight else 'usual'}-{rebuild_from}"
    dump = folder / f"{name}.json"
    dump.write_bytes(data)
    with (
        mock.patch.object(store, "REBUILD_MIN_EVENTS", rebuild_from),
        mock.patch.object(store, "time", SimpleNamespace(time=lambda: 1_800_000_000.0)),
        mock.patch.object(
            transfer,
            "plain_dump_calls",
            transfer.plain_dump_calls if straight else (lambda data: None),
        ),
        Archive.open(folder / f"{name}.sqlite3") as archive,
    ):
        try:
            result: Any = import_file(archive, dump)
        except Exception as exc:  # both roads must fail alike
            return [type(exc), str(exc).replace("straight", "usual")]
        outcome = [result.stored, result.skipped, result.id_from_file_name, result.cut]
        return [outcome, _content(archive)]


def _same_both_ways(data: bytes, *, ids_may_differ: bool = False) -> None:
    """``ids_may_differ``: where a commit per batch is made (a transaction of its own per
    batch), the events' ids (and so the full-text index's rowids) may be higher."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for rebuild_from in (0, 10**9):  # one transaction, or a commit per batch
            usual = _imported(folder, data, straight=False, rebuild_from=rebuild_from)
            straight = _imported(folder, data, straight=True, rebuild_from=rebuild_from)
            if ids_may_differ and rebuild_from:
                usual, straight = _without_event_ids(usual), _without_event_ids(straight)
            assert straight == usual


def _without_event_ids(imported: list[Any]) -> list[Any]:
    outcome, content = imported
    events = [row[1:] for row in content[1]]
    return [outcome, [content[0], events, *content[2:4], len(content[4]), *content[5:]]]


@SETTINGS
@given(mixed_calls)
def test_a_dump_imported_straight_gives_what_the_usual_road_gives(
    items: list[dict[str, Any]],
) -> None:
    _same_both_ways(json.dumps({"calls": items}).encode())


@SETTINGS
@given(calls)
def test_odd_dumps_imported_straight_give_what_the_usual_road_gives(
    items: list[dict[str, Any]],
) -> None:
    _same_both_ways(json.dumps({"calls": items}).encode())


def test_a_call_needing_the_slow_road_after_batches_were_committed(
    monkeypatch: Any,
) -> None:
    """The straight road meets, after committing batches, a call whose entry the slow road
    names as a problem: the usual road imports the whole dump again, with the same result
    and archive as on its own (the calls it replaces get new event ids: no other
    difference). Inside one transaction nothing was written: the very same archive."""
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 2)
    plain = {"event": {"line": "x"}, "class": "info", "timestamp": 1_700_000_000}
    items: list[dict[str, Any]] = [{"session_id": f"s{n}", "detail": [plain]} for n in range(6)]
    items.append({"session_id": "bad", "detail": [plain, [1, 2]]})  # an entry not an object
    items.append({"session_id": "last", "detail": [plain]})
    _same_both_ways(json.dumps({"calls": items}).encode(), ids_may_differ=True)


def test_a_generated_dump_gives_the_same_rows_answers_and_stats(tmp_path: Path) -> None:
    items = []
    for batch in range(2):
        for call in generate_calls(15, seed=batch, anchor=1_750_000_000):
            items.append(
                {
                    "session_id": f"{call.session_id}#{batch}",
                    "src": call.src,
                    "dest": call.dest,
                    "start": str(call.start),
                    "end": str(call.end),
                    "detail": json.loads(encode(call.entries, "json")),
                }
            )
    data = json.dumps({"calls": items}).encode()
    taken: list[bool] = []
    real = plain_calls.plain_call

    def spy(*args: Any) -> Any:
        prepared = real(*args)
        taken.append(prepared is not None)
        return prepared

    with mock.patch("fuse_tui.core.archive.preparing.plain_call", spy):
        _same_both_ways(data)
    assert taken and all(taken)  # every generated call went straight
    answers = []
    for straight in (False, True):
        dump = tmp_path / f"{straight}.json"
        dump.write_bytes(data)
        with (
            mock.patch.object(
                transfer,
                "plain_dump_calls",
                transfer.plain_dump_calls if straight else (lambda data: None),
            ),
            Archive.open(tmp_path / f"{straight}.sqlite3") as archive,
        ):
            import_file(archive, dump)
            stats = archive_stats(archive)
            answers.append(
                [
                    [(h.session_id, h.seq, h.line) for h in archive.search("billing", limit=None)],
                    [(h.session_id, h.seq) for h in archive.search("hold", limit=None)],
                    archive.matching_sessions("goodbye"),
                    (stats.calls, stats.error_calls, stats.top_errors, stats.slowest_steps),
                    stats.apps,
                ]
            )
    assert answers[0] == answers[1]
    assert answers[0][0] and answers[0][3][3]  # hits and step timings to compare
