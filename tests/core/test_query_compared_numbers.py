"""A comparison on a key not read yet reads only its numbers (``query_values.KeyNumbers`` with
``skip_words``, kept by ``query_fields.compared_numbers``): once a step finds many values that
are no number (``module_type: prompt``), the next steps read only the texts where the key is
followed by what may start a number. They are the numbers the kept values give
(``KeyValues``), and a comparison answered from them keeps exactly the entries each entry's
own search keeps, on the usual texts and the odd ones of test_query_kept_values, read in any
steps, on texts that grow, and after a read that was cancelled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fuse_tui.core import query_fields, query_values
from fuse_tui.core.query import Query, QueryError, prepare, take_census
from fuse_tui.core.query_fields import DATA_LINE, lowered_texts, number_of
from fuse_tui.core.query_syntax import SearchCancelled
from fuse_tui.core.query_values import (
    KeyNumbers,
    KeyValues,
    _holding_match,
    _number_starts,
    common_word_keys,
)
from tests.core.test_query_joined_values import NUMBERISH, odd_texts
from tests.core.test_query_kept_values import KEYS, one_by_one, search_texts

# How soon a read goes sparse and back, and its first step: as shipped; sparse from the first
# step that holds a value that is no number, and never back, after a first step of one text;
# never sparse.
THRESHOLDS = [(4, 8, 4096), (10**9, 0, 1), (0, 10**9, 2)]
# Texts where most values are words (the case the sparse steps are for), and any texts.
WORDS = [f"info\nmod\nvar\nline\nn: {value}" for value in ("prompt", "mod3", "x", "")]
texts_lists = st.lists(st.one_of(search_texts(), st.sampled_from(WORDS), odd_texts()), max_size=16)


@pytest.fixture(autouse=True)
def _no_kept_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_fields, "_slot", [None])  # no texts kept by an earlier test


@contextmanager
def _sparse(thresholds: tuple[int, int, int]) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query_values, "_SPARSE_FROM", thresholds[0])
        patch.setattr(query_values, "_SPARSE_UNTIL", thresholds[1])
        patch.setattr(query_values, "_FIRST_STEP", thresholds[2])
        yield


def _numbers(kept: KeyNumbers | KeyValues) -> tuple[list[object], ...]:
    numbers = kept.numbers
    return (
        list(numbers.number_index),
        list(numbers.number),
        list(numbers.parsed_index),
        list(numbers.parsed),
        list(numbers.other_index),
        list(numbers.other),
    )


@settings(max_examples=300, deadline=None)
@given(
    thresholds=st.sampled_from(THRESHOLDS),
    texts=texts_lists,
    key=st.sampled_from(KEYS),
    step=st.integers(1, 5),
)
def test_the_numbers_skipping_words_are_the_kept_values_numbers(
    thresholds: tuple[int, int, int], texts: list[str], key: str, step: int
) -> None:
    low, ascii_ = (list(part) for part in lowered_texts(texts, range(len(texts))))
    kept = KeyValues(key)
    kept.extend(low, ascii_, DATA_LINE, len(texts) + 1)
    with _sparse(thresholds):
        read = KeyNumbers.read(key, low, ascii_, len(texts), DATA_LINE, step, skip_words=True)
    assert read.covered == len(texts)
    assert _numbers(read) == _numbers(kept)
    # Only the texts read may repeat: never one the kept values do not.
    assert read.repeated <= kept.repeated
    if not read.repeated:
        index = [*read.numbers.number_index, *read.numbers.parsed_index]
        assert len(set(index)) == len(index)


@settings(max_examples=300, deadline=None)
@given(
    thresholds=st.sampled_from(THRESHOLDS),
    texts=texts_lists,
    key=st.sampled_from(KEYS),
    steps=st.lists(st.integers(1, 6)),
)
def test_numbers_read_on_as_the_texts_grow_are_those_read_at_once(
    thresholds: tuple[int, int, int], texts: list[str], key: str, steps: list[int]
) -> None:
    low, ascii_ = (list(part) for part in lowered_texts(texts, range(len(texts))))
    grown = KeyNumbers(key)
    stop = 0
    with _sparse(thresholds):
        for more in steps:
            stop = min(len(texts), stop + more)
            grown.extend(low, ascii_, DATA_LINE, 2, stop=stop, skip_words=True)
        grown.extend(low, ascii_, DATA_LINE, 3, skip_words=True)
    at_once = KeyNumbers.read(key, low, ascii_, len(texts), DATA_LINE, 4, skip_words=True)
    assert grown.covered == len(texts)
    assert _numbers(grown) == _numbers(at_once)


@st.composite
def comparisons(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(KEYS))
    op = draw(st.sampled_from([">", ">=", "<", "<=", "="]))
    number = draw(st.sampled_from(["0", "5", "7", "55000", "-3", "2.5", "1e3", "1e20", ".5"]))
    return draw(st.sampled_from(["", "!"])) + f"{key}{op}{number}"


@settings(max_examples=300, deadline=None)
@given(
    thresholds=st.sampled_from(THRESHOLDS),
    text=comparisons(),
    texts=texts_lists,
    more=st.lists(search_texts(), max_size=4),
)
def test_a_first_comparison_selects_what_each_entry_answers(
    thresholds: tuple[int, int, int], text: str, texts: list[str], more: list[str]
) -> None:
    try:
        query = Query.parse(text)
    except QueryError:
        assume(False)
        raise
    with _sparse(thresholds), pytest.MonkeyPatch.context() as patch:
        patch.setattr(query_fields, "LOWER_STEP", 3)  # several steps, sparse ones among them
        prepare(texts)
        assert query.select(texts) == one_by_one(query, texts)
        subset = list(range(1, len(texts), 2))
        expected = set(one_by_one(query, texts))
        assert query.select(texts, subset) == [i for i in subset if i in expected]
        texts += more  # read on from where the numbers were
        assert query.select(texts) == one_by_one(query, texts)
    slot = query_fields._slot[0]
    key = query.terms[0].key  # type: ignore[union-attr]
    # Answered from the numbers: the key's values were not read as strings.
    assert slot is None or key not in slot.values


def test_a_cancelled_read_keeps_the_numbers_read_and_reads_on() -> None:
    texts = [f"info\nmod\nvar\nline\nn: {'prompt' if i % 10 else i}" for i in range(100)]
    prepare(texts)
    query = Query.parse("n>=30")
    answers = iter([False, False, True])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query_fields, "LOWER_STEP", 20)
        with pytest.raises(SearchCancelled):
            query.select(texts, cancelled=lambda: next(answers, False))
        slot = query_fields._slot[0]
        assert slot is not None and slot.numbers["n"].covered == 40
        assert query.select(texts) == [30, 40, 50, 60, 70, 80, 90]
    assert slot.numbers["n"].covered == 100


def test_kept_values_read_all_but_a_step_answer_instead() -> None:
    texts = [f"info\nmod\nvar\nline\nn: {i}" for i in range(30)]
    prepare(texts)
    assert Query.parse("n:2").select(texts) == [i for i in range(30) if "2" in str(i)]
    assert Query.parse("n>27").select(texts) == [28, 29]
    slot = query_fields._slot[0]
    assert slot is not None and "n" in slot.values and "n" not in slot.numbers


def test_a_key_of_words_is_read_sparse_after_its_first_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [f"info\nmod\nvar\nline\nmodule_type: prompt{i}" for i in range(100)]
    texts[55] = "info\nmod\nvar\nline\nmodule_type: 7"
    texts[77] = "info\nmod\nvar\nline\nx.module_type:  +8.5"
    low, ascii_ = lowered_texts(texts, range(len(texts)))
    read: list[int] = []
    real = query_values._holding_match

    def spy(lowered: list[str], start: int, stop: int, *rest: object) -> list[int]:
        read.append(start)
        return real(lowered, start, stop, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(query_values, "_holding_match", spy)
    monkeypatch.setattr(query_values, "_FIRST_STEP", 10)
    kept = KeyNumbers.read("module_type", low, ascii_, 100, DATA_LINE, 20, skip_words=True)  # type: ignore[arg-type]
    assert read == [10, 30, 50, 70, 90]  # the first step (10 texts) is read whole
    assert list(kept.numbers.number_index) == [55] and list(kept.numbers.parsed_index) == [77]


KEY_PIECES = ["n", "a.n", "n_", "status"]


@settings(max_examples=500, deadline=None)
@given(
    texts=st.lists(
        st.one_of(odd_texts(), st.text(alphabet="n: .+-5\x00\x1c\t\na", max_size=12)),
        max_size=10,
    ),
    key=st.sampled_from(KEY_PIECES),
)
def test_the_texts_where_a_number_may_follow_the_key_are_found(texts: list[str], key: str) -> None:
    ascii_ = bytearray(map(str.isascii, texts))
    pattern = re.compile(re.escape(key + ": ") + r"[^\S\n]*[-+.0-9]")
    expected = [i for i, text in enumerate(texts) if text.isascii() and pattern.search(text)]
    found = _holding_match(texts, 0, len(texts), _number_starts(key + ": "), ascii_)
    assert found == expected
    if texts:
        assert _holding_match(texts, 1, len(texts), _number_starts(key + ": "), ascii_) == [
            i for i in expected if i >= 1
        ]


@settings(max_examples=1000, deadline=None)
@given(value=st.one_of(NUMBERISH, st.text(max_size=6)))
def test_a_value_that_is_a_number_is_found_after_its_key(value: str) -> None:
    assume("\n" not in value and value.isascii())
    if number_of(value) is not None:
        assert list(_number_starts("n: ")(f"x\nn: {value}\ny"))


def test_the_census_keeps_the_few_numbers_of_the_keys_most_texts_hold_as_words() -> None:
    texts = [
        f"info\nmod\nvar\nline {i}\nrevision_id: {50_000 + i}\nmodule_type: "
        + ("7" if i == 300 else "prompt")
        + f"\nname: n{i}\nnote: {i % 9}"
        for i in range(1_000)
    ]
    texts[500] = texts[500].replace("name: n500", "a.name:  12.5")
    low, _ascii = lowered_texts(texts, range(len(texts)))
    # "note" is held as a plain number by all (not words), "revision_id" too.
    assert common_word_keys(low, len(texts), DATA_LINE) == ["module_type", "name"]
    assert take_census(texts) == ["revision_id", "note"]  # the keys of numbers, as before
    slot = query_fields._slot[0]
    assert slot is not None and sorted(slot.numbers) == ["module_type", "name"]
    assert slot.numbers["name"].covered == len(texts)
    for text in ("name>12", "module_type>=7", "!name<13", "module_type<0"):
        query = Query.parse(text)
        assert query.select(texts) == one_by_one(query, texts)
    assert Query.parse("name>12").select(texts) == [500]
    assert not slot.values  # answered from the numbers: no key's values read as strings


def test_no_census_of_words_for_the_keys_asked_for() -> None:
    texts = [f"info\nmod\nvar\nline\nrevision_id: {i}\nname: n{i}" for i in range(100)]
    prepare(texts)
    assert take_census(texts, keys=["revision_id"]) == ["revision_id"]
    slot = query_fields._slot[0]
    assert slot is not None and not slot.numbers
