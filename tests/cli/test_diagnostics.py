"""-v/--verbose and --debug on every command, FUSE_TUI_LOG, and the key never in a log line.

Real fetches against the emulator over loopback: a success, retries of a failing server, and
an error answer, all at DEBUG with a distinctive key that must appear nowhere.
"""

from __future__ import annotations

import argparse
import base64
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.logsetup import QUIET, configure_logging
from fuse_tui.emulator import EmulatorConfig, EmulatorServer

EMAIL, KEY = "diag@example.com", "k3y-DIAGNOSTIC-7f3a9c"
TOKEN = base64.b64encode(f"{EMAIL}:{KEY}".encode()).decode()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    configure_logging(QUIET)  # later tests see the quiet default


def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, server: EmulatorServer) -> None:
    config = tmp_path / "config.toml"
    config.write_text("retries = 1\n", encoding="utf-8")  # one retry keeps the test quick
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    monkeypatch.setenv("FUSE_BASE_URL", server.base_url)
    monkeypatch.setenv("FUSE_EMAIL", EMAIL)
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", KEY)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.delenv("FUSE_TUI_LOG", raising=False)


def _live(server: EmulatorServer) -> str:
    return next(c.session_id for c in server.calls_for(EMAIL) if c.log)


def _assert_no_secret(text: str) -> None:
    assert KEY not in text and TOKEN not in text
    assert "k3y-DIAGNOSTIC" not in text  # not even a part of it


def test_debug_fetch_explains_requests_and_never_shows_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "fuse.log"
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY})) as server:
        _environment(monkeypatch, tmp_path, server)
        monkeypatch.setenv("FUSE_TUI_LOG", str(log_file))
        assert main(["get", _live(server), "--debug", "--no-archive"]) == 0
    err = capsys.readouterr().err
    assert "fuse-tui: INFO: fuse_tui.client: GET http://127.0.0.1:" in err
    assert "-> HTTP 200" in err and " ms (attempt 1)" in err
    assert "developer_key: from environment (FUSE_DEVELOPER_KEY)" in err
    assert "retries" in err  # the client's budget, at DEBUG
    _assert_no_secret(err)
    written = log_file.read_text(encoding="utf-8")
    assert "-> HTTP 200" in written
    _assert_no_secret(written)
    assert log_file.stat().st_mode & 0o077 == 0  # only its owner reads it


def test_retries_and_the_final_error_are_explained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}, fail_rate=1.0)) as server:
        _environment(monkeypatch, tmp_path, server)
        assert main(["get", "300060;001;1529552581", "-v", "--no-archive"]) == 1
    err = capsys.readouterr().err
    assert "attempt 1 of 2 failed (server: " in err and "retrying in " in err and "(backoff)" in err
    assert "-> HTTP 5" in err
    assert err.splitlines()[-1].startswith("fuse-tui: error: ")
    _assert_no_secret(err)


def test_a_refused_key_is_logged_without_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: "another-key"})) as server:
        _environment(monkeypatch, tmp_path, server)
        assert main(["get", "300060;001;1529552581", "--debug"]) == 1
    err = capsys.readouterr().err
    assert "-> HTTP 401" in err
    _assert_no_secret(err)


def test_a_record_quoting_the_key_or_a_basic_header_is_scrubbed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever a future log statement (or httpx) writes: the filter is the guarantee."""
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY})) as server:
        _environment(monkeypatch, tmp_path, server)
        assert main(["get", _live(server), "--debug", "--no-archive"]) == 0
    capsys.readouterr()
    careless = logging.getLogger("fuse_tui.careless")
    careless.debug("key=%s header=%s", KEY, f"Authorization: Basic {TOKEN}")
    careless.info("plain Bearer abc.def-ghi and \x1b[31mred\x1b[0m")
    err = capsys.readouterr().err
    _assert_no_secret(err)
    assert "[secret removed]" in err and "abc.def-ghi" not in err
    assert "\x1b" not in err and "\\x1b[31m" in err
    assert len(err.splitlines()) == 2  # one line per record


def test_quiet_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY})) as server:
        _environment(monkeypatch, tmp_path, server)
        assert main(["get", _live(server), "--no-archive"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["archive", "path", "-v"],
        ["archive", "--debug", "path"],  # before the action too: kept, not reset by `path`
        ["config", "path", "--verbose"],
        ["completion", "bash", "--debug"],
        ["show", "SEED", "-v"],
    ],
)
def test_commands_run_with_the_diagnostic_options(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "none.toml"))
    argv = [str(data_dir / "seed_call.json") if word == "SEED" else word for word in argv]
    try:
        status = main(argv)
    except SystemExit as exc:  # an option that prints and exits, like --help
        status = int(exc.code or 0)
    assert status == 0, capsys.readouterr().err


def test_every_command_parser_has_them() -> None:
    from fuse_tui.cli import build_command_parser, subcommands

    def leaves(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
        children = subcommands(parser)
        if not children:
            yield parser
        for child in dict.fromkeys(children.values()):
            yield from leaves(child)

    found = list(leaves(build_command_parser()))
    assert len(found) >= 12  # show get calls emulator completion, archive …, config …
    for parser in found:
        text = parser.format_help()
        assert "-v, --verbose" in text and "--debug" in text, parser.prog


def test_archive_dash_v_before_the_action_is_kept() -> None:
    from fuse_tui.cli import build_command_parser, verbosity

    parser = build_command_parser()
    assert verbosity(parser.parse_args(["archive", "--debug", "list"])) == 2
    assert verbosity(parser.parse_args(["archive", "list", "-v"])) == 1
    assert verbosity(parser.parse_args(["archive", "list"])) == 0


def test_the_tui_logs_only_to_its_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log_file = tmp_path / "tui.log"
    assert configure_logging(2, log_file, to_stderr=False) is None
    logging.getLogger("fuse_tui.ui").warning("drawn on the screen? %s", "no")
    logging.getLogger("fuse_tui.ui").debug("detail")
    assert capsys.readouterr().err == ""
    written = log_file.read_text(encoding="utf-8")
    assert "drawn on the screen? no" in written and "detail" in written


def test_the_tui_without_a_log_file_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(0, None, to_stderr=False)
    logging.getLogger("fuse_tui.ui").error("would break the screen")
    assert capsys.readouterr().err == ""


def test_an_unwritable_log_file_is_a_warning(tmp_path: Path) -> None:
    warning = configure_logging(1, tmp_path / "missing-dir" / "x.log")
    assert warning is not None and "cannot write the log file" in warning


@pytest.mark.parametrize(
    ("base_url", "variable", "said", "not_said"),
    [
        (
            "https://fuse.example.com/api",
            "HTTPS_PROXY",
            "through the proxy http://proxy.example:3128 (CONNECT)",
            "pr0xy-pw",
        ),
        ("http://127.0.0.1:9/api", "HTTP_PROXY", "proxy set in the environment is skipped", "-"),
    ],
)
def test_proxy_use_is_said_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    base_url: str,
    variable: str,
    said: str,
    not_said: str,
) -> None:
    from fuse_tui.core.client import FuseClient

    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv(variable, "http://user:pr0xy-pw@proxy.example:3128")
    configure_logging(1)
    FuseClient(base_url)
    err = capsys.readouterr().err
    assert said in err and "pr0xy-pw" not in err


def test_a_debug_sync_says_each_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY})) as server:
        _environment(monkeypatch, tmp_path, server)
        archive = str(tmp_path / "a.sqlite3")
        status = main(["archive", "sync", "--since", "5d", "--archive", archive, "--debug"])
        assert status == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "fuse_tui.client: listing page at offset 0: " in err
    assert "fuse_tui.sync: listed " in err and " to fetch with " in err
    assert ": fetched and archived (" in err
    assert "fuse_tui.sync: sync done in " in err
    _assert_no_secret(err)


def test_the_429_gate_says_it_pauses(capsys: pytest.CaptureFixture[str]) -> None:
    from fuse_tui.core.sync import RateGate

    configure_logging(1)
    gate = RateGate(clock=lambda: 100.0)
    gate.pause(2.5)
    gate.pause(1.0)  # inside the first pause: not a new one, not said again
    err = capsys.readouterr().err
    assert err.count("rate-limited (429): every worker waits 2.5s") == 1
    assert err.count("\n") == 1
