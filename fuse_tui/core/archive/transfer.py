"""Import saved dumps into the archive and export archived calls, one file per call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from msgspec import Raw

from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.paths import (
    is_shortened_stem,
    safe_file_stem,
    session_id_from_stem,
)
from fuse_tui.core.archive.plain_calls import DetailEntries
from fuse_tui.core.archive.preparing import stored_answer
from fuse_tui.core.archive.records import StoredAnswer
from fuse_tui.core.archive.rows import storable_text
from fuse_tui.core.archive.store import Archive
from fuse_tui.core.formats import (
    CallListDocument,
    ReadError,
    atomic_write,
    dump_json,
    dump_xml,
    json_fast,
    load,
)
from fuse_tui.core.formats.api_json import decode_plain_records, encoded_records
from fuse_tui.core.formats.json_all_logs import call_parts, plain_dump_calls
from fuse_tui.core.formats.shape import gc_paused
from fuse_tui.core.model import CallLog

EXPORT_FORMATS = ("json", "xml")
# What a dump's call is before it is prepared, and what it becomes (see _import_calls).
_Call = TypeVar("_Call")
_Item = TypeVar("_Item")


@dataclass(frozen=True)
class ImportProgress:
    """How far an import of many calls is: ``done`` of its ``total`` events written (calls
    without a session ID or an entry not counted); ``finishing``: all are, and the archive's
    indexes are being completed (seconds, for a big first import)."""

    done: int
    total: int
    finishing: bool = False


Progress = Callable[[ImportProgress], None]


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
    archive: Archive,
    path: str | Path,
    *,
    session_id: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one saved answer: a single call log (raw bytes kept) or an all_logs dump.

    A single call log carries no session ID, so it comes from ``session_id`` or else from the
    file name (as written by ``export_call``). Raises ReadError for unreadable files.
    ``progress``: told of an all_logs dump's events as its batches are written (see
    :class:`ImportProgress`); its counts start again should the dump be read a second way.
    """
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"cannot read {source}: {exc.strerror or exc}") from exc
    # An all_logs dump of plain JSON: each call straight from its text into its rows (see
    # plain_calls), unless one call needs what the usual road does; then that road reads the
    # whole dump (its calls written already are replaced by the same).
    calls = plain_dump_calls(data)
    if calls is not None:
        result = ImportResult(source)
        try:
            if _import_plain_dump(archive, calls, str(source), result, progress):
                return result
        except json_fast.NotFast:
            pass
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
        _import_calls(
            archive,
            [(log.session_id, len(log.entries), log) for log in document.logs],
            _answer_of,
            _store_batch,
            result,
            progress,
        )
    return result


def _answer_of(session_id: str, log: CallLog) -> tuple[StoredAnswer, str, dict[str, Any]]:
    # One call out of many: its own bytes do not exist, so store it in the API's JSON shape
    # (written from the entries decoded once, as are their rows: see stored_answer).
    return stored_answer(log), session_id, log.meta


def _import_plain_dump(
    archive: Archive,
    calls: list[dict[str, Raw]],
    source: str,
    result: ImportResult,
    progress: Progress | None,
) -> bool:
    """Import the calls of :func:`plain_dump_calls` (see import_file); False when
    ``read_all_logs`` would decline the dump, before anything is written. Raises NotFast,
    maybe after some batches were committed, at a call whose entries need the slow road."""
    parts: list[tuple[str | None, int, tuple[dict[str, Any], Raw | None, int]]] = []
    try:
        for call in calls:
            found = call_parts(call)
            if found is None:
                return False
            meta, detail, entries = found
            session = meta.get("session_id")  # as json_all_logs names the call
            session_id = None if session is None or session == "" else str(session)
            parts.append((session_id, len(entries), (meta, detail, len(entries))))
    except (msgspec.DecodeError, ValueError, RecursionError):
        return False
    new = [(session_id, events) for session_id, events, _ in parts if session_id and events]
    with (
        gc_paused(),
        archive.bulk_writes(
            [session_id for session_id, _ in new], sum(events for _, events in new)
        ),
    ):
        _import_calls(
            archive, parts, partial(_plain_answer, source), _store_batch, result, progress
        )
    return True


def _plain_answer(
    source: str, session_id: str, call: tuple[dict[str, Any], Raw | None, int]
) -> tuple[StoredAnswer, str, dict[str, Any]]:
    """A call of a plain dump as :func:`_answer_of` gives the usual road's: its raw answer
    written from one decode of its entries (the ApiEntry records entry_records gives, kept
    for plain_calls to make the rows of), its log's entries read only if looked at."""
    meta, detail, count = call
    assert detail is not None  # a call with entries
    log = CallLog.model_construct(
        session_id=session_id, entries=DetailEntries(detail, count), source=source, meta=meta
    )
    try:
        records = decode_plain_records(detail)
    except (msgspec.DecodeError, RecursionError):  # an entry that is not plain: as usual
        records = None
    raw = None if records is None else encoded_records(records)
    if records is None or raw is None:
        entries = DetailEntries(detail, count).compact()
        return _answer_of(
            session_id, CallLog(session_id=session_id, entries=entries, source=source, meta=meta)
        )
    return StoredAnswer(raw, "json", log, "application/json", records=records), session_id, meta


def _import_calls(
    archive: Archive,
    calls: list[tuple[str | None, int, _Call]],
    make: Callable[[str, _Call], _Item],
    store_batch: Callable[[Archive, list[tuple[str, _Item]], ImportResult], None],
    result: ImportResult,
    progress: Progress | None = None,
) -> None:
    """The calls (session ID, how many entries, what ``make`` makes the stored item of) in
    batches given to ``store_batch``; those without a session ID or an entry skipped.
    ``progress``: told after each batch, and once all are written (``finishing``)."""
    batch: list[tuple[str, _Item]] = []
    events = 0
    # Inside bulk_writes's one transaction, the first batch and those of the last events are
    # small (see _EVENTS_PER_PIPELINED_BATCH); `left`: the events not in a batch yet.
    pipelined = archive.in_one_transaction
    total = sum(count for session_id, count, _ in calls if session_id)
    left = total if pipelined else 0
    written = 0
    first = True
    for session_id, count, call in calls:
        if not session_id:
            result.skipped.append(("", "a call in the dump has no session_id"))
            continue
        if not count:
            result.skipped.append((session_id, "no detailed log in the dump"))
            continue
        batch.append((session_id, make(session_id, call)))
        events += count
        left -= count
        most_events = _EVENTS_PER_TRANSACTION
        if pipelined and (first or left < _EVENTS_PER_TRANSACTION):
            most_events = _EVENTS_PER_PIPELINED_BATCH
        if events >= most_events or len(batch) >= _CALLS_PER_TRANSACTION:
            store_batch(archive, batch, result)
            written += events
            if progress is not None:
                progress(ImportProgress(written, total))
            events = 0
            first = False
    store_batch(archive, batch, result)
    if progress is not None:
        progress(ImportProgress(written + events, total, finishing=True))


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
    archive: Archive,
    batch: list[tuple[str, tuple[StoredAnswer, str, dict[str, Any]]]],
    result: ImportResult,
) -> None:
    if not batch:
        return
    refused = archive.store_many([item for _, item in batch], origin="import")
    _note_stored(result, [session_id for session_id, _ in batch], refused)
    batch.clear()


def _note_stored(result: ImportResult, session_ids: list[str], refused: dict[int, str]) -> None:
    for position, session_id in enumerate(session_ids):
        if position in refused:
            result.skipped.append((storable_text(session_id) or "", refused[position]))
        else:
            result.stored.append(session_id)


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
