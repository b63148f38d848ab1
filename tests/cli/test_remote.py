"""``fuse-tui get``, ``calls`` and ``show SESSION_ID`` end to end against the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.emulator import EmulatorServer

EMAIL, KEY = "cli@example.com", "cli-s3cr3t-key"

pytestmark = pytest.mark.usefixtures("cli_environment")


def live(server: EmulatorServer, marker: str = ";001;") -> str:
    return next(c.session_id for c in server.calls_for(EMAIL) if c.log and marker in c.session_id)


def expired(server: EmulatorServer) -> str:
    return next(c.session_id for c in server.calls_for(EMAIL) if not c.log)


def test_get_writes_the_answer_exactly_as_served(
    server: EmulatorServer, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    sid = live(server)
    assert main(["get", sid]) == 0
    assert capsysbinary.readouterr().out == server.raw_call(EMAIL, sid)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_get_to_a_file(
    server: EmulatorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    sid = live(server, ";007;")
    target = tmp_path / f"call.{fmt}"
    assert main(["get", f" '{sid}' ", "-o", str(target), "--format", fmt]) == 0
    assert target.read_bytes() == server.raw_call(EMAIL, sid, fmt)
    captured = capsys.readouterr()
    assert captured.out == "" and str(target) in captured.err
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["get", "EXPIRED"], "5 days"),
        (["get", "300060;999;1"], "no call log for session 300060;999;1"),
        (["get", "''"], "is not a session ID"),
        (["show", "EXPIRED"], "5 days"),
        (["calls", "--base-url", "http://fuse.example.com/api"], "--insecure-http"),
    ],
)
def test_failures_are_one_line_and_exit_1(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    args = [expired(server) if a == "EXPIRED" else a for a in args]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
    assert fragment in err
    assert KEY not in err


def test_wrong_key_is_an_auth_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", "wrong")
    assert main(["calls"]) == 1
    assert "HTTP 401" in capsys.readouterr().err


def test_missing_credentials(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FUSE_DEVELOPER_KEY")
    assert main(["calls"]) == 1
    assert "No Fuse developer key is configured" in capsys.readouterr().err


def test_flags_beat_the_environment(
    server: EmulatorServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FUSE_BASE_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("FUSE_EMAIL", "someone@example.com")
    assert main(["calls", "--base-url", server.base_url, "--email", EMAIL]) == 0


def test_calls_lists_the_window_as_a_table(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calls", "--since", "14d"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["START", "DURATION", "FROM", "TO", "TYPE", "LOG", "SESSION", "ID"]
    calls = server.calls_for(EMAIL)
    assert len(lines) == len(calls) + 1
    for call in calls:
        row = next(line for line in lines if line.endswith(call.session_id))
        assert ("yes" if call.log else "no") in row.split()
        assert (call.src or "") in row and (call.type or "") in row
    assert "Outbound" in out
    assert f"{len(calls)} calls, " in err  # plural(): "1 call", "2 calls", never "call(s)"


def test_a_saved_listing_shows_as_the_same_table(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["calls", "--since", "14d"]) == 0
    fetched = capsys.readouterr().out.splitlines()
    assert main(["calls", "--since", "14d", "--format", "json"]) == 0
    saved = tmp_path / "calls.json"
    saved.write_text(capsys.readouterr().out)
    assert main(["show", str(saved)]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[:-1] == fetched and shown[-1] == f"{len(fetched) - 1} calls"


def test_calls_since_24h_keeps_only_recent_calls(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calls", "--since", "24h", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    recent = [c for c in server.calls_for(EMAIL) if (c.start or 0) >= server.store.clock() - 86400]
    assert {c["session_id"] for c in document["calls"]} == {c.session_id for c in recent}
    assert document["total_calls"] == len(recent) > 0


def test_calls_explicit_window_and_json(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = server.calls_for(EMAIL)
    start, end = calls[2].start, calls[5].start
    assert start is not None and end is not None
    assert main(["calls", "--start", str(start), "--end", str(end), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["calls"]
    assert [c["session_id"] for c in listed] == [c.session_id for c in calls[2:5]]
    assert set(listed[0]) >= {"session_id", "src", "dest", "start", "end", "type", "log"}


@pytest.mark.parametrize(
    "args",
    [
        ["calls", "--end", "5"],
        ["calls", "--start", "10", "--end", "5"],
        ["calls", "--since", "soon"],
    ],
)
def test_bad_windows_are_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        status = main(args)
    except SystemExit as stop:  # refused by argparse while reading the command line
        status = int(stop.code or 0)
    assert status == 2
    assert capsys.readouterr().err.startswith("fuse-tui: error: ")


def test_show_fetches_a_session_id(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = live(server, ";007;")  # the billing call with ANSI text in a REST body
    assert main(["show", sid, "--data"]) == 0
    out = capsys.readouterr().out
    assert "REST request failed" in out and "Transferring call to 8005550199" in out
    assert "\x1b" not in out and "\\x1b[31m" in out


def test_show_json_of_a_session_matches_the_served_entries(
    server: EmulatorServer, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    sid = live(server)
    assert main(["show", sid, "--format", "json"]) == 0
    shown = json.loads(capsysbinary.readouterr().out)
    assert shown == json.loads(server.raw_call(EMAIL, sid))


def test_show_of_a_missing_file_is_still_a_file_error(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "missing-dump.json"]) == 1
    assert "missing-dump.json" in capsys.readouterr().err
    assert server.requests == []


def test_help_says_the_key_is_never_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("get", "calls"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "never taken on the command line" in out and "FUSE_DEVELOPER_KEY" in out
        assert "--developer-key" not in out and "--key" not in out
