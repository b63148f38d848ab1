"""The CLI's last resort: an unexpected exception is exit 1 and one line naming a private
crash report (traceback without locals, no key), never a traceback on the terminal."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fuse_tui import cli
from fuse_tui.cli import config_cmd

KEY = "cli-crash-k3y-33810"
EMAIL = "crash@example.com"
TOKEN = base64.b64encode(f"{EMAIL}:{KEY}".encode()).decode()

# `config show` fails inside a helper with the key in a local and in the exception's message.
CRASHING_CLI = f"""
import sys
from fuse_tui.cli import config_cmd

def masked_url(url):
    key_in_a_local = {KEY!r}
    raise RuntimeError("injected failure: Authorization: Basic {TOKEN} for " + key_in_a_local)

config_cmd.masked_url = masked_url
from fuse_tui.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def report_of(line: str, crashes: Path) -> str:
    path = Path(line.strip().rsplit("a report was written to ", 1)[1])
    assert path.parent == crashes
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path.read_text(encoding="utf-8")


def test_an_unexpected_exception_is_one_line_and_a_scrubbed_report(tmp_path: Path) -> None:
    script = tmp_path / "crashing_cli.py"
    script.write_text(CRASHING_CLI, encoding="utf-8")
    crashes = tmp_path / "crashes"
    env = {
        **os.environ,
        "FUSE_TUI_CONFIG": str(tmp_path / "none.toml"),
        "FUSE_TUI_CRASH_DIR": str(crashes),
        "FUSE_EMAIL": EMAIL,
        "FUSE_DEVELOPER_KEY": KEY,
    }
    done = subprocess.run(
        [sys.executable, str(script), "config", "show"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("fuse-tui: error: unexpected internal error (RuntimeError)")
    assert KEY not in done.stderr + done.stdout and "Traceback" not in done.stderr
    text = report_of(done.stderr, crashes)
    assert "in masked_url" in text and "injected failure" in text
    assert KEY not in text and TOKEN not in text and "key_in_a_local =" not in text


def test_main_in_process_returns_1_and_writes_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    crashes = tmp_path / "crashes"
    monkeypatch.setenv("FUSE_TUI_CRASH_DIR", str(crashes))
    monkeypatch.setenv("FUSE_DEVELOPER_KEY", KEY)

    def broken(url: str) -> str:
        raise KeyError(KEY)

    monkeypatch.setattr(config_cmd, "masked_url", broken)
    assert cli.main(["config", "show"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "(KeyError)" in err and KEY not in err
    assert KEY not in report_of(err, crashes)


def test_usage_errors_and_exits_are_not_crashes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["config", "--no-such-option"])
    assert caught.value.code == 2
    assert "unexpected" not in capsys.readouterr().err
