"""The CLI on the one core service (issue 9): the service's fallback policy, numbers as people
type them, calls in time order whatever the unit. End to end against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.cli.remote import by_start
from fuse_tui.core.archive import Archive
from fuse_tui.core.model import CallSummary
from fuse_tui.emulator import EmulatorServer

EMAIL, KEY = "cli@example.com", "cli-s3cr3t-key"
NUMBER = "6175550142"  # the emulator's sample billing call comes from it
TYPED = "+1 (617) 555-0142"

pytestmark = pytest.mark.usefixtures("cli_environment")


def _live(server: EmulatorServer) -> str:
    return next(c.session_id for c in server.calls_for(EMAIL) if c.log and ";001;" in c.session_id)


def _archived(server: EmulatorServer, archive: Path, capsys: pytest.CaptureFixture[str]) -> str:
    sid = _live(server)
    assert main(["get", sid, "--archive", str(archive), "-o", str(archive.with_suffix(".j"))]) == 0
    capsys.readouterr()
    return sid


# -- the fallback policy: no credentials -----------------------------------------------------------
@pytest.mark.parametrize("command", ["show", "get"])
def test_with_no_key_an_archived_call_opens_with_a_note(
    server: EmulatorServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    archive = tmp_path / "a.sqlite3"
    sid = _archived(server, archive, capsys)
    monkeypatch.delenv("FUSE_DEVELOPER_KEY")
    target = tmp_path / "call.json"
    output = ["-o", str(target)] if command == "get" else []
    assert main([command, sid, "--archive", str(archive), *output]) == 0
    out, err = capsys.readouterr()
    if command == "show":
        assert "Executing application" in out
    else:
        assert target.read_bytes() == server.raw_call(EMAIL, sid)
        err = err.split("saved ")[0]  # then the "saved N bytes" line
    assert err.startswith("fuse-tui: note: No Fuse developer key is configured")
    assert "Using the copy in the local archive" in err and err.count("\n") == 1


def test_with_no_key_and_no_copy_show_says_what_to_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FUSE_DEVELOPER_KEY")
    assert main(["show", "300060;001;1", "--archive", str(tmp_path / "a.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: 300060;001;1: no such file, and no Fuse credentials")
    assert err.count("\n") == 1


def test_wrong_credentials_are_an_error_even_with_a_copy(
    server: EmulatorServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive = tmp_path / "a.sqlite3"
    sid = _archived(server, archive, capsys)
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", "not-the-key")
    assert main(["show", sid, "--archive", str(archive)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: Fuse rejected the credentials") and "note" not in err
    assert "not-the-key" not in err


# -- numbers as people type them -----------------------------------------------------------------
def test_calls_reads_the_number_as_typed(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calls", "--since", "14d", "--number", NUMBER, "--format", "json"]) == 0
    plain = capsys.readouterr().out
    assert main(["calls", "--since", "14d", "--number", TYPED, "--format", "json"]) == 0
    typed = capsys.readouterr().out
    assert typed == plain and NUMBER in typed
    everything = main(["calls", "--since", "14d", "--format", "json"])
    assert everything == 0 and len(capsys.readouterr().out) > len(plain)


@pytest.mark.parametrize(
    "argv",
    [
        ["calls"],
        ["archive", "sync"],
        ["archive", "list"],
        ["archive", "search", "x"],
    ],
)
@pytest.mark.parametrize("number", ["abc", "  ", "+()-"])
def test_a_number_without_digits_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], number: str
) -> None:
    # Dropped silently, it would have listed (or synced) every call.
    with pytest.raises(SystemExit) as stop:
        main([*argv, f"--number={number}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: --number: expected a phone number")
    assert err.count("\n") == 1


def test_archive_sync_list_and_search_read_the_number_as_typed(
    server: EmulatorServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "a.sqlite3"
    window = ["--since", "14d", "--archive", str(archive), "--progress", "none"]
    assert main(["archive", "sync", *window, "--number", TYPED]) == 0
    capsys.readouterr()
    with Archive.open(archive) as opened:
        synced = opened.archived_ids()
    wanted = {c.session_id for c in server.calls_for(EMAIL) if c.log and NUMBER in (c.src, c.dest)}
    assert synced == wanted and wanted

    assert main(["archive", "list", "--archive", str(archive), "--number", TYPED]) == 0
    listed = capsys.readouterr().out
    assert all(sid in listed for sid in wanted)
    assert main(["archive", "search", "--archive", str(archive), "--number", "617.555.0142"]) == 0
    found = capsys.readouterr().out
    assert found and all(any(sid in line for sid in wanted) for line in found.splitlines())


# -- calls in time order ---------------------------------------------------------------------------
def test_calls_sort_by_time_in_any_unit_and_unknown_last() -> None:
    calls = [
        CallSummary(session_id="unknown", start=None),
        CallSummary(session_id="seconds", start=1_750_000_100),
        CallSummary(session_id="millis", start=1_750_000_000_000),  # 100 s before "seconds"
        CallSummary(session_id="early", start=1_700_000_000),
    ]
    assert [c.session_id for c in sorted(calls, key=by_start)] == [
        "early",
        "millis",
        "seconds",
        "unknown",
    ]


# -- counts in words -------------------------------------------------------------------------------
def test_the_calls_line_counts_in_words(
    server: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calls", "--since", "14d", "--number", NUMBER]) == 0
    err = capsys.readouterr().err
    count = sum(1 for c in server.calls_for(EMAIL) if NUMBER in (c.src, c.dest))
    assert err.startswith(f"{count} call, " if count == 1 else f"{count} calls, ")
    assert "(s)" not in err
