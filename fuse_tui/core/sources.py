"""What a word on the command line names: a dump file, stdin, a session ID — or nothing known.

One rule for every front end (``fuse-tui WORD…`` opening the TUI, ``fuse-tui show WORD``):

- ``-`` is standard input;
- a path that exists is a file (a directory too: reading it says why it cannot be read);
- a pasted API URL (``https://…/api/call/300060%3B001%3B…``) is a session ID;
- a word with a directory part or a dump suffix (``.json``, ``.xml``, …) is a file, even when it is
  missing, so the answer is "cannot read the file", not a puzzling 404 from Fuse;
- a word holding a digit or a ``;`` is a session ID (Fuse's look like ``300060;001;1529552581``);
- anything else — a bare word of letters such as ``archve`` — is UNKNOWN: most likely a mistyped
  command or file name, which a front end reports instead of asking Fuse about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

DUMP_SUFFIXES = (".json", ".xml", ".ndjson", ".txt", ".gz")


class SourceKind(StrEnum):
    STDIN = "stdin"
    FILE = "file"
    SESSION = "session"
    UNKNOWN = "unknown"


def looks_like_session_id(text: str) -> bool:
    """Whether ``text`` reads as a session ID rather than a file name or a word (see above)."""
    value = text.strip()
    if "://" in value and "/call/" in value:
        return True
    if not value or _looks_like_a_path(value):
        return False
    return ";" in value or any(char.isdigit() for char in value)


def classify_source(value: str) -> SourceKind:
    """The kind of source ``value`` names, by the module's one rule."""
    if value == "-":
        return SourceKind.STDIN
    if not value.strip():  # Path("") is the current directory: never what was meant
        return SourceKind.UNKNOWN
    try:
        exists = Path(value).expanduser().exists()
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        exists = False
    if exists:
        return SourceKind.FILE
    if looks_like_session_id(value):
        return SourceKind.SESSION
    if _looks_like_a_path(value.strip()):
        return SourceKind.FILE
    return SourceKind.UNKNOWN


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a mistyped ``word`` (``archve`` → ``archive``), or None."""
    import difflib  # only for a typo: not on every command's start

    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _looks_like_a_path(value: str) -> bool:
    return (
        "/" in value
        or "\\" in value
        or value.startswith(("~", "."))
        or value.lower().endswith(DUMP_SUFFIXES)
    )
