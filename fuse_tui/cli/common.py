"""Shared CLI conventions: exit codes and the one-line error format."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def fail(message: str) -> int:
    """Print ``fuse-tui: error: …`` on stderr as a single line and return exit status 1."""
    one_line = " ".join(str(message).split())
    sys.stderr.write(f"fuse-tui: error: {one_line}\n")
    return EXIT_ERROR
