"""rows.event_rows of entry views (the import's road: an ApiEntry decode, its data values
joined in C when every one is a text) gives the rows the models give, for data of texts (empty
ones among them), numbers, flags, nulls and nested values, and views of every shape."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fuse_tui.core.archive import transfer
from fuse_tui.core.archive.fields import EntryView
from fuse_tui.core.archive.rows import event_rows
from fuse_tui.core.formats import LogsDocument, load
from tests.archive.test_fast_import import assert_one_decode_gives_what_each_road_gives
from tests.core.log_strategies import json_values, texts

data_values = st.one_of(st.just(""), st.sampled_from(["a", "b c", "\n"]), texts, json_values)
datas = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(["k", "v", "w", "module_type", "x"]), data_values, max_size=4),
    st.dictionaries(st.sampled_from(["k", "v"]), st.sampled_from(["", "t", "u"]), max_size=3),
)
entries = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.fixed_dictionaries({"line": texts}, optional={"data": datas}),
            "class": st.one_of(st.none(), st.sampled_from(["info", "error"])),
            "timestamp": st.one_of(st.none(), st.integers(-(2**64), 2**64)),
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries)
@example(
    [{"event": {"line": "l", "data": {"a": "", "b": "x", "c": ""}}, "class": None, "timestamp": 1}]
)
@example(
    [
        {
            "event": {"line": "l", "data": {"a": "", "b": 1, "c": [True, "", None, 1.5]}},
            "class": "info",
            "timestamp": 2**63,
        }
    ]
)
def test_view_rows_are_the_models_rows(items: list[dict[str, Any]]) -> None:
    assert_one_decode_gives_what_each_road_gives(json.dumps(items).encode())


def test_the_usual_entries_take_the_view_road() -> None:
    items = [{"event": {"line": "l", "data": {"a": "", "b": "x"}}, "class": "info", "timestamp": 1}]
    document = load(json.dumps(items).encode(), source="t")
    assert isinstance(document, LogsDocument)
    answer = transfer.stored_answer(document.logs[0])
    assert answer.views is not None and type(answer.views[0]) is EntryView
    assert event_rows("s", answer.views)[0][-1] == "x"
