"""``fuse-tui summary SOURCE``: SOURCE read as ``show`` reads it, every format, one story per call
of an all_logs dump, one-line errors with the conventional exit codes, an output written whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fuse_tui.cli import main
from tests.cli.test_whole_output import BUFFERING, HAS_DEV_FULL, to_dev_full
from tests.core.test_story import _check_html

EMAIL, KEY = "story@example.com", "story-s3cr3t-key"


@pytest.fixture(autouse=True)
def _utc(utc: None) -> None:
    """Times printed in UTC whatever the machine's zone."""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["summary", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_text_story_of_the_seed_call(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    status, out, err = _run(capsys, str(data_dir / "seed_call.json"))
    assert (status, err) == (0, "")
    assert out.startswith("Call · email test 0.2\n")
    assert "Start:       2018-06-21 03:44:52" in out
    assert 'heard     "Sending email"' in out
    assert "data      email tests@plumgroup.com → ok" in out
    assert "Ended:       The application exited (hangup)." in out


def test_xml_source_tells_the_same_story(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    _status, from_json, _ = _run(capsys, str(data_dir / "seed_call.json"))
    status, from_xml, _ = _run(capsys, str(data_dir / "seed_call.xml"))
    # The seed's own XML example says "test@", its JSON "tests@": the one difference.
    assert status == 0 and from_xml == from_json.replace("tests@", "test@")


def test_all_logs_gives_one_story_per_call(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    dump = data_dir / "all_logs.json"
    calls = json.loads(dump.read_text())["calls"]
    status, out, _ = _run(capsys, str(dump), "-f", "json")
    document = json.loads(out)
    assert status == 0 and document["version"] == 1
    assert [s["session_id"] for s in document["stories"]] == [c["session_id"] for c in calls]
    assert document["stories"][0]["caller"] == calls[0]["src"]
    status, out, _ = _run(capsys, str(dump))
    assert [line for line in out.splitlines() if line.startswith("Call ")] == [
        line for line in out.splitlines() if line.startswith("Call 300060;")
    ]
    assert sum(line.startswith("Call ") for line in out.splitlines()) == len(calls)


def test_markdown_and_html(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    status, out, _ = _run(capsys, str(data_dir / "all_logs.json"), "--format", "markdown")
    assert status == 0 and out.count("### Call ") == 2 and "| Ended |" in out
    status, out, _ = _run(capsys, str(data_dir / "seed_call.json"), "-f", "html", "--utc")
    assert status == 0 and out.startswith("<!DOCTYPE html>")
    _check_html(out)
    assert "2018-06-21 03:44:52 UTC" in out and 'class="c-prompt"' in out


def test_gap_flag(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    seed = str(data_dir / "seed_call.json")
    _, out, _ = _run(capsys, seed, "-f", "json", "--gap", "2")
    waits = [w for s in json.loads(out)["stories"][0]["steps"] for w in s["waits"]]
    assert [(w["after_entry"], w["entry"], w["seconds"]) for w in waits] == [(1, 2, 2), (4, 5, 2)]
    _, out, _ = _run(capsys, seed, "-f", "json")
    assert json.loads(out)["gap_seconds"] == 5


def test_stdin_source(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fuse_tui", "summary", "-", "-f", "json"],
        input=(data_dir / "seed_call.xml").read_bytes(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stories"][0]["application"] == "email test"


def test_a_call_list_is_no_call_log(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    status, out, err = _run(capsys, str(data_dir / "calls.json"))
    assert (status, out) == (1, "")
    assert err.startswith("fuse-tui: error: this is a call list") and err.count("\n") == 1


def test_unreadable_calls_of_a_dump_are_reported_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    dump = tmp_path / "partial.json"
    good = {"event": {"line": "x"}, "class": "info", "timestamp": 1}
    dump.write_text(
        json.dumps(
            {
                "calls": [
                    {"session_id": "1;1;1", "detail": [good]},
                    {"session_id": "2;2;2", "detail": "no"},
                ]
            }
        )
    )
    status, out, err = _run(capsys, str(dump))
    assert status == 1 and "Call 1;1;1" in out
    assert "fuse-tui: warning:" in err and "1 of 2 calls could not be read" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["nope-no-such-thing"],
        ["{seed}", "--gap", "0"],
        ["{seed}", "--gap", "x"],
        ["{seed}", "-f", "pdf"],
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], data_dir: Path, argv: list[str]
) -> None:
    args = [a.format(seed=data_dir / "seed_call.json") for a in argv]
    try:
        status = main(["summary", *args])  # the command's own usage errors return 2
    except SystemExit as raised:  # argparse's exit
        status = raised.code  # type: ignore[assignment]
    err = capsys.readouterr().err
    assert status == 2 and "fuse-tui: error:" in err


def test_a_missing_file_is_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("")
    status, _out, err = _run(capsys, str(empty))
    assert status == 1 and err.startswith("fuse-tui: error:") and err.count("\n") == 1


@pytest.mark.usefixtures("cli_environment")
def test_a_session_id_is_fetched_like_show_does(
    capsys: pytest.CaptureFixture[str], server: object, tmp_path: Path
) -> None:
    calls = server.calls_for(EMAIL)  # type: ignore[attr-defined]
    session = next(call.session_id for call in calls if call.log)  # a log still kept
    status, out, err = _run(capsys, session, "-f", "json", "--no-archive")
    assert status == 0, err
    (story,) = json.loads(out)["stories"]
    assert story["session_id"] == session and story["application"]
    assert KEY not in out + err


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
@BUFFERING
@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_an_output_cut_short_is_exit_1(unbuffered: bool, fmt: str, data_dir: Path) -> None:
    to_dev_full(["summary", str(data_dir / "all_logs.json"), "-f", fmt], unbuffered, {"TZ": "UTC"})
    assert os.path.exists("/dev/full")


def test_redact_masks_what_the_caller_entered_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [
        {
            "event": {
                "line": 'Executing application "bank" version "1"',
                "data": {"module_type": "start", "result_variable": "start"},
            },
            "class": "info",
            "timestamp": 1529552692,
        },
        {
            "event": {
                "line": "User input: 4111222233334444 (dtmf)",
                "data": {
                    "module_type": "digits",
                    "result_variable": "account_number",
                    "account_number": "4111222233334444",
                },
            },
            "class": "event",
            "timestamp": 1529552695,
        },
    ]
    dump = tmp_path / "call.json"
    dump.write_text(json.dumps(entries))
    for fmt in ("text", "markdown", "json", "html"):
        assert main(["summary", str(dump), "-f", fmt, "--redact"]) == 0
        out = capsys.readouterr().out
        assert "4111222233334444" not in out and "3334444" not in out, fmt
        assert "\u2039" in out or "&lsaquo;" in out or "\\u2039" in out, fmt
    assert main(["summary", str(dump)]) == 0
    assert "4111222233334444" in capsys.readouterr().out  # the test can fail
