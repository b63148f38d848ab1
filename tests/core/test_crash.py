"""Crash reports: private files, no frame locals, every known secret removed."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import platformdirs
import pytest

from fuse_tui.core import crash
from fuse_tui.core.crash import (
    REDACTED,
    crash_dir,
    remember_secret,
    report_crash,
    scrub,
    write_crash_report,
)

KEY = "crash-k3y-5529-zz"
EMAIL = "crash@example.com"


def raise_with_a_secret_local(key: str) -> None:
    local_only = f"local-{key}-value"  # noqa: F841 - a frame local that must not be reported
    raise RuntimeError(f"request failed for key {key}")


def caught() -> RuntimeError:
    try:
        raise_with_a_secret_local(KEY)
    except RuntimeError as exc:
        return exc
    raise AssertionError("unreachable")


@pytest.fixture(autouse=True)
def forget_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crash, "_remembered", set())


def test_report_is_private_and_holds_the_traceback_without_locals_or_key(tmp_path: Path) -> None:
    path = write_crash_report(caught(), secrets=[KEY], directory=tmp_path / "logs")
    assert path.parent == tmp_path / "logs"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert "raise_with_a_secret_local" in text and "RuntimeError" in text
    assert KEY not in text and REDACTED in text
    assert "local_only" not in text and "local-" not in text  # no locals section


def test_reports_never_overwrite_each_other(tmp_path: Path) -> None:
    first = write_crash_report(caught(), directory=tmp_path)
    second = write_crash_report(caught(), directory=tmp_path)
    assert first != second and first.exists() and second.exists()


def test_the_settings_key_and_basic_credentials_are_scrubbed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", KEY)
    monkeypatch.setenv("FUSE_EMAIL", EMAIL)
    token = base64.b64encode(f"{EMAIL}:{KEY}".encode()).decode()
    try:
        raise ValueError(f"key={KEY} header=Authorization: Basic {token} raw={token}")
    except ValueError as exc:
        error = exc
    text = write_crash_report(error, directory=tmp_path).read_text(encoding="utf-8")
    assert KEY not in text and token not in text
    assert "Basic [secret removed]" in text


def test_a_key_from_the_key_command_is_remembered() -> None:
    remember_secret(KEY)
    assert scrub(f"x {KEY} y") == f"x {REDACTED} y"
    assert scrub("Authorization: bearer abc.DEF-123==") == f"Authorization: bearer {REDACTED}"


def test_report_crash_names_the_report_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FUSE_TUI_CRASH_DIR", str(tmp_path / "crashes"))
    line = report_crash(caught(), secrets=[KEY])
    assert "\n" not in line and KEY not in line
    assert line.startswith("fuse-tui: error: unexpected internal error (RuntimeError)")
    path = Path(line.rsplit("a report was written to ", 1)[1])
    assert path.parent == tmp_path / "crashes" and path.is_file()


def test_report_crash_still_says_one_line_when_no_report_can_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("FUSE_TUI_CRASH_DIR", str(blocker / "crashes"))
    line = report_crash(caught())
    assert line.startswith("fuse-tui: error: unexpected internal error (RuntimeError)")
    assert "no crash report could be written" in line and "\n" not in line


def test_the_default_directory_is_the_platform_log_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FUSE_TUI_CRASH_DIR", raising=False)
    assert crash_dir() == platformdirs.user_log_path("fuse-tui")


def test_credentials_that_are_not_text_have_no_token_and_do_not_break_a_report() -> None:
    from fuse_tui.core.crash import basic_credentials

    assert basic_credentials("a\udcff@example.com", "k3y") is None
    assert basic_credentials("a@example.com", "k\udcff") is None
