"""Shared CLI conventions: exit codes and the one-line error format."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from typing import TextIO

from fuse_tui.core.textsafe import escape_control

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell expects of a program stopped by Ctrl-C


def cell(value: object) -> str:
    """A table cell from log or server data: empty for None, escaped like any log content."""
    return escape_control("" if value is None else str(value))


def fail(message: str) -> int:
    """Print ``fuse-tui: error: …`` on stderr as a single line and return exit status 1.

    Messages may quote log content or server answers: they are escaped like any log content.
    """
    one_line = " ".join(escape_control(str(message), one_line=False).split())
    sys.stderr.write(f"fuse-tui: error: {one_line}\n")
    return EXIT_ERROR


def usage_error(message: str) -> int:
    """Like :func:`fail`, for a command line that cannot be used: exit status 2."""
    fail(message)
    return EXIT_USAGE


def aligned_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """Table rows as lines, every column but the last padded to its widest cell.

    The last column is left ragged (a log line, a session ID): padding it would only add
    trailing spaces. Cells must be escaped already (see :func:`cell`).
    """
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join([*(text.ljust(width) for text, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]


def terminal_columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` writes to (stderr may be one when stdout is not)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return shutil.get_terminal_size(fallback=(80, 24)).columns
