"""An import inside bulk_writes's one transaction is written in small pipelined batches
(transfer._EVENTS_PER_PIPELINED_BATCH): how it is cut must not change what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.core.archive import Archive, import_file, store, transfer
from tests.archive.test_fast_import import _content, _dump


def _import_counting_batches(
    path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[object], list[bool]]:
    batches: list[bool] = []
    real = Archive.store_many

    def counted(self: Archive, *args: object, **kwargs: object) -> dict[int, str]:
        batches.append(self.in_one_transaction)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Archive, "store_many", counted)
    with Archive.open(path) as archive:
        import_file(archive, dump)
        assert not archive.in_one_transaction
        return _content(archive), batches


@pytest.mark.parametrize("per_batch", [1, 12, 199])
def test_a_bulk_import_cut_in_pipelined_batches_stores_what_one_batch_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_batch: int
) -> None:
    dump = _dump(tmp_path, 40)  # 200 events, 5 a call
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
    monkeypatch.setattr(transfer, "_EVENTS_PER_PIPELINED_BATCH", 10**9)
    expected, whole = _import_counting_batches(tmp_path / "one.sqlite3", dump, monkeypatch)
    assert whole == [True]
    monkeypatch.setattr(transfer, "_EVENTS_PER_PIPELINED_BATCH", per_batch)
    cut, batches = _import_counting_batches(tmp_path / "cut.sqlite3", dump, monkeypatch)
    assert cut == expected
    # A batch closes at the first call that reaches the limit: 5 events a call.
    assert len(batches) == -(-200 // (5 * -(-per_batch // 5)))
    assert all(batches)


def test_an_import_outside_one_transaction_keeps_its_batches_per_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the rebuild (few events) each batch is a transaction of its own: the small
    pipelined size is not used there (it would commit every few calls)."""
    dump = _dump(tmp_path, 40)
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 10**9)
    monkeypatch.setattr(transfer, "_EVENTS_PER_PIPELINED_BATCH", 5)
    _, batches = _import_counting_batches(tmp_path / "a.sqlite3", dump, monkeypatch)
    assert batches == [False]
