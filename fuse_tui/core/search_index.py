"""The search texts of a big log kept once: the TUI's search index.

A query compares words with the lowered form of a text (:mod:`fuse_tui.core.query_fields`):
holding each text and its lowered copy cost two copies (~380 MB at 1M entries). An index keeps
one, ``stored``: an ASCII text lowered, any other text as it is. A case-blind search gives the
same answers on an ASCII text and on its lowered form (lowering maps A-Z to a-z only, which
case-blind matching already treats as one), so most queries search ``stored`` directly; a query
whose regex can tell case apart despite IGNORECASE (``(?-i)``, ``\\p{…}``: see
:func:`fuse_tui.core.query_regex.case_matters`) searches the original texts, made again from the
entries a step at a time (:meth:`SearchIndex.originals`).

As a sequence, an index holds the original texts (each made again on demand), so code that reads
it as a list of search texts (the next-match search, tests) sees what it always saw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import compress
from typing import Any, overload

__all__ = ["SearchIndex"]

# Texts made again per call of ``texts_of`` when the whole index is read in order.
_REBUILD_STEP = 5000


class SearchIndex(Sequence[str]):
    """The search texts of entries ``0 .. len(self)``, kept once (see the module's docstring).

    ``texts_of(start, stop)`` makes the original texts of entries ``start .. stop`` again (they
    must be the texts :meth:`add` was given). Only grows, by :meth:`add`; safe to read from one
    thread while another adds (what a reader saw stays as it was)."""

    __hash__ = None  # type: ignore[assignment]  # compared by its texts, like a list

    def __init__(self, texts_of: Callable[[int, int], list[str]]) -> None:
        self.texts_of = texts_of
        # Text i lowered when ASCII, else as it is (then case-blind matching, which reaches past
        # ASCII, searches it as it is: "k" matches the Kelvin sign, which lowering does not).
        self.stored: list[str] = []
        # 1 where the text is ASCII; None while every text is. For the first n texts, read it
        # after reading n: add() writes it before ``stored``.
        self.ascii_: bytearray | None = None
        # The kept values and census of query_fields (its _Lowered), made on the first search.
        self.slot: Any = None

    def add(self, texts: Sequence[str]) -> None:
        """Index the next ``texts`` (those of entries ``len(self) ..``)."""
        flags = list(map(str.isascii, texts))
        if all(flags):
            lowered = list(map(str.lower, texts))
        else:
            lowered = [
                text.lower() if plain else text for text, plain in zip(texts, flags, strict=True)
            ]
            if self.ascii_ is None:
                self.ascii_ = bytearray(b"\x01") * len(self.stored)
        if self.ascii_ is not None:
            self.ascii_ += bytes(flags)
        self.stored += lowered

    def first(self, count: int) -> SearchIndex:
        """An index of the first ``count`` texts only (sharing the texts themselves)."""
        part = SearchIndex(self.texts_of)
        part.stored = self.stored[:count]
        flags = self.ascii_  # read after stored: it covers them
        part.ascii_ = None if flags is None or 0 not in flags[:count] else flags[:count]
        return part

    def originals(self, part: Sequence[int]) -> dict[int, str]:
        """The original texts of the entries ``part`` (sorted), by index: the ASCII ones made
        again from the entries, a run of consecutive entries per call."""
        stored = self.stored
        flags = self.ascii_
        wanted = list(part) if flags is None else list(compress(part, map(flags.__getitem__, part)))
        found: dict[int, str] = {}
        if flags is not None:
            found.update((i, stored[i]) for i in part if not flags[i])
        start = 0
        while start < len(wanted):
            stop = start + 1
            while stop < len(wanted) and wanted[stop] == wanted[stop - 1] + 1:
                stop += 1
            first = wanted[start]
            found.update(
                zip(wanted[start:stop], self.texts_of(first, first + stop - start), strict=True)
            )
            start = stop
        return found

    def __len__(self) -> int:
        return len(self.stored)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        """The original text of entry ``index`` (made again when it is ASCII)."""
        if isinstance(index, slice):
            chosen = range(len(self.stored))[index]
            found = self.originals(sorted(chosen))
            return [found[i] for i in chosen]
        i = range(len(self.stored))[index]  # IndexError as a list raises it
        stored = self.stored[i]
        if not stored.isascii():
            return stored
        return self.texts_of(i, i + 1)[0]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), _REBUILD_STEP):
            yield from self.texts_of(start, min(len(self), start + _REBUILD_STEP))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"<SearchIndex of {len(self)} texts>"
