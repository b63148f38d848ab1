"""Reading a dump in pieces, so a viewer can show the first rows while the rest is read.

The contract (the TUI depends on it; the reader behind it may change):

- :func:`read_progressively` yields :class:`FirstEntries` at most once, then any number of
  :class:`MoreEntries`, and always ends with exactly one :class:`Finished` — or raises a
  ``ReadError`` (a ``FormatError`` names the source and what is wrong), before or after some
  entries were yielded.
- The entries of FirstEntries and MoreEntries, in order, are the entries of the one call log the
  source holds. A source that is not one call log (an all_logs dump of several calls, a call
  list, NDJSON of several sessions) yields no entries: only Finished, with the whole document.
- ``Finished.document`` is what :func:`fuse_tui.core.formats.load` (``partial=True``) returns for
  the same input. For a one-call source its one log holds the same entries, in the same order, as
  those yielded (the same objects where the representation allows it), so a viewer can keep the
  rows it already shows.
- ``first`` is how many entries FirstEntries holds at most; later pieces may be any size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fuse_tui.core.formats.document import Document, LogsDocument
from fuse_tui.core.formats.reader import load, load_file
from fuse_tui.core.model import LogEntry

FIRST_ENTRIES = 2000
MORE_ENTRIES = 50_000


@dataclass(frozen=True)
class FirstEntries:
    """The first entries of a one-call source, and its session ID when known so far."""

    entries: Sequence[LogEntry]
    session_id: str | None = None


@dataclass(frozen=True)
class MoreEntries:
    """The next entries, in order."""

    entries: Sequence[LogEntry]


@dataclass(frozen=True)
class Finished:
    """The whole document, as ``load(..., partial=True)`` reads it."""

    document: Document


Piece = FirstEntries | MoreEntries | Finished


def read_progressively(
    source: str | Path, data: bytes | None = None, *, first: int = FIRST_ENTRIES
) -> Iterator[Piece]:
    """The pieces of ``source`` (a file path, or a name for ``data`` already read: stdin).

    This first implementation reads the whole input, then hands it out in pieces; a streaming
    reader replaces it without changing the contract.
    """
    if data is not None:
        document = load(data, source=str(source), partial=True)
    else:
        document = load_file(source, partial=True)
    if isinstance(document, LogsDocument) and document.kind == "call" and len(document.logs) == 1:
        log = document.logs[0]
        entries = log.entries
        yield FirstEntries(entries[:first], log.session_id)
        for start in range(first, len(entries), MORE_ENTRIES):
            yield MoreEntries(entries[start : start + MORE_ENTRIES])
    yield Finished(document)
