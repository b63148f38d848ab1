"""A call's rows and values, computed before the write transaction: ``prepare`` for
``Archive.store``/``store_many``, ``stored_answer`` for a call of a dump."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from fuse_tui.core.archive.fields import entry_views
from fuse_tui.core.archive.plain_calls import DetailEntries, plain_call
from fuse_tui.core.archive.prepared import PreparedCall
from fuse_tui.core.archive.records import FetchedLike, StoredAnswer
from fuse_tui.core.archive.rows import event_rows, normalise_meta
from fuse_tui.core.archive.stats import call_facts
from fuse_tui.core.formats import dump_json
from fuse_tui.core.formats.api_json import entry_records, records_json
from fuse_tui.core.model import CallLog


def prepare(
    fetched: FetchedLike,
    session_id: str,
    meta: Mapping[str, Any] | BaseModel | None,
    origin: str,
    when: float,
) -> PreparedCall:
    """One call of ``Archive.store``/``store_many`` (see there) ready to write."""
    log = fetched.log
    if isinstance(fetched, StoredAnswer) and fetched.records is not None:
        meta_dict = normalise_meta(meta) or normalise_meta(log.meta)
        prepared = plain_call(session_id, meta_dict, fetched.records, fetched, origin, when)
        if prepared is not None:
            return prepared
        # Not the usual entries after all: as the usual road reads and prepares the call.
        entries = log.entries
        if isinstance(entries, DetailEntries):
            entries = entries.compact()
        log = CallLog(session_id=log.session_id, entries=entries, source=log.source, meta=log.meta)
        fetched = stored_answer(log)
    # Each entry read once, without a model where the reader kept its JSON (see fields).
    views = fetched.views if isinstance(fetched, StoredAnswer) else None
    if views is None:
        views = entry_views(log.entries)
    return PreparedCall(
        session_id,
        normalise_meta(meta) or normalise_meta(log.meta),
        bytes(fetched.raw),
        fetched.format,
        fetched.content_type or "",
        log.time_span(),  # first_timestamp and last_timestamp, from one reading
        event_rows(session_id, views),
        dict(log.class_counts()),
        call_facts(views),
        origin,
        when,
    )


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
