"""``archive export --redact``: an archived call written redacted, where ``export_call`` would
write it (same name, same atomic write), never byte for byte."""

from __future__ import annotations

from pathlib import Path

from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.paths import safe_file_stem
from fuse_tui.core.archive.store import Archive
from fuse_tui.core.archive.transfer import EXPORT_FORMATS, ExportResult
from fuse_tui.core.formats import ReadError, atomic_write, dump_json, dump_xml
from fuse_tui.core.redact.redactor import redact_log
from fuse_tui.core.redact.rules import RedactRules


def export_redacted_call(
    archive: Archive, session_id: str, folder: str | Path, fmt: str, rules: RedactRules
) -> ExportResult:
    """Write one archived call, redacted (its own tokens), to ``folder/<safe name>.<fmt>``."""
    if fmt not in EXPORT_FORMATS:
        raise ArchiveError(f"unknown export format {fmt!r}; use json or xml")
    call = archive.get(session_id)
    if call is None:
        raise ArchiveError(f"session {session_id!r} is not in the archive")
    try:
        log = call.log
    except ReadError as exc:
        raise ArchiveError(f"session {session_id!r}: archived bytes unreadable: {exc}") from exc
    redacted = redact_log(log, rules)
    data = dump_json(redacted) if fmt == "json" else dump_xml(redacted)
    target = Path(folder) / f"{safe_file_stem(session_id)}.{fmt}"
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return ExportResult(session_id, target, verbatim=False)
