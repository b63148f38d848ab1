"""Every entry's class held as a column: a byte each.

A list of a million class names costs 8 MB (a pointer each; the names are shared); a byte an
entry, an id into a small table of names, costs 1. A log of more than 256 classes (hostile
input) widens the ids to 4 bytes.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload


class KindColumn(Sequence[str]):
    """Class names in entry order (``column[i]`` is entry i's). Only grows, by :meth:`extend`;
    safe to read from one thread while another extends it (what a reader saw stays)."""

    __hash__ = None  # type: ignore[assignment]  # compared by its names, like a list

    def __init__(self, kinds: Iterable[str] = ()) -> None:
        self._ids: bytearray | array[int] = bytearray()
        self._names: list[str] = []
        self._index: dict[str, int] = {}
        self.extend(kinds)

    def extend(self, kinds: Iterable[str]) -> None:
        kinds = kinds if isinstance(kinds, list) else list(kinds)
        index = self._index
        for kind in dict.fromkeys(kinds):  # a first seen name gets the next id, in order
            if kind not in index:
                if len(self._names) == 256 and isinstance(self._ids, bytearray):
                    self._ids = array("I", iter(self._ids))  # (a new one: readers keep the old)
                index[kind] = len(self._names)
                self._names.append(kind)
        ids = self._ids
        if isinstance(ids, bytearray):
            ids += bytes(map(index.__getitem__, kinds))
        else:
            ids.extend(map(index.__getitem__, kinds))

    def __iadd__(self, kinds: Iterable[str]) -> KindColumn:
        self.extend(kinds)
        return self

    def codes(self) -> tuple[list[str], bytes] | None:
        """The names and each entry's id into them, a byte each (in C); None when there are
        more than 256 names."""
        ids = self._ids
        if not isinstance(ids, bytearray):
            return None
        return list(self._names), bytes(ids)

    def ids_of(self, name: str) -> tuple[Sequence[int], int | None]:
        """Each entry's id, and the id of class ``name`` (None: no entry has it), to compare
        in a loop without a name looked up per entry."""
        return self._ids, self._index.get(name)

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        names = self._names
        if isinstance(index, slice):
            return list(map(names.__getitem__, self._ids[index]))
        return names[self._ids[index]]

    def __iter__(self) -> Iterator[str]:
        return map(self._names.__getitem__, self._ids)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"<KindColumn of {len(self)} entries, {len(self._names)} classes>"
