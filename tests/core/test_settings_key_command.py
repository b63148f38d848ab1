"""developer_key_command: every failure is one sentence without the output; a hang ends whole."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from fuse_tui.core import crash
from fuse_tui.core.settings import SettingsError, dump_toml, load_settings, run_key_command

SECRET = "half-of-the-k3y-7781"


def script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "key_command.py"
    path.write_text(body, encoding="utf-8")
    return f"{sys.executable} {path}"


def assert_clean(error: SettingsError) -> None:
    message = str(error)
    assert SECRET not in message
    assert "\n" not in message and message.startswith("developer_key_command")
    # No chained exception either: a traceback of it could quote the output.
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_the_first_non_blank_line_is_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crash, "_remembered", set())
    command = script(tmp_path, f"print()\nprint('  {SECRET}  ')\nprint('more')\n")
    assert run_key_command(command) == SecretStr(SECRET)
    # A crash report written later removes it, though no settings object is at hand then.
    assert SECRET not in crash.scrub(f"failed with {SECRET}")


def test_output_that_is_not_utf8_is_one_sentence(tmp_path: Path) -> None:
    body = f"import sys\nsys.stdout.buffer.write(b'{SECRET}\\xff\\xfe\\n')\n"
    with pytest.raises(SettingsError, match="not UTF-8") as caught:
        run_key_command(script(tmp_path, body))
    assert_clean(caught.value)


def test_a_directory_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot be run") as caught:
        run_key_command(str(tmp_path))
    assert_clean(caught.value)


@pytest.mark.skipif(os.name != "posix", reason="POSIX execute permission")
def test_a_file_without_execute_permission_is_one_sentence(tmp_path: Path) -> None:
    program = tmp_path / "pass"
    program.write_text(f"#!/bin/sh\necho {SECRET}\n", encoding="utf-8")
    program.chmod(0o644)
    with pytest.raises(SettingsError, match="cannot be run") as caught:
        run_key_command(f"{program} show fuse")
    assert_clean(caught.value)
    assert str(program) in str(caught.value)


@pytest.mark.parametrize("body", ["pass\n", "print()\nprint('   ')\n"])
def test_a_command_that_prints_nothing_is_one_sentence(tmp_path: Path, body: str) -> None:
    with pytest.raises(SettingsError, match="printed nothing") as caught:
        run_key_command(script(tmp_path, body))
    assert_clean(caught.value)


def test_a_failing_command_never_shows_what_it_printed(tmp_path: Path) -> None:
    body = f"import sys\nprint('{SECRET}')\nprint('{SECRET}', file=sys.stderr)\nsys.exit(3)\n"
    with pytest.raises(SettingsError, match="exit status 3") as caught:
        run_key_command(script(tmp_path, body))
    assert_clean(caught.value)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(os.name != "posix", reason="process groups")
def test_a_hanging_command_is_ended_with_every_child(tmp_path: Path) -> None:
    # The shell starts a background child that writes its pid, then waits on another sleep:
    # killing only the shell (what subprocess.run's timeout does) left both sleeps running.
    pid_file = tmp_path / "child.pid"
    command = f"sh -c 'sleep 100 & echo $! > {pid_file}; echo {SECRET}; sleep 100'"
    started = time.monotonic()
    with pytest.raises(SettingsError, match=r"did not finish within 1 seconds") as caught:
        run_key_command(command, timeout=1)
    assert time.monotonic() - started < 10
    assert_clean(caught.value)
    child = int(pid_file.read_text().strip())
    deadline = time.monotonic() + 5
    while pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)  # SIGKILL is delivered at once; init reaps the orphan shortly after
    assert not pid_alive(child), "the key command's child survived the timeout"


def test_load_settings_reports_the_command_in_one_sentence(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(dump_toml({"developer_key_command": str(tmp_path)}), encoding="utf-8")
    with pytest.raises(SettingsError, match="cannot be run"):
        load_settings(config_file=config, env={})
