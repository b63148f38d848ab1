"""Atomic file writes: an interrupted export never leaves a half file where a good one was."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or chunks of bytes) to ``path`` atomically.

    The bytes go to a temporary file in the same directory, are flushed and fsync'ed, then the
    temporary file is renamed over ``path`` (atomic on POSIX and on Windows' ``os.replace``).
    If anything fails — including the chunk iterator raising mid-way — the temporary file is
    removed and ``path`` keeps its old content. An existing file's permissions are kept; a new
    file gets the usual umask-based mode rather than mkstemp's 0600.

    A symlink is followed (the link stays, its target is replaced). A target that exists and is
    not a regular file — ``/dev/null``, ``/dev/stdout``, a named pipe — cannot be replaced
    atomically and must not be replaced at all: the bytes are written straight into it.
    """
    if _is_special(Path(path)):
        _write_through(Path(path), data)  # open() follows /dev/stdout -> /proc/self/fd/1 -> pipe
        return
    target = Path(os.path.realpath(path))
    directory = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes | bytearray | memoryview):
                handle.write(data)
            else:
                for chunk in data:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def _is_special(target: Path) -> bool:
    """An existing device, pipe or socket (a directory is left to fail like before)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_through(target: Path, data: bytes | Iterable[bytes]) -> None:
    with open(target, "wb") as handle:
        if isinstance(data, bytes | bytearray | memoryview):
            handle.write(data)
        else:
            for chunk in data:
                handle.write(chunk)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_current_umask()


def _current_umask() -> int:
    # os.umask() can only be read by setting it, which races with other threads creating files;
    # Linux exposes it read-only in /proc. Elsewhere assume the common 022.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
