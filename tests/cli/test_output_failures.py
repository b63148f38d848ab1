"""Output that cannot be written (a full disk behind a redirect): one line on stderr, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_full_disk_is_one_line(data_dir: Path, tmp_path: Path, fmt: str) -> None:
    env = {**os.environ, "FUSE_TUI_CONFIG": str(tmp_path / "none.toml")}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "fuse_tui", "show", "-f", fmt, str(data_dir / "seed_call.json")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr.startswith("fuse-tui: error: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert "No space left on device" in done.stderr
