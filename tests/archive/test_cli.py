"""``fuse-tui archive …``: end to end as a real process against the emulator over loopback, and
in-process for where the archive is, archives that are missing, the key command and the sync report.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.cli.archive_cmd import ProgressPrinter, _print_sync_report
from fuse_tui.core.archive import Archive, default_archive_path
from fuse_tui.core.sync import SyncFailure, SyncProgress, SyncReport
from fuse_tui.core.sync_summary import summarize
from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer
from fuse_tui.emulator.encoding import to_xml
from tests.archive.conftest import answer_from

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_750_000_000


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    emulator = EmulatorServer(EmulatorConfig(now=NOW, generated_calls=20, seed=5)).start()
    yield emulator
    emulator.stop()


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "FUSE_TUI_CONFIG": str(tmp_path / "no-config.toml"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        **env,
    }
    environ.pop("FUSE_DEVELOPER_KEY", None)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "fuse_tui", "archive", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sync_list_search_export_import(server: EmulatorServer, tmp_path: Path) -> None:
    archive = tmp_path / "a.sqlite3"
    creds = {
        "FUSE_EMAIL": DEMO_EMAIL,
        "FUSE_DEVELOPER_KEY": DEMO_KEY,
        "FUSE_BASE_URL": server.base_url,
    }
    window = ["--start", str(NOW - 400 * 86400), "--end", str(NOW + 1)]
    synced = run(["sync", "--archive", str(archive), *window], tmp_path, **creds)
    assert synced.returncode == 0, synced.stderr
    listed = server.calls_for(DEMO_EMAIL)
    available = [c for c in listed if c.log]
    assert f"fetched:          {len(available)}" in synced.stdout
    assert f"expired:          {len(listed) - len(available)}" in synced.stdout
    # Piped: plain progress lines, no carriage returns or escape sequences.
    assert "sync: " in synced.stderr and "\r" not in synced.stderr and "\x1b" not in synced.stderr
    assert DEMO_KEY not in synced.stdout + synced.stderr

    again = run(["sync", "--archive", str(archive), *window], tmp_path, **creds)
    assert f"already archived: {len(available)}" in again.stdout
    assert "fetched:          0" in again.stdout

    listing = run(["list", "--archive", str(archive), "--format", "json"], tmp_path)
    rows = json.loads(listing.stdout)
    assert {r["session_id"] for r in rows} == {c.session_id for c in available}
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts, reverse=True)

    found = run(
        ["search", "disconnecting", "--archive", str(archive), "--format", "json"], tmp_path
    )
    hits = json.loads(found.stdout)
    assert hits and all("disconnect" in h["line"].lower() for h in hits)
    errors = run(["search", "--class", "error", "--archive", str(archive)], tmp_path)
    assert errors.returncode == 0
    assert all("  error " in line for line in errors.stdout.splitlines())

    out = tmp_path / "export"
    exported = run(["export", "--all", "--to", str(out), "--archive", str(archive)], tmp_path)
    assert exported.returncode == 0, exported.stderr
    files = sorted(out.iterdir())
    assert len(files) == len(available)
    one = available[0]
    (match,) = [f for f in files if f.read_bytes() == server.raw_call(DEMO_EMAIL, one.session_id)]
    assert ";" not in match.name

    second = tmp_path / "b.sqlite3"
    imported = run(["import", "--archive", str(second), *map(str, files)], tmp_path)
    assert imported.returncode == 0, imported.stderr
    with Archive.open(second) as copy:
        assert copy.archived_ids() == {c.session_id for c in available}


def test_sync_without_credentials_fails_in_one_line(server: EmulatorServer, tmp_path: Path) -> None:
    result = run(
        ["sync", "--archive", str(tmp_path / "a.sqlite3")],
        tmp_path,
        FUSE_BASE_URL=server.base_url,
        FUSE_EMAIL=DEMO_EMAIL,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("fuse-tui: error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_foreign_archive_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("hello")
    result = run(["list", "--archive", str(target)], tmp_path)
    assert result.returncode == 1
    assert "not a fuse-tui archive" in result.stderr
    assert target.read_text() == "hello"


def test_path_defaults_to_the_platform_data_dir(tmp_path: Path) -> None:
    result = run(["path"], tmp_path)
    assert result.stdout.strip().endswith("archive.sqlite3")
    explicit = run(["path", "--archive", str(tmp_path / "x.db")], tmp_path)
    assert explicit.stdout.strip() == str(tmp_path / "x.db")


def test_search_output_escapes_control_characters(tmp_path: Path) -> None:
    dump = tmp_path / "evil.json"
    entry = {"event": {"line": "bad \x1b[2J line\u202e", "data": {}}, "class": "error"}
    dump.write_text(json.dumps([entry]))
    archive = str(tmp_path / "a.sqlite3")
    assert run(["import", "--archive", archive, str(dump)], tmp_path).returncode == 0
    found = run(["search", "bad", "--archive", archive], tmp_path)
    assert "\x1b" not in found.stdout and "\u202e" not in found.stdout
    assert "\\x1b[2J" in found.stdout


class FakeTty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.text = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_is_a_bar_on_a_terminal_and_lines_when_piped() -> None:
    clock = iter(range(0, 1000, 5))
    tty = FakeTty(True)
    bar = ProgressPrinter(tty, "auto", clock=lambda: float(next(clock)))  # type: ignore[arg-type]
    state = SyncProgress(total=4, started=0.0)
    for done in range(1, 5):
        state.fetched = done
        state.now = float(done)
        bar(state)
    assert tty.text.count("\r") == 4 and tty.text.endswith("\n")
    assert "4/4" in tty.text and "calls/s" in tty.text and "ETA" in tty.text
    piped = FakeTty(False)
    lines = ProgressPrinter(piped, "auto", clock=lambda: float(next(clock)))  # type: ignore[arg-type]
    lines(state)
    assert piped.text.startswith("sync: 4/4") and "\r" not in piped.text


@pytest.mark.skipif(os.name != "posix", reason="SIGINT delivery")
def test_ctrl_c_keeps_what_was_fetched_and_a_rerun_resumes(tmp_path: Path) -> None:
    import signal

    slow = EmulatorServer(EmulatorConfig(now=NOW, generated_calls=150, latency_ms=40)).start()
    try:
        archive = tmp_path / "a.sqlite3"
        env = {
            **os.environ,
            "FUSE_TUI_CONFIG": str(tmp_path / "none.toml"),
            "FUSE_EMAIL": DEMO_EMAIL,
            "FUSE_DEVELOPER_KEY": DEMO_KEY,
            "FUSE_BASE_URL": slow.base_url,
        }
        window = ["--start", str(NOW - 400 * 86400), "--end", str(NOW + 1)]
        command = [sys.executable, "-m", "fuse_tui", "archive", "sync", "--archive", str(archive)]
        args = [*command, *window, "--concurrency", "1"]
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # As from a terminal: a suite started in the background (`make test &`) inherits
            # an ignored SIGINT, and the sync would rightly ignore the interrupt too.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        assert process.stderr is not None
        while "fetched 0," in (line := process.stderr.readline()) or not line.startswith("sync:"):
            assert line, "sync ended before any progress"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, (out, err)
        assert "interrupted" in err and "re-run to resume" in err
        with Archive.open(archive) as opened:
            kept = opened.archived_ids()
        available = {c.session_id for c in slow.calls_for(DEMO_EMAIL) if c.log}
        assert 0 < len(kept) < len(available)
        rerun = subprocess.run(
            [*command, *window], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert rerun.returncode == 0, rerun.stderr
        assert f"already archived: {len(kept)}" in rerun.stdout
        with Archive.open(archive) as opened:
            assert opened.archived_ids() == available
    finally:
        slow.stop()


def test_export_to_a_file_is_one_error_not_one_per_call(tmp_path: Path, seed_json: bytes) -> None:
    archive = tmp_path / "a.sqlite3"
    with Archive.open(archive) as opened:
        for n in range(5):
            opened.store(answer_from(seed_json), f"300060;00{n};1529552581")
    target = tmp_path / "calls.json"
    target.write_text("keep me")
    done = run(["export", "--all", "--to", str(target), "--archive", str(archive)], tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "is a file, not a folder" in done.stderr
    assert target.read_text() == "keep me"


def test_import_says_when_a_file_name_became_the_session_id(
    tmp_path: Path, seed_json: bytes
) -> None:
    archive = str(tmp_path / "a.sqlite3")
    named = tmp_path / "300060%3B001%3B1529552581.json"
    named.write_bytes(seed_json)
    plain = tmp_path / "g.json"
    plain.write_bytes(seed_json)
    done = run(["import", str(named), "--archive", archive], tmp_path)
    assert done.returncode == 0 and "note" not in done.stderr
    done = run(["import", str(plain), "--archive", archive], tmp_path)
    assert done.returncode == 0 and done.stdout == f"imported g from {plain}\n"
    assert "its file name was taken as the session ID (g)" in done.stderr
    assert "--session-id" in done.stderr


def test_a_dump_cut_short_keeps_its_whole_calls_and_says_the_rest_is_missing(
    tmp_path: Path,
) -> None:
    # Fuse deletes logs after 5 days: a cut download may be the only copy of its first calls.
    dump = (ROOT / "tests" / "data" / "all_logs.json").read_bytes()
    first = json.loads(dump)["calls"][0]
    cut = tmp_path / "cut.json"
    cut.write_bytes(dump[: dump.index(b'"session_id"', dump.index(b"detail")) + 20])
    archive = tmp_path / "a.sqlite3"
    done = run(["import", str(cut), "--archive", str(archive)], tmp_path)
    assert done.returncode == 1  # something is missing: not a success
    assert done.stdout == f"imported {first['session_id']} from {cut}\n"
    error, summary = done.stderr.splitlines()
    assert error.startswith(f"fuse-tui: error: {cut}: the JSON ends too early (truncated?)")
    assert "stops inside the call after call 1" in error and "fetch them again" in error
    assert summary == f"1 call imported into {archive}"
    with Archive.open(archive) as opened:
        (stored,) = opened.list_calls()
        call = opened.get(stored.session_id)
        assert call is not None
        assert [e.to_api() for e in call.log.entries] == first["detail"]
    # A single call log cut short has no whole call to keep: refused as before, nothing stored.
    single = tmp_path / "300060%3B009%3B1529552581.json"
    single.write_bytes((ROOT / "tests" / "data" / "seed_call.json").read_bytes()[:300])
    done = run(["import", str(single), "--archive", str(archive)], tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert "ends too early" in done.stderr and "fetch them again" not in done.stderr


def test_an_xml_dump_cut_short_keeps_its_whole_calls(tmp_path: Path) -> None:
    calls = json.loads((ROOT / "tests" / "data" / "all_logs.json").read_bytes())["calls"]
    dump = to_xml({"calls": calls})
    cut = tmp_path / "cut.xml"
    cut.write_bytes(dump[: dump.index(b"<session_id>", dump.index(b"</detail>")) + 20])
    archive = tmp_path / "a.sqlite3"
    done = run(["import", str(cut), "--archive", str(archive)], tmp_path)
    assert done.returncode == 1
    assert done.stdout == f"imported {calls[0]['session_id']} from {cut}\n"
    error, summary = done.stderr.splitlines()
    assert summary == f"1 call imported into {archive}"
    assert error.startswith(f"fuse-tui: error: {cut}: the XML ends too early (truncated?)")
    assert "stops inside the call after call 1" in error and "fetch them again" in error
    with Archive.open(archive) as opened:
        call = opened.get(calls[0]["session_id"])
        assert call is not None
        assert [e.to_api() for e in call.log.entries] == calls[0]["detail"]


def test_the_archive_may_be_named_before_the_action(
    tmp_path: Path, seed_json: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "a.sqlite3"
    with Archive.open(archive) as opened:
        opened.store(answer_from(seed_json), "300060;001;1529552581")
    assert main(["archive", "--archive", str(archive), "list", "-f", "json"]) == 0
    assert [c["session_id"] for c in json.loads(capsys.readouterr().out)] == [
        "300060;001;1529552581"
    ]
    # Named after the action too, that one is used.
    empty = tmp_path / "empty.sqlite3"
    Archive.open(empty).close()
    assert main(["archive", "--archive", str(archive), "list", "--archive", str(empty)]) == 0
    assert "300060;001" not in capsys.readouterr().out


@pytest.mark.parametrize("action", ["search x", "list"])
def test_a_bad_since_is_a_usage_error(tmp_path: Path, action: str) -> None:
    archive = str(tmp_path / "a.sqlite3")
    with Archive.open(archive):
        pass
    done = run([*action.split(), "--since", "forever", "--archive", archive], tmp_path)
    assert done.returncode == 2
    assert (
        done.stderr == "fuse-tui: error: --since: 'forever' is not a duration like 5d, 12h or 30m\n"
    )


# The archive commands find their file by the service's one rule (core.service.archive_path).


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))


def test_without_anything_set_it_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", "path"]) == 0
    assert capsys.readouterr().out == f"{default_archive_path()}\n"


def test_the_config_path_even_with_autosave_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # enabled = false stops archiving every fetch; the archive commands still use the file.
    where = tmp_path / "c.sqlite3"
    _config(tmp_path, monkeypatch, f'[archive]\npath = "{where}"\nenabled = false\n')
    assert main(["archive", "path"]) == 0
    assert capsys.readouterr().out == f"{where}\n"


def test_the_flag_beats_the_config_and_a_broken_config_does_not_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, "this is = = not TOML\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["archive", "path", "--archive", "~/flag.sqlite3"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'flag.sqlite3'}\n"
    assert main(["archive", "path"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: cannot read the settings to find the archive")
    assert err.count("\n") == 1


def test_import_counts_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    archive = tmp_path / "a.sqlite3"
    dump = data_dir / "all_logs.json"
    assert main(["archive", "import", "--archive", str(archive), str(dump)]) == 0
    out, err = capsys.readouterr()
    imported = out.count("imported ")
    assert imported > 1
    assert err.splitlines()[-1] == f"{imported} calls imported into {archive}"  # not "call(s)"


# Reading commands never create an archive (or its folders) where none exists.


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["search", "menu"],
        ["export", "--all", "--to", "OUT"],
        ["export", "x", "--to", "OUT"],
    ],
)
def test_a_mistyped_archive_path_is_an_error_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    missing = tmp_path / "typo" / "archive.sqlite3"
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    assert main(["archive", *argv, "--archive", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fuse-tui: error: ") and err.count("\n") == 1
    assert str(missing) in err
    assert not (tmp_path / "typo").exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [["list"], ["search", "menu"]])
def test_no_archive_yet_at_the_default_path_is_a_note(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert not default_archive_path().exists()
    assert main(["archive", *argv]) == 0
    assert "archive sync" in capsys.readouterr().err
    assert not default_archive_path().parent.exists()


# Reading the archive never asks for the developer key (no gpg prompt for `archive list`).


@pytest.mark.parametrize(
    "argv", [["archive", "path"], ["archive", "list"], ["archive", "search", "x"]]
)
def test_archive_reading_commands_do_not_run_the_key_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    marker = tmp_path / "key-command-ran"
    script = tmp_path / "key.py"
    script.write_text(f"open({str(marker)!r}, 'a').write('x'); print('k')\n")
    config = tmp_path / "config.toml"
    config.write_text(
        f'email = "me@example.com"\ndeveloper_key_command = "{sys.executable} {script}"\n'
        f'[archive]\npath = "{tmp_path / "a.sqlite3"}"\n'
    )
    config.chmod(0o600)
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    main(argv)
    assert not marker.exists()


# `archive sync`'s report: the headline in core.sync_summary's words, counts for scripts.


START, END = 1_750_000_000, 1_750_086_400


def _printed(report: SyncReport, *, verbose: bool = False) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = _print_sync_report(out, report, START, END, verbose=verbose)
    return status, out.getvalue().splitlines()


def test_the_headline_says_what_the_calls_browser_says() -> None:
    report = SyncReport(listed=1, fetched=["a"], elapsed=1.25)
    status, lines = _printed(report)
    assert status == 0
    assert lines[0].endswith(f" in 1.2s: 1 call listed; {summarize(report)}")
    assert lines[1:5] == [
        "  fetched:          1",
        "  already archived: 0",
        "  expired:          0",
        "  failed:           0",
    ]
    assert not any("(s)" in line for line in lines)


def test_an_empty_window_is_said_once() -> None:
    status, lines = _printed(SyncReport())
    assert status == 0 and lines[0].endswith(": no calls in this window")


def test_failures_are_listed_and_exit_1() -> None:
    report = SyncReport(listed=2, fetched=["a"])
    report.failed.append(SyncFailure("b\x1b[2J", "server", "Fuse answered 500"))
    status, lines = _printed(report)
    assert status == 1
    assert "2 calls listed; 1 fetched, 0 already archived, 0 expired, 1 failed" in lines[0]
    assert "  failed b\\x1b[2J (server): Fuse answered 500" in lines
    assert lines[-1].startswith("Re-run `fuse-tui archive sync`")
