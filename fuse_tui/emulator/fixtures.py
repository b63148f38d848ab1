"""Serve saved dumps instead of the samples (``--fixtures DIR``).

Layout: dump files (``.json`` / ``.xml``) at the top of DIR belong to the first account; a
sub-directory named after an account's e-mail holds that account's dumps. A one-call dump
(``/api/call`` answer) is named after its session ID, percent-encoded or not
(``300060%3B001%3B1529552581.json``) and is replayed byte for byte in its own format (unless it
holds NaN or Infinity, which standard JSON has no token for: see ``encoding``). An
``/api/all_logs`` dump contributes every call it holds, with their metadata.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fuse_tui.core.formats import LogsDocument, ReadError, load
from fuse_tui.core.model import CallLog
from fuse_tui.emulator.builder import StoredCall

SUFFIXES = (".json", ".xml")


class FixtureError(ValueError):
    """A fixture file cannot be served."""


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _stored(log: CallLog, session_id: str) -> StoredCall:
    entries = [entry.to_api() for entry in log.entries]
    first = log.first_timestamp or 0
    last = log.last_timestamp or first
    meta = log.meta
    src = str(meta.get("src") or "")
    kind = str(meta.get("type") or ("outbound" if src == "Outbound" else "inbound"))
    return StoredCall(
        session_id=session_id,
        src=src,
        dest=str(meta.get("dest") or ""),
        start=_int(meta.get("start"), first),
        end=_int(meta.get("end"), last),
        type=kind,
        entries=entries,
    )


class _NonStandardToken(ValueError):
    pass


def _refuse(token: str) -> Any:
    raise _NonStandardToken(token)


def _standard_json(data: bytes) -> bool:
    """False when the dump holds NaN or Infinity: replayed as is, the answer would not be JSON
    that standard parsers accept, so it is served re-encoded (those values as null) instead."""
    try:
        json.loads(data, parse_constant=_refuse)
    except _NonStandardToken:
        return False
    except (ValueError, RecursionError):  # another encoding or shape the reader copes with
        return True
    return True


def load_file_calls(path: Path) -> list[StoredCall]:
    data = path.read_bytes()
    try:
        document = load(data, source=str(path))
    except ReadError as exc:
        raise FixtureError(str(exc)) from exc
    if not isinstance(document, LogsDocument):
        raise FixtureError(f"{path}: a call list holds no call logs; save /api/call answers")
    if document.kind == "call":
        call = _stored(document.logs[0], unquote(path.stem))
        if document.format != "json" or _standard_json(data):
            call.raw[document.format] = data
        return [call]
    return [
        _stored(log, log.session_id or f"{unquote(path.stem)}#{n}")
        for n, log in enumerate(document.logs)
    ]


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def load_fixtures(directory: Path | str, emails: list[str]) -> dict[str, list[StoredCall]]:
    """Calls per account e-mail, read from ``directory``."""
    root = Path(directory)
    if not root.is_dir():
        raise FixtureError(f"{root}: not a directory of dumps")
    result: dict[str, list[StoredCall]] = {email: [] for email in emails}
    for path in _files(root):
        result[emails[0]].extend(load_file_calls(path))
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        if sub.name not in result:
            raise FixtureError(f"{sub}: no account {sub.name!r} is configured for these dumps")
        for path in _files(sub):
            result[sub.name].extend(load_file_calls(path))
    return result
