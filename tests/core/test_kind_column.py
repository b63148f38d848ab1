"""The rows' column of classes: a byte an entry, read as the list of names it stands for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.kind_column import KindColumn


@given(pieces=st.lists(st.lists(st.sampled_from(["info", "error", "", "wärning"]), max_size=9)))
def test_a_column_grown_piece_by_piece_reads_as_the_names(pieces: list[list[str]]) -> None:
    column = KindColumn()
    names: list[str] = []
    for piece in pieces:
        column.extend(piece)
        names += piece
    assert list(column) == names and len(column) == len(names) and column == names
    assert [column[i] for i in range(len(names))] == names
    assert column[1:-1:2] == names[1:-1:2]
    ids, error = column.ids_of("error")
    assert [i for i in range(len(names)) if ids[i] == error] == [
        i for i, name in enumerate(names) if name == "error"
    ]


def test_more_than_256_classes_widen_the_ids() -> None:
    column = KindColumn(["info"] * 3)
    before = column.codes()
    assert before is not None and before[1] == b"\x00\x00\x00"
    many = [f"class {i}" for i in range(300)]
    column.extend(many)
    assert list(column) == ["info"] * 3 + many
    assert column.codes() is None  # no longer a byte each: callers take the slow road
    assert column.ids_of("nothing")[1] is None
