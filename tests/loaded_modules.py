"""Which of some modules a fresh ``fuse-tui`` process has loaded once a command ran: for the
tests that a command starts light (it imports only what it needs)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence


def loaded_after(argv: list[str], watched: Sequence[str]) -> list[str]:
    """The modules of ``watched`` loaded after ``fuse-tui ARGV`` ran (exit status 0) in a
    new interpreter."""
    code = (
        "import sys; from fuse_tui.cli import main; status = main(sys.argv[1:]); "
        f"print([m for m in {tuple(watched)!r} if m in sys.modules], file=sys.stderr); "
        "sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = eval(done.stderr.strip().splitlines()[-1])  # the list printed last
    return loaded
