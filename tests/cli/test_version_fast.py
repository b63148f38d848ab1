"""`fuse-tui --version` answers without building every command (which loads the model)."""

from __future__ import annotations

import subprocess
import sys

from fuse_tui import __version__


def test_version_loads_no_command() -> None:
    code = (
        "import sys; from fuse_tui.cli import main; status = main(['--version']); "
        "heavy = [m for m in ('fuse_tui.core.model', 'pydantic', 'httpx', 'fuse_tui.cli.show') "
        "if m in sys.modules]; print(heavy, file=sys.stderr); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"fuse-tui {__version__}\n"
    assert done.stderr.strip() == "[]"
