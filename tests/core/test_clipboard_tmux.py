"""End to end: what copy_text writes under a real tmux lands in tmux's clipboard buffer.

Runs only where tmux is installed; uses a private tmux server (-L) so no user session is touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")

SCRIPT = """
import os, sys
sys.path.insert(0, {root!r})
from fuse_tui.core.clipboard import copy_text

class NoClipboard:
    class PyperclipException(RuntimeError):
        pass
    def copy(self, text):
        raise self.PyperclipException("could not find a copy/paste mechanism")

result = copy_text({text!r}, osc52_writer=lambda s: os.write(1, s.encode()),
                   pyperclip_module=NoClipboard())
open({out!r}, "w").write(result.message)
"""


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, *args], check=True, capture_output=True, text=True, timeout=10
    ).stdout


def test_osc52_reaches_the_tmux_buffer(tmp_path: Path) -> None:
    socket = f"fuse-tui-test-{uuid.uuid4().hex[:8]}"
    text = "copied through tmux: é ✓ " + uuid.uuid4().hex
    out = tmp_path / "message.txt"
    # Not "copy.py": the script's directory comes first on sys.path and would shadow stdlib copy.
    script = tmp_path / "osc52_script.py"
    root = str(Path(__file__).resolve().parents[2])
    script.write_text(SCRIPT.format(root=root, text=text, out=str(out)))
    try:
        _tmux(socket, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "10", "cat")
        _tmux(socket, "set", "-g", "set-clipboard", "on")
        _tmux(socket, "set-buffer", "empty")
        _tmux(socket, "new-window", "-d", f"{sys.executable} {script} 2>{tmp_path}/err; sleep 5")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _tmux(socket, "show-buffer") == "empty":
            time.sleep(0.1)
        err = (tmp_path / "err").read_text() if (tmp_path / "err").exists() else ""
        assert _tmux(socket, "show-buffer") == text, err
        # Inside tmux ($TMUX set by tmux itself) the message names the tmux settings.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not out.exists():
            time.sleep(0.1)
        assert "OSC 52 through tmux" in out.read_text()
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)
