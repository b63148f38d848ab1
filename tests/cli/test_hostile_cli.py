"""A demanding user and an attacker at the shell: every failure is one line, exit 1 or 2, with no
traceback; nothing the user typed reaches an unexpected URL or file."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from fuse_tui.cli import main
from fuse_tui.core.formats import load_call_log
from fuse_tui.emulator import EmulatorServer

EMAIL, KEY = "hostile@example.com", "SEKRIT-KEY-123"

pytestmark = pytest.mark.usefixtures("cli_environment")


def live(server: EmulatorServer) -> str:
    return next(c.session_id for c in server.calls_for(EMAIL) if c.log)


def exit_status(argv: list[str]) -> int:
    """main's status, or the one argparse exits with for a usage error found while parsing."""
    try:
        return main(argv)
    except SystemExit as stop:
        return int(stop.code or 0)


def one_line_error(err: str) -> None:
    assert err.startswith("fuse-tui: error: "), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err and KEY not in err


# Undecodable bytes on the command line arrive in argv as lone surrogates (PEP 383).
@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["get", "ab\udcff"], 1),
        # show: a word without digits names no file and no session (core.sources): usage error.
        (["show", "ab\udcff"], 2),
        (["get", ".."], 1),
        (["show", ".."], 1),
    ],
)
def test_session_ids_that_cannot_be_asked_for(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str], argv: list[str], status: int
) -> None:
    assert main(argv) == status
    one_line_error(capsys.readouterr().err)
    assert server.requests == []


def test_archive_export_of_an_undecodable_session_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = str(tmp_path / "a.sqlite3")
    assert main(["archive", "export", "--archive", archive, "--to", str(tmp_path), "x\udcff"]) == 1
    one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("variable", ["FUSE_EMAIL", "FUSE_DEVELOPER_KEY"])
def test_undecodable_credentials_are_one_sentence(
    server: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
) -> None:
    monkeypatch.setenv(variable, os.environ[variable] + "\udcff")
    assert main(["calls"]) == 1
    err = capsys.readouterr().err
    one_line_error(err)
    assert "not valid text" in err


@pytest.mark.parametrize("since", ["inf", "nan", "-inf", "1e400d", "infinity"])
@pytest.mark.parametrize("command", [["calls"], ["archive", "search", "x"], ["archive", "list"]])
def test_non_finite_durations_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], since: str, command: list[str]
) -> None:
    extra = ["--archive", str(tmp_path / "a.sqlite3")] if command[0] == "archive" else []
    assert exit_status([*command, *extra, f"--since={since}"]) == 2
    err = capsys.readouterr().err
    one_line_error(err)
    assert "duration" in err


@pytest.mark.parametrize("timeout", ["nan", "NaN"])
def test_a_nan_timeout_is_refused(capsys: pytest.CaptureFixture[str], timeout: str) -> None:
    assert exit_status(["calls", "--timeout", timeout]) == 2
    err = capsys.readouterr().err
    one_line_error(err)
    assert "timeout" in err


def test_show_accepts_a_pasted_api_url(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # `get URL` already takes a whole pasted /api/call/ URL; `show` said "no such file".
    sid = live(server)
    assert main(["show", "--no-archive", f"  {server.base_url}/call/{quote(sid, safe='')} "]) == 0
    out = capsys.readouterr().out
    entries = load_call_log(server.raw_call(EMAIL, sid), source="served").entries
    assert len(out.splitlines()) == len(entries) > 0


def test_get_to_a_symlink_keeps_the_link(
    server: EmulatorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = live(server)
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert main(["get", "--no-archive", sid, "-o", str(link)]) == 0
    assert link.is_symlink()
    assert real.read_bytes() == server.raw_call(EMAIL, sid)
