"""Import saved dumps into the archive and export archived calls, one file per call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.fields import entry_views
from fuse_tui.core.archive.paths import (
    is_shortened_stem,
    safe_file_stem,
    session_id_from_stem,
)
from fuse_tui.core.archive.records import StoredAnswer
from fuse_tui.core.archive.rows import storable_text
from fuse_tui.core.archive.store import Archive
from fuse_tui.core.formats import (
    CallListDocument,
    ReadError,
    atomic_write,
    dump_json,
    dump_xml,
    load,
)
from fuse_tui.core.formats.api_json import entry_records, records_json
from fuse_tui.core.formats.shape import gc_paused
from fuse_tui.core.model import CallLog

EXPORT_FORMATS = ("json", "xml")


@dataclass
class ImportResult:
    path: Path
    stored: list[str] = field(default_factory=list)
    # (session id or "", why it was not imported)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # The single call's session ID was read from the file name (the dump does not carry one).
    id_from_file_name: bool = False
    # An all_logs dump cut short: why (the reader's words); only its calls read whole were
    # imported (``stored`` and ``skipped`` are theirs).
    cut: str | None = None


def import_file(
    archive: Archive, path: str | Path, *, session_id: str | None = None
) -> ImportResult:
    """Import one saved answer: a single call log (raw bytes kept) or an all_logs dump.

    A single call log carries no session ID, so it comes from ``session_id`` or else from the
    file name (as written by ``export_call``). Raises ReadError for unreadable files.
    """
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"cannot read {source}: {exc.strerror or exc}") from exc
    result = ImportResult(source)
    # partial: one unreadable call of an all_logs dump is skipped with its reason, not the dump
    # (and one cut short gives its calls read whole). An all_logs dump of plain JSON is read
    # without a model per entry (see formats.json_all_logs).
    document = load(data, source=str(source), partial=True)
    if isinstance(document, CallListDocument):
        result.skipped.append(("", "this is a call list (/api/calls) without call logs"))
        return result
    if document.kind == "call":
        log = document.logs[0]
        sid = session_id or log.session_id
        if not sid and is_shortened_stem(source.stem):
            raise ArchiveError(
                f"{source.name}: this name was shortened from a session ID too long for a file "
                "name, so it cannot say which call this is; import it with --session-id ID"
            )
        if not sid:
            sid = session_id_from_stem(source.stem)
            result.id_from_file_name = True
        archive.store(StoredAnswer(data, document.format, log), sid, origin="import")
        result.stored.append(sid)
        return result
    for problem in document.problems:
        if problem.cut:  # a dump cut short: its calls read whole are kept (see formats.load)
            result.cut = f"{source}: {problem.message}"
        else:
            result.skipped.append((problem.session_id or "", problem.message))
    new = [log for log in document.logs if log.session_id and log.entries]
    # The rows are many small acyclic objects, freed as each batch is written: collections
    # would only traverse them (a tenth of an import).
    with (
        gc_paused(),
        archive.bulk_writes(
            [str(log.session_id) for log in new], sum(len(log.entries) for log in new)
        ),
    ):
        _import_logs(archive, document.logs, result)
    return result


def stored_answer(log: CallLog) -> StoredAnswer:
    """One call of a dump as the archive stores it: ``dump_json(log, pretty=False)``, the
    API's JSON shape, with the entries' field views, both from one decode of the entries
    where they are kept as JSON text (else each its own way)."""
    records = entry_records(log.entries)
    if records is None:
        return StoredAnswer(dump_json(log, pretty=False), "json", log, "application/json")
    views = entry_views(log.entries, records)  # first: records_json reorders the records' keys
    raw = records_json(records)
    if raw is None:
        raw = dump_json(log, pretty=False)
    return StoredAnswer(raw, "json", log, "application/json", views)


def _import_logs(archive: Archive, logs: list[CallLog], result: ImportResult) -> None:
    batch: list[tuple[StoredAnswer, str, dict[str, Any]]] = []
    events = 0
    # Inside bulk_writes's one transaction, the first batch and those of the last events are
    # small (see _EVENTS_PER_PIPELINED_BATCH); `left`: the events not in a batch yet.
    pipelined = archive.in_one_transaction
    left = sum(len(log.entries) for log in logs if log.session_id) if pipelined else 0
    first = True
    for log in logs:
        if not log.session_id:
            result.skipped.append(("", "a call in the dump has no session_id"))
            continue
        if not log.entries:
            result.skipped.append((log.session_id, "no detailed log in the dump"))
            continue
        # One call out of many: its own bytes do not exist, so store it in the API's JSON shape
        # (written from the entries decoded once, as are their rows: see stored_answer).
        answer = stored_answer(log)
        batch.append((answer, log.session_id, log.meta))
        events += len(log.entries)
        left -= len(log.entries)
        most_events = _EVENTS_PER_TRANSACTION
        if pipelined and (first or left < _EVENTS_PER_TRANSACTION):
            most_events = _EVENTS_PER_PIPELINED_BATCH
        if events >= most_events or len(batch) >= _CALLS_PER_TRANSACTION:
            _store_batch(archive, batch, result)
            events = 0
            first = False
    _store_batch(archive, batch, result)


# Written per transaction by an import: one commit per call made a 7,000-call dump spend most
# of its time committing, and each commit writes every index page the batch touched (at 1M
# events, batches of 500 calls spent a fifth of the import committing). A bounded batch keeps
# the rows held in memory (~50 MB) and the time a sync waits for the write lock (~1 s) small.
_EVENTS_PER_TRANSACTION = 50_000
_CALLS_PER_TRANSACTION = 5_000
# Inside bulk_writes's one transaction a batch commits nothing: it is a step of the pipeline
# in which SQLite writes a batch while the next is built (Archive._store_all). The SQL thread
# idles until the first batch is built, and the import waits at the end for the last one's
# SQL alone: at 50,000 events that wait was ~1.3 s of a 300k import, at 10,000 ~0.3 s. So the
# first batch and those of the last 50,000 events are this small; the others stay big (all
# this small, the SQL took ~3 % more CPU at 300k).
_EVENTS_PER_PIPELINED_BATCH = 10_000


def _store_batch(
    archive: Archive, batch: list[tuple[StoredAnswer, str, dict[str, Any]]], result: ImportResult
) -> None:
    if not batch:
        return
    refused = archive.store_many(batch, origin="import")
    for position, (_, session_id, _) in enumerate(batch):
        if position in refused:
            result.skipped.append((storable_text(session_id) or "", refused[position]))
        else:
            result.stored.append(session_id)
    batch.clear()


@dataclass
class ExportResult:
    session_id: str
    path: Path
    verbatim: bool  # True when the bytes are exactly those Fuse served


def export_call(archive: Archive, session_id: str, folder: str | Path, fmt: str) -> ExportResult:
    """Write one archived call to ``folder/<safe name>.<fmt>`` atomically."""
    if fmt not in EXPORT_FORMATS:
        raise ArchiveError(f"unknown export format {fmt!r}; use json or xml")
    call = archive.get(session_id)
    if call is None:
        raise ArchiveError(f"session {session_id!r} is not in the archive")
    target_dir = Path(folder)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot create {target_dir}: {exc.strerror or exc}") from exc
    target = target_dir / f"{safe_file_stem(session_id)}.{fmt}"
    verbatim = call.format == fmt
    if verbatim:
        data = call.raw
    else:
        try:
            log = call.log
        except ReadError as exc:
            raise ArchiveError(f"session {session_id!r}: archived bytes unreadable: {exc}") from exc
        data = dump_json(log) if fmt == "json" else dump_xml(log)
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return ExportResult(session_id, target, verbatim)
