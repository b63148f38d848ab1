"""atomic_write on a full disk (/dev/full: ENOSPC) or past the file size limit (EFBIG): it raises,
the target keeps its old content, and no temporary file is left behind — in a real child
process, since RLIMIT_FSIZE is per process."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

LIMIT = 64 * 1024
CHILD = """
import sys
from fuse_tui.core.formats import atomic_write
chunks = sys.argv[2] == "chunks"
data = [b"x" * 4096] * 64 if chunks else b"x" * (256 * 1024)
try:
    atomic_write(sys.argv[1], data)
except OSError as exc:
    print(exc.strerror)
    raise SystemExit(1)
"""


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _write_in_child(target: str, shape: str, *, limited: bool) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, target, shape],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size if limited else None,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("shape", ["bytes", "chunks"])
def test_past_the_file_size_limit_the_old_file_stays(tmp_path: Path, shape: str) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(b"the good old export\n")
    done = _write_in_child(str(target), shape, limited=True)
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == "File too large"
    assert target.read_bytes() == b"the good old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]  # no temporary file left


def test_past_the_file_size_limit_no_new_file_appears(tmp_path: Path) -> None:
    done = _write_in_child(str(tmp_path / "new.json"), "chunks", limited=True)
    assert done.returncode == 1, done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("shape", ["bytes", "chunks"])
def test_a_full_device_raises(shape: str) -> None:
    done = _write_in_child("/dev/full", shape, limited=False)
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == "No space left on device"
