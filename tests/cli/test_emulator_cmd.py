"""``fuse-tui emulator`` as a real process: scripts read the port from its first line."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

NOW = 1_800_000_000


def fuse_tui(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fuse_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=60,
        check=False,
    )


@pytest.fixture
def base_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUSE_")}
    env.update(FUSE_TUI_CONFIG=str(tmp_path / "config.toml"), NO_PROXY="*", NO_COLOR="1")
    return env


@pytest.fixture
def emulator_process(base_env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fuse_tui",
            "emulator",
            "--port",
            "0",
            "--now",
            str(NOW),
            "--account",
            "ops@example.com:0ps-k3y",
            "--generate",
            "30",
            "--seed",
            "5",
            "--log-requests",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=base_env,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    prefix = "Fuse emulator listening on "
    assert first.startswith(prefix), first
    yield process, first[len(prefix) :].strip()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def test_scripts_can_drive_the_emulator_with_the_cli(
    emulator_process: tuple[subprocess.Popen[str], str], base_env: dict[str, str], tmp_path: Path
) -> None:
    process, base_url = emulator_process
    assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api")
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "Account: ops@example.com"  # no key echoed
    serving = process.stdout.readline()
    assert serving.startswith("Serving 40 calls for ops@example.com (")  # plural(), no "call(s)"
    env = dict(
        base_env, FUSE_BASE_URL=base_url, FUSE_EMAIL="ops@example.com", FUSE_DEVELOPER_KEY="0ps-k3y"
    )
    listed = fuse_tui("calls", "--start", "0", "--end", str(NOW + 1), "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    calls = json.loads(listed.stdout)["calls"]
    assert len(calls) == 40
    sid = next(c["session_id"] for c in calls if c["log"])
    target = tmp_path / "call.xml"
    got = fuse_tui("get", sid, "--format", "xml", "-o", str(target), env=env)
    assert got.returncode == 0, got.stderr
    assert target.read_bytes().startswith(b'<?xml version="1.0"?>\n<result>\n  <item>')
    shown = fuse_tui("show", sid, env=env)
    assert shown.returncode == 0 and "Executing application" in shown.stdout
    refused = fuse_tui("calls", env=dict(env, FUSE_DEVELOPER_KEY="demo-key"))
    assert refused.returncode == 1 and "HTTP 401" in refused.stderr
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert process.stderr is not None
    log = process.stderr.read()
    assert "stopped" in log
    assert f"GET /api/calls/0/{NOW + 1}?offset=0&limit=1000 -> 200 (ops@example.com)" in log
    assert "-> 401 (-)" in log and "0ps-k3y" not in log


def test_demo_account_is_printed_and_bad_options_exit_2(base_env: dict[str, str]) -> None:
    bad = fuse_tui("emulator", "--fail-rate", "2", env=base_env)
    assert bad.returncode == 2 and "from 0 to 1" in bad.stderr
    bad_account = fuse_tui("emulator", "--account", "nokey", env=base_env)
    assert bad_account.returncode == 2
    missing = fuse_tui("emulator", "--fixtures", "/nonexistent/dir", env=base_env)
    assert missing.returncode == 1 and missing.stderr.startswith("fuse-tui: error: ")


def test_config_commands(base_env: dict[str, str], tmp_path: Path) -> None:
    path = fuse_tui("config", "path", env=base_env)
    assert path.returncode == 0 and path.stdout.strip() == str(tmp_path / "config.toml")
    saved = fuse_tui(
        "config", "set-credentials", "--email", "me@example.com", env=base_env, stdin="t0p-s3cret\n"
    )
    assert saved.returncode == 0, saved.stderr
    config = tmp_path / "config.toml"
    if os.name == "posix":
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
    shown = fuse_tui("config", "show", env=base_env)
    assert shown.returncode == 0
    assert "me@example.com" in shown.stdout and "set (from config)" in shown.stdout
    assert "t0p-s3cret" not in shown.stdout + shown.stderr + saved.stdout + saved.stderr
