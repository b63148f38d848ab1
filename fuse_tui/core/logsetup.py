"""Diagnostics: where the ``fuse_tui`` loggers write, and what they may never write.

Both front ends call :func:`configure_logging` once: a CLI command logs to stderr (``-v`` INFO,
``--debug`` DEBUG, otherwise warnings only) and the TUI, whose screen is taken, only to the file
named by ``FUSE_TUI_LOG`` (``to_stderr=False``). Every record is one line: log content is data,
so control characters are escaped (``core.textsafe``), and the developer key and any
``Authorization: Basic/Bearer`` credential are scrubbed (``core.crash.scrub``) before a record
reaches any handler — whatever a log statement, httpx or an exception message put in it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from fuse_tui.core.crash import basic_credentials, remember_secret, scrub
from fuse_tui.core.textsafe import escape_control

ENV_LOG_FILE = "FUSE_TUI_LOG"
ROOT_LOGGER = "fuse_tui"
QUIET, VERBOSE, DEBUG = 0, 1, 2
_LEVELS = {QUIET: logging.WARNING, VERBOSE: logging.INFO, DEBUG: logging.DEBUG}
_STDERR_FORMAT = "fuse-tui: %(levelname)s: %(name)s: %(message)s"
_FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ScrubbingFormatter(logging.Formatter):
    """One escaped line per record, with every known secret and auth credential removed.

    The whole formatted text is scrubbed (message, arguments, exception text), then escaped:
    a traceback becomes one line of ``\\n`` escapes, and nothing in it drives a terminal.
    """

    def format(self, record: logging.LogRecord) -> str:
        return escape_control(scrub(super().format(record)))


class _CurrentStderr(logging.StreamHandler[TextIO]):
    """A handler writing to whatever ``sys.stderr`` is when the record is emitted (tests and the
    stdout guard swap the streams)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def remember_credentials(email: str | None, key: object) -> None:
    """Have every log record (and crash report) scrub this key and its Basic token."""
    from pydantic import SecretStr

    secret = key if isinstance(key, SecretStr | str) else None
    remember_secret(secret)
    # Credentials that are not text are never sent: there is no token to hide.
    with contextlib.suppress(UnicodeEncodeError):
        remember_secret(basic_credentials(email, secret))


def log_file_from_env() -> Path | None:
    """The file ``FUSE_TUI_LOG`` names, or None."""
    value = os.environ.get(ENV_LOG_FILE, "").strip()
    return Path(value).expanduser() if value else None


def configure_logging(
    verbosity: int = QUIET, log_file: Path | str | None = None, *, to_stderr: bool = True
) -> str | None:
    """Route the ``fuse_tui`` loggers: stderr at ``verbosity`` (QUIET/VERBOSE/DEBUG) when
    ``to_stderr``, and ``log_file`` (at least INFO, DEBUG with ``--debug``) when given.

    Calling it again replaces what an earlier call set up. Returns a one-line warning when the
    log file cannot be opened (logging then goes on without it), else None.
    """
    level = _LEVELS[max(QUIET, min(DEBUG, verbosity))]
    logger = logging.getLogger(ROOT_LOGGER)
    for old in [h for h in logger.handlers if getattr(h, "_fuse_tui_owned", False)]:
        logger.removeHandler(old)
        old.close()
    handlers: list[logging.Handler] = []
    if to_stderr:
        stderr = _CurrentStderr()
        stderr.setLevel(level)
        stderr.setFormatter(ScrubbingFormatter(_STDERR_FORMAT))
        handlers.append(stderr)
    warning = None
    if log_file is not None:
        try:
            # A log file may quote server answers: only its owner reads it.
            fd = os.open(Path(log_file), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            stream = os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            warning = (
                f"cannot write the log file {escape_control(str(log_file))} "
                f"({exc.strerror or exc}); logging to it is off"
            )
        else:
            file_handler = logging.StreamHandler(stream)
            file_handler.setLevel(min(level, logging.INFO))
            file_handler.setFormatter(ScrubbingFormatter(_FILE_FORMAT))
            handlers.append(file_handler)
    level_wanted = min((h.level for h in handlers), default=logging.WARNING)
    if not handlers:
        # The TUI without a log file: nothing may reach the screen, not even through the
        # last-resort handler Python uses when a logger has none.
        handlers.append(logging.NullHandler())
    for handler in handlers:
        handler._fuse_tui_owned = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level_wanted)
    return warning
