"""Command-line conventions: a mistyped command is named, not fetched; --tui-help and usage
errors work through a pipe; Ctrl-C exits 130; completion scripts for bash, zsh and fish."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuse_tui.cli import build_command_parser, command_names, main


def _fuse_tui(*argv: str, tmp_path: Path, **options: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FUSE_TUI_CONFIG": str(tmp_path / "none.toml")}
    return subprocess.run(  # stdout is a pipe: no terminal
        [sys.executable, "-m", "fuse_tui", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=tmp_path,
        **options,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["archve", "list"], "archive"),
        (["shwo", "x.json"], "show"),
        (["cals"], "calls"),
        (["emulater", "--demo"], "emulator"),
    ],
)
def test_a_mistyped_command_is_named_with_a_suggestion(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    meant: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"fuse-tui: error: '{argv[0]}' is not a file")
    assert f"did you mean `fuse-tui {meant}`?" in captured.err


def test_a_word_like_no_command_lists_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["zzzz"]) == 2
    err = capsys.readouterr().err
    assert "did you mean" not in err and "commands: " in err and "archive" in err


def test_a_file_of_that_name_is_still_opened_not_refused(tmp_path: Path) -> None:
    """The rule is about words that name nothing: an existing file wins (core.sources)."""
    (tmp_path / "archve").write_text("{}", encoding="utf-8")
    done = _fuse_tui("archve", tmp_path=tmp_path)
    assert "not a file" not in done.stderr and "terminal" in done.stderr  # it reached the TUI


def test_tui_help_works_through_a_pipe(tmp_path: Path) -> None:
    done = _fuse_tui("--tui-help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: fuse-tui") and "--demo" in done.stdout
    assert done.stderr == ""


def test_a_tui_usage_error_through_a_pipe_is_said_as_such(tmp_path: Path) -> None:
    done = _fuse_tui("--bogus", tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines()[-1] == "fuse-tui: error: unrecognized arguments: --bogus"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_name_every_command(
    capsys: pytest.CaptureFixture[str], shell: str
) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "fuse-tui" in script
    for name in command_names(build_command_parser()):
        assert name in script, name
    assert "sync" in script and "--grep" in script  # nested actions and options too


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_is_valid_bash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "fuse-tui.bash"
    script.write_text(capsys.readouterr().out, encoding="utf-8")
    checked = subprocess.run(
        ["bash", "-n", str(script)], capture_output=True, text=True, timeout=30, check=False
    )
    assert checked.returncode == 0, checked.stderr


def test_completion_of_an_unknown_shell_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["completion", "tcsh-like"])
    assert caught.value.code == 2


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    """SIGINT while a command waits (here: a listing against a server that never answers)."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        env = {
            **os.environ,
            "FUSE_TUI_CONFIG": str(tmp_path / "none.toml"),
            "FUSE_BASE_URL": f"http://127.0.0.1:{port}/api",
            "FUSE_EMAIL": "a@example.com",
            "FUSE_DEVELOPER_KEY": "k",
            "NO_PROXY": "*",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "fuse_tui", "calls", "--timeout", "60", "-v"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            # As from a terminal: a suite started in the background (`make test &`, nohup)
            # inherits an ignored SIGINT, and so would the command, which then waits on.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        # Interrupted once its request is sent and it waits for the answer (not at a moment
        # guessed with a sleep: on a busy machine the command may still be starting).
        silent.settimeout(30)
        waiting, _ = silent.accept()
        with waiting:
            waiting.settimeout(30)
            request = b""
            while b"\r\n\r\n" not in request:
                request += waiting.recv(4096) or b"\r\n\r\n"
            assert request.startswith(b"GET /api/calls/")
            time.sleep(0.2)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert err.splitlines()[-1] == "fuse-tui: interrupted"
    assert "Traceback" not in err and out == ""
