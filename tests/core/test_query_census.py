"""The census of common keys' numbers (``query_fields.take_census``, ``query_values.KeyNumbers``):
read ahead in the TUI's index thread so that the first comparison on a key most entries hold
costs what the next do. A comparison answered from it keeps exactly the entries each entry's
own search keeps, on the usual texts and the odd ones of test_query_kept_values.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fuse_tui.core import query_fields
from fuse_tui.core.query import Query, QueryError, prepare, read_fields_ahead, take_census
from fuse_tui.core.query_fields import DATA_LINE, lowered_texts
from fuse_tui.core.query_syntax import SearchCancelled, compared_names
from fuse_tui.core.query_values import KeyNumbers, KeyValues, common_number_keys
from tests.core.test_query_kept_values import KEYS, one_by_one, texts_lists

# The census reads keys without a dot (a path's last part), as a typed field names them.
CENSUS_KEYS = [key for key in KEYS if "." not in key]


@pytest.fixture(autouse=True)
def _no_kept_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_fields, "_slot", [None])  # no texts kept by an earlier test


@settings(max_examples=300, deadline=None)
@given(texts=texts_lists, key=st.sampled_from(CENSUS_KEYS), step=st.integers(1, 5))
def test_the_census_holds_the_numbers_the_kept_values_give(
    texts: list[str], key: str, step: int
) -> None:
    low, ascii_ = (list(part) for part in lowered_texts(texts, range(len(texts))))
    kept = KeyValues(key)
    kept.extend(low, ascii_, DATA_LINE, len(texts) + 1)
    census = KeyNumbers.read(key, low, ascii_, len(texts), DATA_LINE, step)
    assert list(census.numbers.number_index) == list(kept.numbers.number_index)
    assert list(census.numbers.number) == list(kept.numbers.number)
    assert census.numbers.other_index == kept.numbers.other_index
    assert census.numbers.other == kept.numbers.other
    assert census.repeated == kept.repeated


@st.composite
def comparisons(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(CENSUS_KEYS))
    op = draw(st.sampled_from([">", ">=", "<", "<=", "="]))
    number = draw(st.sampled_from(["0", "5", "7", "55000", "-3", "2.5", "1e3", "1e20"]))
    return draw(st.sampled_from(["", "!"])) + f"{key}{op}{number}"


@settings(max_examples=300, deadline=None)
@given(text=comparisons(), texts=texts_lists)
def test_a_comparison_from_the_census_selects_what_each_entry_answers(
    text: str, texts: list[str]
) -> None:
    try:
        query = Query.parse(text)
    except QueryError:
        assume(False)
        raise
    key = query.terms[0].key  # type: ignore[union-attr]
    prepare(texts)
    assert take_census(texts, keys=[key]) == ([key] if texts else [])
    expected = one_by_one(query, texts)
    assert query.select(texts) == expected
    subset = list(range(1, len(texts), 2))
    assert query.select(texts, subset) == [i for i in subset if i in set(expected)]
    slot = query_fields._slot[0]
    # Answered from the census: the key's values were not read as strings.
    assert slot is None or key not in slot.values


def _texts(count: int) -> list[str]:
    return [
        f"info\nmod\nvar\nline {i}\nrevision_id: {50_000 + i}\nname: n{i}"
        + (f"\nstatus: {200 + i % 3}" if i % 20 == 0 else "")
        for i in range(count)
    ]


def test_the_census_reads_the_keys_most_texts_hold_as_numbers() -> None:
    texts = [text + f"\nodd key: {i}\n2nd: {i}" for i, text in enumerate(_texts(1_000))]
    texts[7] = texts[7].replace("name: n7", "a.b.Revision_ID: 9")
    low, _ascii = lowered_texts(texts, range(len(texts)))
    # "name" is held by all, not as a number; "status" by 5 in 100; no filter can name
    # "odd key" or "2nd".
    assert common_number_keys(low, len(texts), DATA_LINE) == ["revision_id"]
    prepare(texts)
    assert take_census(texts) == ["revision_id"]
    query = Query.parse("revision_id<50005")
    assert query.select(texts) == [0, 1, 2, 3, 4, 7]
    slot = query_fields._slot[0]
    assert slot is not None and "revision_id" in slot.census
    assert "revision_id" not in slot.values


def test_a_census_is_not_used_for_texts_that_grew_and_not_for_a_substring() -> None:
    texts = _texts(100)
    prepare(texts)
    take_census(texts, keys=["revision_id"])
    texts.append("info\nmod\nvar\nline\nrevision_id: 1")
    assert Query.parse("revision_id<50002").select(texts) == [0, 1, 100]
    assert Query.parse("revision_id:5000").select(texts) == list(range(10))


def test_a_cancelled_census_keeps_the_keys_it_read() -> None:
    texts = _texts(200)
    prepare(texts)
    answers = iter([False, True])
    with pytest.raises(SearchCancelled):
        take_census(texts, lambda: next(answers), keys=["revision_id", "status"])
    slot = query_fields._slot[0]
    assert slot is not None and list(slot.census) == ["revision_id"]
    assert take_census(texts, keys=["revision_id", "status"]) == ["revision_id", "status"]
    query = Query.parse("status>201")
    assert query.select(texts) == one_by_one(query, texts) == [20, 80, 140]


def test_no_census_without_the_texts_kept_lowered() -> None:
    assert take_census(_texts(10)) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("revision_id>", {"revision_id"}),
        ("revision_id>5 !status:2 revision_id<=9", {"revision_id"}),
        ("n>5 n:5", set()),
        ("a.b:c", set()),
        ("billing", set()),
    ],
)
def test_the_fields_a_filter_only_compares(text: str, names: set[str]) -> None:
    assert compared_names(text) == names


def test_a_key_only_compared_is_not_read_ahead_when_the_census_holds_it() -> None:
    texts = _texts(100)
    prepare(texts)
    take_census(texts, keys=["revision_id"])
    read_fields_ahead(texts, "revision_id>")
    slot = query_fields._slot[0]
    assert slot is not None and "revision_id" not in slot.values
    read_fields_ahead(texts, "revision_id:")  # a substring term: the values themselves
    assert slot.values["revision_id"].covered == len(texts)


def test_a_census_stops_when_other_texts_are_kept_lowered() -> None:
    texts, others = _texts(100), _texts(100)
    prepare(texts)
    with pytest.raises(SearchCancelled):
        take_census(texts, lambda: bool(prepare(others)), keys=["revision_id"])
    slot = query_fields._slot[0]
    assert slot is not None and slot.texts is others and not slot.census
