"""An import inside bulk_writes's one transaction is written in pipelined batches, small at
the start and the end (transfer._EVENTS_PER_PIPELINED_BATCH): how it is cut must not change
what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.core.archive import Archive, import_file, store, transfer
from tests.archive.test_fast_import import _content, _dump


def _import_counting_batches(
    path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[object], list[tuple[bool, int]]]:
    """The archive's content after importing ``dump``, and each store_many batch's
    (inside one transaction, events)."""
    batches: list[tuple[bool, int]] = []
    real = Archive.store_many

    def counted(self: Archive, items: list[tuple[object, ...]], **kwargs: object) -> dict[int, str]:
        events = sum(len(answer.log.entries) for answer, *_ in items)  # type: ignore[attr-defined]
        batches.append((self.in_one_transaction, events))
        return real(self, items, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Archive, "store_many", counted)
    with Archive.open(path) as archive:
        import_file(archive, dump)
        assert not archive.in_one_transaction
        return _content(archive), batches


@pytest.mark.parametrize(
    ("small", "big", "sizes"),
    [
        (1, 10**9, [5] * 40),  # all small: a batch closes at the call reaching the limit
        (12, 10**9, [15] * 13 + [5]),
        # The first batch small; big ones while 50 events or more would be left; small ones
        # for the last events.
        (12, 50, [15, 50, 50, 40, 15, 15, 15]),
        (10**9, 10**9, [200]),
    ],
)
def test_a_bulk_import_cut_in_pipelined_batches_stores_what_one_batch_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: int, big: int, sizes: list[int]
) -> None:
    dump = _dump(tmp_path, 40)  # 200 events, 5 a call
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
    monkeypatch.setattr(transfer, "_EVENTS_PER_PIPELINED_BATCH", 10**9)
    monkeypatch.setattr(transfer, "_EVENTS_PER_TRANSACTION", 10**9)
    expected, whole = _import_counting_batches(tmp_path / "one.sqlite3", dump, monkeypatch)
    assert whole == [(True, 200)]
    monkeypatch.setattr(transfer, "_EVENTS_PER_PIPELINED_BATCH", small)
    monkeypatch.setattr(transfer, "_EVENTS_PER_TRANSACTION", big)
    cut, batches = _import_counting_batches(tmp_path / "cut.sqlite3", dump, monkeypatch)
    assert cut == expected
    assert batches == [(True, size) for size in sizes]


def test_an_import_outside_one_transaction_keeps_its_batches_per_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the rebuild (few events) each batch is a transaction of its own: the small
    pipelined size is not used there (it would commit every few calls)."""
    dump = _dump(tmp_path, 40)
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 10**9)
    monkeypatch.setattr(transfer, "_EVENTS_PER_PIPELINED_BATCH", 5)
    _, batches = _import_counting_batches(tmp_path / "a.sqlite3", dump, monkeypatch)
    assert batches == [(False, 200)]
