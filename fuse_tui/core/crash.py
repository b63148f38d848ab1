"""Crash reports: an unexpected exception is loud, private and recorded.

Both front ends (the CLI's last-resort handler and the TUI) call :func:`report_crash`: it writes
the traceback to a new file only its owner can read (0600) in the platform log directory
(``FUSE_TUI_CRASH_DIR`` overrides it) and returns the one line to print on stderr.

A report holds the traceback *without frame locals* (locals hold the developer key, the e-mail,
whole logs) and every known secret value is replaced: the developer key from the settings, the
environment, the key command, or the credentials the TUI was given, and any HTTP Basic/Bearer
credential.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuse_tui import __version__
from fuse_tui.core.textsafe import escape_control

ENV_CRASH_DIR = "FUSE_TUI_CRASH_DIR"
REDACTED = "[secret removed]"

if TYPE_CHECKING:  # pydantic and platformdirs are loaded when used: every command imports this
    from pydantic import SecretStr

    SecretLike = str | SecretStr | None
else:
    SecretLike = Any

# Secrets learned while running (the key command's output): a crash report can only scrub
# what it knows, and by then the settings object may be out of reach.
_remembered: set[str] = set()

# An Authorization header's credentials, whoever made them (httpx, the emulator, a log line).
_AUTH_CREDENTIALS = re.compile(r"(?i)\b(basic|bearer)(\s+)[A-Za-z0-9+/._~-]+=*")


def _plain(value: SecretLike) -> str:
    reveal = getattr(value, "get_secret_value", None)  # a pydantic SecretStr
    if reveal is not None:
        return str(reveal())
    return value if isinstance(value, str) else ""


def remember_secret(value: SecretLike) -> None:
    """Have every later crash report scrub ``value``."""
    plain = _plain(value)
    if plain:
        _remembered.add(plain)


def basic_credentials(email: str | None, key: SecretLike) -> str | None:
    """The base64 token of ``Authorization: Basic …`` for this account, scrubbed as well."""
    plain = _plain(key)
    if not email or not plain:
        return None
    try:
        token = f"{email}:{plain}".encode()
    except UnicodeEncodeError:  # credentials that are not text are never sent: no token exists
        return None
    return base64.b64encode(token).decode("ascii")


def crash_dir() -> Path:
    """``$FUSE_TUI_CRASH_DIR`` or the platform log directory (``~/.local/state/fuse-tui/log``)."""
    override = os.environ.get(ENV_CRASH_DIR)
    if override:
        return Path(override).expanduser()
    # Loaded here, not at import: every command imports this module, few crash.
    import platformdirs

    from fuse_tui.core.paths import APP_NAME

    return platformdirs.user_log_path(APP_NAME)


def scrub(text: str, secrets: Iterable[SecretLike] = ()) -> str:
    """``text`` with every secret value and every Basic/Bearer credential replaced."""
    values = {_plain(s) for s in secrets} | _remembered
    # Longest first, so a key that contains another secret is removed whole.
    for value in sorted((v for v in values if v), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return _AUTH_CREDENTIALS.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


def _settings_secrets() -> list[str]:
    """The key the environment and config file hold (the key command is not run again)."""
    try:
        # Lazy: settings imports this module to remember the key command's output.
        from fuse_tui.core.settings import load_settings

        settings = load_settings(resolve_key_command=False)
    except Exception:  # a crash report must not fail on a broken config
        return []
    found = [_plain(settings.developer_key)]
    token = basic_credentials(settings.email, settings.developer_key)
    return [s for s in (*found, token) if s]


def format_report(error: BaseException, secrets: Iterable[SecretLike] = ()) -> str:
    """The report's text: versions, time and the traceback (no locals), scrubbed."""
    import platform  # loaded when a report is written, not by every command
    import traceback

    # traceback.format_exception never shows locals; chained causes are kept.
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    header = [
        f"fuse-tui {__version__} crash report",
        f"time: {time.strftime('%Y-%m-%dT%H:%M:%S%z')}",
        f"python: {sys.version.split()[0]} ({platform.platform()})",
        "",
    ]
    # Scrubbed before escaping, so that a secret holding a control character still matches;
    # exception messages may quote log content: escape control characters like any log text.
    return "\n".join(header) + "\n" + escape_control(scrub(trace, secrets), one_line=False)


def write_crash_report(
    error: BaseException,
    *,
    secrets: Iterable[SecretLike] = (),
    directory: Path | None = None,
) -> Path:
    """Write a new private (0600) report for ``error``; return its path. Raises OSError."""
    folder = directory if directory is not None else crash_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = format_report(error, [*secrets, *_settings_secrets()])
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        suffix = f"-{attempt}" if attempt else ""
        path = folder / f"crash-{stamp}-{os.getpid()}{suffix}.txt"
        try:
            # O_EXCL: never write through a planted symlink or over an older report.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write(text)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return path
    raise FileExistsError(f"no free report name in {folder}")


def report_crash(error: BaseException, *, secrets: Iterable[SecretLike] = ()) -> str:
    """Write the report and return the one line for stderr (no newline, no secret)."""
    what = f"unexpected internal error ({type(error).__name__}), please report it"
    try:
        path = write_crash_report(error, secrets=secrets)
    except Exception as exc:  # the line must still come out, and say no report exists
        reason = escape_control(getattr(exc, "strerror", None) or type(exc).__name__)
        return f"fuse-tui: error: {what}; no crash report could be written ({reason})"
    where = escape_control(str(path))
    return f"fuse-tui: error: {what}; a report was written to {where}"
