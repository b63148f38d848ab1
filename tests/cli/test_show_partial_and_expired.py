"""``show`` of a many-call dump with unreadable calls: the readable ones, a warning per call
left out, then exit 1 (never a silent partial success); a saved "expired" answer says what it
means; FORCE_COLOR colours a pipe, NO_COLOR wins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.cli.show import wants_color
from fuse_tui.emulator.encoding import to_xml


def _dump_with_one_bad_call(data_dir: Path, tmp_path: Path) -> tuple[Path, int]:
    answer = json.loads((data_dir / "all_logs.json").read_text(encoding="utf-8"))
    answer["calls"][1]["detail"][0]["timestamp"] = "soon"  # this call cannot be read
    path = tmp_path / "partly.json"
    path.write_text(json.dumps(answer), encoding="utf-8")
    return path, len(answer["calls"])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_dump_cut_short_shows_its_whole_calls_and_fails(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    data = (data_dir / "all_logs.json").read_bytes()
    if fmt == "xml":  # what /api/all_logs answers with Accept: application/xml
        data = to_xml(json.loads(data))
    path = tmp_path / f"cut.{fmt}"
    path.write_bytes(data[: data.index(b"300060;004;")])  # inside the second call
    assert main(["show", str(path)]) == 1  # never a silent partial success
    captured = capsys.readouterr()
    assert "300060;001;1529552581" in captured.out and "300060;004" not in captured.out
    warning = captured.err.splitlines()[0]
    told = f"fuse-tui: warning: {path}: the {fmt.upper()} ends too early (truncated?)"
    assert warning.startswith(told)
    assert "stops inside the call after call 1" in warning


def test_readable_calls_are_shown_and_the_others_named(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, total = _dump_with_one_bad_call(data_dir, tmp_path)
    assert main(["show", str(path)]) == 1
    captured = capsys.readouterr()
    assert "300060;001;1529552581" in captured.out  # the first call, readable, is printed
    assert "300060;004;1529559990" not in captured.out  # the bad one is not
    lines = captured.err.splitlines()
    assert len(lines) == 2, captured.err
    assert lines[0].startswith(f"fuse-tui: warning: {path}: ")
    assert lines[0].endswith("; this call was left out") and "soon" in lines[0]
    assert lines[1] == (
        f"fuse-tui: error: 1 of {total} calls could not be read (above); the others were shown"
    )


def test_partial_stdin_in_a_machine_format(data_dir: Path, tmp_path: Path) -> None:
    path, total = _dump_with_one_bad_call(data_dir, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "fuse_tui", "show", "-", "--format", "ndjson"],
        input=path.read_bytes(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert b"300060;001;1529552581" in done.stdout
    err = done.stderr.decode()
    assert err.startswith("fuse-tui: warning: stdin: ")
    assert err.endswith(f"1 of {total} calls could not be read (above); the others were shown\n")


def test_a_whole_readable_dump_still_exits_0(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(data_dir / "all_logs.json")]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", ["expired.json", "expired.xml"])
def test_a_saved_expired_answer_says_what_to_do(
    data_dir: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["show", str(data_dir / name)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fuse-tui: error: ")
    assert "expired" in err and "5 days" in err and "fuse-tui archive list" in err
    assert "answered with an error" not in err


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ({"FORCE_COLOR": ""}, False),
    ],
)
def test_force_color_colours_a_pipe_unless_no_color(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], expected: bool
) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with open(tmp_path / "out.txt", "w") as pipe_like:  # not a terminal
        assert wants_color(pipe_like) is expected


def test_force_color_end_to_end(data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run(
        [sys.executable, "-m", "fuse_tui", "show", str(data_dir / "seed_call.json")],
        capture_output=True,
        timeout=60,
        env={**env, "FORCE_COLOR": "1"},
        check=False,
    )
    assert done.returncode == 0 and b"\x1b[" in done.stdout


def test_importing_a_saved_expired_answer_says_what_it_is(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = str(tmp_path / "a.sqlite3")
    assert main(["archive", "import", "--archive", archive, str(data_dir / "expired.json")]) == 1
    err = capsys.readouterr().err
    assert "expired (Fuse keeps detailed logs for 5 days)" in err
    assert "answered with an error" not in err
