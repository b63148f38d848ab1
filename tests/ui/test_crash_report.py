"""An unexpected exception in the TUI: exit 1, one stderr line naming a private report, no
locals and no key anywhere; and Pilot tests still see the exception (they must fail on it).

Before, Textual printed its traceback with every frame's locals (the key among them) and the
process exited 0.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import stat
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path
from typing import Any

import pytest
from textual import work
from textual.binding import Binding

import fuse_tui.ui.app
from fuse_tui.ui.app import FuseApp
from tests.ui.conftest import MakeApp

KEY = "tui-crash-k3y-90417"
# CSI and OSC sequences (mode switches, window title), which leave nothing on screen.
TERMINAL_CONTROL = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


class FailingApp(FuseApp):
    CSS_PATH = str(Path(fuse_tui.ui.app.__file__).with_name("app.tcss"))  # not beside this test
    BINDINGS = [
        Binding("f9", "boom", "Boom", priority=True),
        Binding("f10", "boom_in_worker", "Boom in a worker", priority=True),
    ]

    def action_boom(self) -> None:
        key_in_a_local = self.service.settings.developer_key  # noqa: F841 - must never be printed
        raise RuntimeError("injected failure")

    def action_boom_in_worker(self) -> None:
        self._failing_worker()

    @work(thread=True)
    def _failing_worker(self) -> None:
        raise LookupError("injected worker failure")


def failing_app(make_app: MakeApp) -> FailingApp:
    made = make_app(key=KEY)  # the factory's config and service, failing bindings
    return FailingApp(made.config, service=made.service)


async def test_a_pilot_test_still_fails_when_the_app_crashes(make_app: MakeApp) -> None:
    app = failing_app(make_app)
    with pytest.raises(RuntimeError, match="injected failure"):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f9")
            await pilot.pause()
    assert isinstance(app.crashed, RuntimeError)
    assert app.return_code == 1
    assert app._exit_renderables == []  # Textual's traceback-with-locals is never made


async def test_a_failing_worker_is_reported_with_its_own_error(make_app: MakeApp) -> None:
    app = failing_app(make_app)
    with pytest.raises(Exception, match="injected worker failure"):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f10")
            await app.workers.wait_for_complete()
            await pilot.pause()
    assert isinstance(app.crashed, LookupError)
    assert app.return_code == 1


# A real process on a pseudo-terminal: main_ready raises with the key in a local and in the
# exception's message (which the report must scrub).
CRASHING_TUI = """
import sys
import fuse_tui.ui.app
from fuse_tui.ui.app import FuseApp

def main_ready(self):
    key_in_a_local = self.service.settings.developer_key.get_secret_value()
    raise RuntimeError("injected failure for " + key_in_a_local)

FuseApp.main_ready = main_ready
from fuse_tui.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def run_on_a_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run on a pseudo-terminal, as a user would; return the exit code and all it printed.

    Textual paints on stderr, so stderr is the terminal too.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    screen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer closed
                return
            if not chunk:
                return
            screen.extend(chunk)

    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        os.close(master)
    return process.returncode, bytes(screen)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_crashing_tui_exits_1_with_one_line_naming_a_private_report(tmp_path: Path) -> None:
    script = tmp_path / "crashing_tui.py"
    script.write_text(CRASHING_TUI, encoding="utf-8")
    crashes = tmp_path / "crashes"
    env: dict[str, Any] = {
        **os.environ,
        "TERM": "xterm-256color",
        "FUSE_TUI_CONFIG": str(tmp_path / "none.toml"),
        "FUSE_TUI_CRASH_DIR": str(crashes),
        "FUSE_EMAIL": "crash@example.com",
        "FUSE_DEVELOPER_KEY": KEY,
    }
    code, screen = run_on_a_terminal([sys.executable, str(script), "--no-archive"], env)
    assert code == 1
    assert KEY.encode() not in screen and b"key_in_a_local" not in screen
    # What stays on the terminal once Textual leaves the alternate screen: one line.
    after = screen.rsplit(b"\x1b[?1049l", 1)[1].decode("utf-8", "replace")
    left = TERMINAL_CONTROL.sub("", after)
    assert left.endswith("\r\n") and left.count("\n") == 1, left
    assert left.startswith("fuse-tui: error: unexpected internal error (RuntimeError)")
    assert "Traceback" not in left
    report = Path(left.strip().rsplit("a report was written to ", 1)[1])
    assert report.parent == crashes
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text(encoding="utf-8")
    assert "in main_ready" in text  # the traceback is there, without locals or the key
    assert "injected failure for [secret removed]" in text
    assert KEY not in text
