"""Every byte a command prints reaches stdout, or the command fails: one path for all output.

Python's own stdout can lose output without a word. With ``PYTHONUNBUFFERED=1`` (common in
containers) ``sys.stdout.buffer`` is a raw ``FileIO`` whose ``write`` makes one ``write(2)``
call and returns how much of it the kernel took: past ``ulimit -f`` or on a nearly full disk
that is a short count nobody checks, and ``show big.json -f json > file`` leaves half a file and
exits 0. And a failure in the interpreter's own flush at exit is printed as "Exception ignored"
and exits 120.

:func:`run_with_whole_stdout` runs a command with ``sys.stdout`` re-wrapped over
:class:`WholeWriter`, which loops until every byte is written and raises on any error, and
flushes it before the command's status is returned, so every short write, full disk (ENOSPC),
file size limit (EFBIG) or dead device becomes exit 1 with one ``fuse-tui: error:`` line, and a
closed pipe (EPIPE) a quiet exit 0. Text (``sys.stdout.write``) and bytes
(``sys.stdout.buffer.write``) take the same path.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import select
import sys
from collections.abc import Callable
from typing import Any, TextIO

from fuse_tui.cli.common import EXIT_OK, fail

# Without the wrapper (stdout has no file descriptor, e.g. under a test's capture): the errors a
# redirected stdout gives on a full disk, over quota, past the file size limit, on a dead device.
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO") if hasattr(errno, name)
)


class WholeWriter(io.RawIOBase):
    """A raw binary writer on a file descriptor whose ``write`` writes all of it or raises.

    The first error is kept (:attr:`failure`) and raised again by every later write, so a
    command that swallowed it cannot go on to print a tail after a hole. After :meth:`discard`
    writes are dropped: nothing is left to fail again when the buffers above are flushed or
    garbage-collected.
    """

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.failure: OSError | None = None
        self._discarding = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        try:
            return os.isatty(self._fd)
        except OSError:
            return False

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        if self._discarding:
            return size
        if self.failure is not None:
            raise self.failure
        written = 0
        try:
            while written < size:
                written += self._write_some(view[written:])
        except OSError as exc:
            self.failure = exc
            raise
        return size

    def _write_some(self, chunk: memoryview) -> int:
        try:
            count = os.write(self._fd, chunk)  # EINTR is retried by os.write itself (PEP 475)
        except BlockingIOError:
            # A stdout someone left non-blocking (a shared pipe): wait until it takes more.
            select.select([], [self._fd], [])
            return 0
        if count == 0:
            raise OSError(errno.EIO, "the output accepted no more bytes")
        return count

    def discard(self) -> None:
        """Drop everything from now on (after a reported failure, or a reader that went away)."""
        self._discarding = True


def _install() -> tuple[Any, TextIO, WholeWriter] | None:
    """Put a guarded stream in ``sys.stdout``: (the original, the guarded one, its writer), or
    None if stdout has no file descriptor (closed, or replaced by a test's capture)."""
    original = sys.stdout
    try:
        fd = original.fileno()
        original.flush()
    except (AttributeError, OSError, ValueError):
        return None
    raw = WholeWriter(fd)
    # Buffered as before, unbuffered too when Python's own stdout was (PYTHONUNBUFFERED=1): a
    # long-running command's lines still appear as they are written.
    unbuffered = getattr(original, "write_through", False)
    # Any: typeshed wants a BufferedIOBase-like buffer, but a RawIOBase serves (Python's own
    # stdout under -u is one).
    binary: Any = raw if unbuffered else io.BufferedWriter(raw)
    guarded: TextIO = io.TextIOWrapper(
        binary,
        encoding=getattr(original, "encoding", None) or "utf-8",
        errors=getattr(original, "errors", None) or "strict",
        line_buffering=getattr(original, "line_buffering", False),
        write_through=unbuffered,
    )
    sys.stdout = guarded
    return original, guarded, raw


def run_with_whole_stdout(command: Callable[[], int]) -> int:
    """Run ``command`` (returning an exit status) with every write to stdout checked.

    Output that could not be written whole gives exit 1 with one error line; a reader that went
    away (EPIPE: ``| head``) exit 0 with nothing said, as a shell tool does.
    """
    installed = _install()
    raw = installed[2] if installed else None
    try:
        try:
            status = command()
        except SystemExit:
            sys.stdout.flush()  # --help printed by argparse must be whole too
            raise
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _drop_pending(raw)
        return EXIT_OK
    except OSError as exc:
        failure = _output_failure(exc, raw)
        if failure is None:
            raise  # not the output: a command reports its own file errors
        if not _drop_pending(raw):
            raise
        if isinstance(failure, BrokenPipeError):  # raised again, wrapped, by a later write
            return EXIT_OK
        return fail(f"cannot write the output: {failure.strerror or failure}")
    finally:
        if installed is not None:
            _restore(*installed)


def _output_failure(exc: OSError, raw: WholeWriter | None) -> OSError | None:
    """The error that stopped stdout, if ``exc`` comes from there; None for any other error."""
    if raw is not None:
        return raw.failure
    if exc.errno in _OUTPUT_ERRNOS and exc.filename is None:
        return exc
    return None


def _restore(original: Any, guarded: TextIO, raw: WholeWriter) -> None:
    sys.stdout = original
    if raw.failure is None:
        # Still buffered when another exception left the command: print it, if it can be.
        with contextlib.suppress(OSError, ValueError):
            guarded.flush()
    raw.discard()  # what stayed buffered after a failure goes nowhere, silently
    guarded.close()  # its flush goes into the discarding writer: cannot fail


def _drop_pending(raw: WholeWriter | None) -> bool:
    """Make sure nothing unwritten is retried at exit; False if that cannot be done."""
    if raw is not None:
        raw.discard()
        return True
    # Python's own stdout: point it at /dev/null so the interpreter's exit-time flush has
    # somewhere to go instead of failing again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        return False
    return True
