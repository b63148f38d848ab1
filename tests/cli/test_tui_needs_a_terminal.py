"""Without a COMMAND, fuse-tui opens the TUI, which needs a terminal: with stdout redirected it
used to paint escape sequences into the pipe and never exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# A session-ID-like word (digits): a bare word such as "mycall" is now refused earlier, as an
# unknown command with a did-you-mean, before the TUI is considered.
SESSION_ID = "300060;001;1529552581"


@pytest.mark.parametrize("argv", [[SESSION_ID], ["--email", "a@example.com", SESSION_ID]])
def test_no_terminal_is_a_usage_error(tmp_path: Path, argv: list[str]) -> None:
    env = {**os.environ, "FUSE_TUI_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run(
        [sys.executable, "-m", "fuse_tui", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("fuse-tui: error: ") and done.stderr.count("\n") == 1
    assert "terminal" in done.stderr and "fuse-tui show" in done.stderr
