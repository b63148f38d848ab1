"""``fuse-tui archive stats``: text and JSON, filters, empty archives and windows, usage errors,
log content escaped, output that cannot be written."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive
from tests.archive.test_stats import HOUR, T, call


@pytest.fixture
def archive_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.sqlite3"
    with Archive.open(path) as archive:
        archive.store(
            call("Billing", "1.2", T, 5, ["timeout after 3012 ms", "evil \x1b[31m 7"]),
            "a",
            {"start": T},
        )
        archive.store(
            call("Billing", "1.3", T + HOUR, 7, ["timeout after 2990 ms"]),
            "b",
            {"start": T + HOUR, "src": "6175550142"},
        )
        archive.store(call("Survey", "2.0", T + 2 * HOUR, 3, []), "c", {"start": T + 2 * HOUR})
    return path


def stats(path: Path, *args: str) -> list[str]:
    return ["archive", "stats", "--archive", str(path), *args]


def test_text_report(archive_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(stats(archive_file)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "3 calls from 2023-11-14 22:00:00Z to 2023-11-15 00:00:00Z"
    assert lines[1] == "with errors: 2 (66.7%)"
    assert "Error lines (2 groups):" in lines
    timeout = next(line for line in lines if "timeout after # ms" in line)
    assert timeout.split()[0] == "2"
    assert "rest (lookup)" in out and "5 s" in out and "7 s" in out
    assert "Calls per hour (UTC; ! marks calls with errors):" in lines
    assert "2023-11-14 22:00Z" in out
    assert "Billing" in out and "Survey" in out
    assert "\x1b" not in out and "\\x1b" in out  # log content is escaped, never control


def test_json_document(archive_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(stats(archive_file, "--format", "json")) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert doc["version"] == 1
    assert (doc["calls"], doc["error_calls"]) == (3, 2)
    assert doc["error_rate"] == pytest.approx(2 / 3)
    assert doc["top_errors"][0] == {
        "pattern": "timeout after # ms",
        "count": 2,
        "example": "timeout after 2990 ms",
    }
    lookup = next(s for s in doc["slowest_steps"] if s["label"] == "rest (lookup)")
    assert (lookup["module"], lookup["variable"], lookup["steps"]) == ("rest", "lookup", 3)
    assert (lookup["median_seconds"], lookup["p95_seconds"]) == (5.0, 7.0)
    assert [h["calls"] for h in doc["per_hour"]] == [1, 1, 1]
    assert [h["error_calls"] for h in doc["per_hour"]] == [1, 1, 0]
    assert doc["per_hour"][0]["hour"] == T
    assert {(a["name"], a["version"]) for a in doc["apps"]} == {
        ("Billing", "1.2"),
        ("Billing", "1.3"),
        ("Survey", "2.0"),
    }
    assert doc["window"]["first_call"] == T


def test_filters_number_app_and_since(
    archive_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(stats(archive_file, "--number", "+1 (617) 555-0142", "--format", "json")) == 0
    assert json.loads(capsys.readouterr().out)["calls"] == 1
    assert main(stats(archive_file, "--app", "SURVEY", "--format", "json")) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["calls"], doc["error_calls"], doc["window"]["app"]) == (1, 0, "SURVEY")
    assert main(stats(archive_file, "--since", "36500d", "--format", "json")) == 0
    assert json.loads(capsys.readouterr().out)["calls"] == 3


def test_an_empty_window_is_one_sentence(
    archive_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(stats(archive_file, "--since", "1d")) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "No archived call in this window: widen --since/--until, or drop --number/--app.\n"
    )
    assert main(stats(archive_file, "--since", "1d", "--format", "json")) == 0
    assert json.loads(capsys.readouterr().out)["calls"] == 0


def test_an_empty_archive_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.sqlite3"
    Archive.open(path).close()
    assert main(stats(path)) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == "The archive has no calls yet: run `fuse-tui archive sync`.\n"


def test_a_missing_archive_is_an_error_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "a.sqlite3"
    assert main(stats(missing)) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    "args",
    [["--since", "yesterday"], ["--until", "-3d"], ["--since", "1d", "--until", "2d"]],
)
def test_bad_windows_are_usage_errors(
    archive_file: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    try:
        status = main(stats(archive_file, *args))
    except SystemExit as exc:  # argparse's own refusal
        status = int(exc.code or 0)
    assert status == 2
    err = capsys.readouterr().err
    assert "fuse-tui: error:" in err and "Traceback" not in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_an_error(archive_file: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "fuse_tui", *stats(archive_file, "--format", "json")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parents[2],
        )
    assert done.returncode == 1
    assert done.stderr.startswith("fuse-tui: error: cannot write the output")


def test_the_first_run_over_many_calls_says_it_reads_their_steps_once(
    archive_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fuse_tui.cli.archive_cmd.STATS_NOTE_CALLS", 2)
    conn = sqlite3.connect(archive_file)  # an archive from before stores recorded the facts
    conn.execute("DELETE FROM call_steps")
    conn.execute("DELETE FROM call_facts")
    conn.commit()
    conn.close()
    assert main(stats(archive_file)) == 0
    assert capsys.readouterr().err == (
        "fuse-tui: note: reading the steps of 3 archived calls once; later runs are quick\n"
    )
    assert main(stats(archive_file)) == 0
    assert capsys.readouterr().err == ""


def test_a_long_error_line_is_cut_in_the_table_and_whole_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "long.sqlite3"
    with Archive.open(path) as archive:
        archive.store(
            call("Billing", "1", T, 5, ["upstream said " + "x" * 5000]), "a", {"start": T}
        )
    assert main(stats(path)) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) < 300
    assert main([*stats(path), "-f", "json"]) == 0  # -f as in show, summary and diff
    document = json.loads(capsys.readouterr().out)
    assert any("x" * 5000 in group["example"] for group in document["top_errors"])
