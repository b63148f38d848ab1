"""Odd timestamps never break `show` or `archive list/search`: ms/µs/ns read as times, the rest
as raw numbers; JSON output stays standard JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive
from fuse_tui.core.formats import dump_csv, load_file
from tests.archive.conftest import make_answer

SECONDS = 1_529_552_692  # 2018-06-21 03:44:52 UTC
# (session ID, the call's listed start, its one entry's timestamp)
ODD_CALLS: list[tuple[str, Any, int]] = [
    ("ms;1", SECONDS * 1000, SECONDS * 1000),
    ("us;1", SECONDS * 1_000_000, SECONDS * 1_000_000),
    ("ns;1", SECONDS * 1_000_000_000, SECONDS * 1_000_000_000),
    ("e17;1", 10**17, 10**17),
    ("neg;1", -5, -5),
    ("float;1", SECONDS + 0.5, SECONDS),
    ("huge;1", 10**30, 10**30),
    ("inf;1", float("inf"), SECONDS),
]


pytestmark = pytest.mark.usefixtures("utc")


def _strict_json(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def odd_archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.sqlite3"
    with Archive.open(path) as archive:
        for session_id, start, stamp in ODD_CALLS:
            answer = make_answer([("info", f"line of {session_id}", {"module_type": "m"}, stamp)])
            archive.store(answer, session_id, {"src": "1", "dest": "2", "start": start})
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_archive_list_shows_every_unit_as_a_time(
    capsys: pytest.CaptureFixture[str], odd_archive: Path
) -> None:
    status, out, err = _run(capsys, "archive", "list", "--archive", str(odd_archive))
    assert status == 0, err
    lines = {line.split()[2]: line for line in out.splitlines()}
    for session_id in ("ms;1", "us;1", "ns;1", "float;1"):
        assert lines[session_id].startswith("2018-06-21 03:4"), lines[session_id]
    assert lines["e17;1"].startswith("1973-03-03 09:46:40Z")
    assert lines["neg;1"].startswith("1969-12-31 23:59:55Z")
    assert "Traceback" not in err
    status, out, err = _run(
        capsys, "archive", "list", "--archive", str(odd_archive), "--format", "json"
    )
    assert status == 0, err
    assert len(_strict_json(out)) == len(ODD_CALLS)


def test_archive_search_shows_every_unit_as_a_time(
    capsys: pytest.CaptureFixture[str], odd_archive: Path
) -> None:
    status, out, err = _run(capsys, "archive", "search", "--archive", str(odd_archive), "line")
    assert status == 0, err
    lines = {line.split()[2]: line for line in out.splitlines()}
    for session_id in ("ms;1", "us;1", "ns;1", "inf;1"):
        assert lines[session_id].startswith("2018-06-21 03:44:52Z"), lines[session_id]
    assert lines["e17;1"].startswith("1973-03-03 09:46:40Z")
    status, out, err = _run(
        capsys, "archive", "search", "--archive", str(odd_archive), "line", "--format", "json"
    )
    assert status == 0, err
    times = {hit["session_id"]: hit["time"] for hit in _strict_json(out)}
    assert times["ns;1"] == "2018-06-21 03:44:52Z"


@pytest.fixture
def infinite_dump(tmp_path: Path) -> Path:
    """An all_logs dump whose call starts at 1e999 (infinity to every JSON reader)."""
    call = {
        "src": "1",
        "dest": "2",
        "start": "START",
        "end": SECONDS + 5,
        "session_id": "inf;1",
        "detail": [{"event": {"line": "hello"}, "class": "info", "timestamp": SECONDS}],
    }
    path = tmp_path / "all_logs.json"
    path.write_text(json.dumps({"calls": [call]}).replace('"START"', "1e999"), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "ndjson", "xml"])
def test_show_an_all_logs_dump_starting_at_1e999(
    capsys: pytest.CaptureFixture[str], infinite_dump: Path, fmt: str
) -> None:
    status, out, err = _run(capsys, "show", "-f", fmt, str(infinite_dump))
    assert status == 0, err
    assert "Traceback" not in err
    if fmt == "text":
        assert "== call inf;1 · 1 → 2 · Infinity · 1 entry ==" in out
        assert "2018-06-21 03:44:52  info" in out
    elif fmt == "json":
        call = _strict_json(out)["calls"][0]
        assert call["start"] == "Infinity"  # standard JSON: the raw text, as a string
        assert call["end"] == SECONDS + 5
    elif fmt == "ndjson":
        for line in out.splitlines():
            _strict_json(line)
    else:
        assert "<start>Infinity</start>" in out


def test_json_output_of_1e999_reads_back_and_writes_the_same(
    capsys: pytest.CaptureFixture[str], infinite_dump: Path, tmp_path: Path
) -> None:
    status, written, _ = _run(capsys, "show", "-f", "json", str(infinite_dump))
    assert status == 0
    again = tmp_path / "again.json"
    again.write_text(written, encoding="utf-8")
    status, rewritten, err = _run(capsys, "show", "-f", "json", str(again))
    assert status == 0, err
    assert rewritten == written


def test_csv_of_an_all_logs_dump_starting_at_1e999(infinite_dump: Path) -> None:
    document = load_file(infinite_dump)
    rows = dump_csv(document.logs).decode().splitlines()
    assert rows[1].startswith(f"inf;1,{SECONDS},2018-06-21T03:44:52Z,info,")


def test_archive_orders_and_filters_calls_by_time_in_any_unit(odd_archive: Path) -> None:
    with Archive.open(odd_archive) as archive:
        archive.store(
            make_answer([("info", "newer", {}, SECONDS + 86400)]), "newer;1", {"start": None}
        )
        order = [call.session_id for call in archive.list_calls()]
        # Newest first: the call a day after the others, though those are listed in ms/µs/ns
        # (huge;1 has no time at all: its fetch time, today, stands in, as for any call).
        assert order[:2] == ["huge;1", "newer;1"], order
        assert order[-2:] == ["e17;1", "neg;1"], order
        recent = [call.session_id for call in archive.list_calls(since=SECONDS + 3600)]
        assert recent == ["huge;1", "newer;1"]
        chunked = archive.list_calls(session_ids=[f"x{i}" for i in range(1200)] + ["ms;1"])
        assert [call.session_id for call in chunked] == ["ms;1"]


def test_archive_search_filters_events_by_time_in_any_unit(odd_archive: Path) -> None:
    with Archive.open(odd_archive) as archive:
        found = {hit.session_id for hit in archive.search("", since=SECONDS - 60)}
        assert found == {"ms;1", "us;1", "ns;1", "float;1", "inf;1"}
        found = {hit.session_id for hit in archive.search("", since=SECONDS + 60)}
        assert found == set()
        found = {hit.session_id for hit in archive.search("", until=0)}
        assert found == {"neg;1"}
