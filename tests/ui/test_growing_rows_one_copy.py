"""GrowingRows keeps each search text once (issue 10): an ASCII text lowered, another as it is;
a filter or next-match whose regex tells case apart still answers on the original texts."""

from __future__ import annotations

import json

from fuse_tui.core import query_fields
from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import load
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query, search_text
from fuse_tui.ui.growing_rows import GrowingRows
from fuse_tui.ui.rows import EventRows
from tests.ui.conftest import CALL_START, entry

LINES = ["Step 1: OK", "step 2: failed", "STEP 3: ok", "\u212a Step 4: Grüße", "Step 5: ok"]


def _items() -> list[dict]:
    return [
        entry(line, "info", CALL_START + i, f"Mod{i}", f"v{i}", Status="OK" if i % 2 else "ok")
        for i, line in enumerate(LINES)
    ]


def _compact() -> CompactEntries:
    read = load(json.dumps(_items()).encode(), source="t")
    entries = read.logs[0].entries  # type: ignore[union-attr]
    assert isinstance(entries, CompactEntries)
    return entries


def test_the_index_holds_each_text_once_and_reads_as_the_originals() -> None:
    entries = _compact()
    rows = GrowingRows(entries[:2])
    rows.build_index()
    rows.extend(entries[2:])
    rows.build_index()
    originals = [search_text(e) for e in entries]
    index = rows.search_texts()
    assert index == originals and [index[i] for i in range(len(LINES))] == originals
    assert index.stored == [t.lower() if t.isascii() else t for t in originals]
    assert list(index.ascii_ or b"") == [1, 1, 1, 0, 1]
    slot = query_fields._slot[0]
    assert slot is not None and slot.low is index.stored  # no second copy


def test_a_case_telling_filter_and_next_match_answer_on_the_original_texts() -> None:
    models = [LogEntry.model_validate(item) for item in _items()]
    for entries in (_compact(), models):
        rows = GrowingRows(entries)
        rows.build_index()
        whole = EventRows(models)
        for text in [
            "re:(?-i)^Step",
            "re:(?-i:S)tep",
            "!re:(?-i)Step",
            r"re:\p{Changes_When_Lowercased}tep",
            "status:re:(?-i)OK",
            "step",
            "re:^step",
        ]:
            query = Query.parse(text)
            whole.apply(query)
            assert rows.filtered(query).visible == whole.visible, text
        rows.highlight = Query.parse("re:(?-i)STEP")
        assert rows.find(-1, 1) == 2
        rows.highlight = Query.parse("re:(?-i)Step")
        assert rows.find(0, 1) == 3
        assert rows.count_marked() == 3
