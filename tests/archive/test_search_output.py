"""`archive search`'s table is built with shared texts (per minute, per class…): the same text
as formatting each hit on its own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.cli.archive_cmd import _hit_rows, _utc
from fuse_tui.cli.common import cell
from fuse_tui.core.archive.records import SearchHit

stamps = st.one_of(
    st.none(),
    st.integers(),
    st.integers(-62_135_596_900, 253_402_300_900),  # around years 1 and 9999
    st.integers(1_700_000_000, 1_700_000_200),
    st.integers(10**11 - 120, 10**11 + 120),  # where seconds become milliseconds
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(stamps, st.sampled_from([None, "", "info", "a\x1bb"])), max_size=30))
def test_the_table_is_each_hit_formatted_alone(items: list[tuple[int | None, str | None]]) -> None:
    hits = [
        SearchHit("s\n1", i, stamp, kind, kind, f"line {kind}")
        for i, (stamp, kind) in enumerate(items)
    ]
    expected = [
        (
            _utc(h.timestamp),
            cell(h.session_id),
            cell(h.class_ or "unknown"),
            cell(h.module or "-"),
            cell(h.line),
        )
        for h in hits
    ]
    assert _hit_rows(hits) == expected
