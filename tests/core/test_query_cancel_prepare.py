"""A select can be cancelled between steps (issue 10/11), the lowered copy of the texts can be
made ahead (``prepare``) and grows with them, and the fast numeric path of a field comparison
answers what the entry-by-entry search answers."""

from __future__ import annotations

import pytest

from fuse_tui.core import query as query_module
from fuse_tui.core import query_fields
from fuse_tui.core.query import Query, QueryError, SearchCancelled, prepare

QUERIES = [
    "billing",  # an ASCII word: the lowered copy
    '"grüße"',  # not ASCII: searched as typed
    "!billing",
    "status:200",
    "revision_id>5",
    "class:info billing",
    "re:bill+ing",  # a regex searched over joined entries
    r"re:(?<=bil)ling",  # a lookbehind: searched entry by entry
]


class Counted(str):
    """A search text that counts how often it is lowered."""

    lowered = 0

    def lower(self) -> str:
        Counted.lowered += 1
        return str.lower(self)


def _texts(count: int) -> list[str]:
    return [
        f"info\nrest\nv{i}\nbilling {i}\nstatus: {200 + i % 3}\nrevision_id: {i % 10}"
        for i in range(count)
    ]


class CancelAfter:
    """``cancelled()`` that says yes from its ``after``-th question on, counting questions."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked >= self.after


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> int:
    """Steps of 100 entries, so a few thousand texts take many steps."""
    monkeypatch.setattr(query_module, "SELECT_STEP", 100)
    monkeypatch.setattr(query_module, "FALLBACK_STEP", 100)
    monkeypatch.setattr(query_fields, "LOWER_STEP", 100)
    monkeypatch.setattr(query_module, "CHUNK_CHARS", 100 * 40)  # texts are 49+ characters
    return 100


@pytest.mark.parametrize("text", QUERIES)
def test_a_select_asks_at_every_step_and_stops_at_the_first_yes(
    small_steps: int, text: str
) -> None:
    texts = _texts(5000)
    query = Query.parse(text)
    never = CancelAfter(10**9)
    assert query.select(texts, cancelled=never) == query.select(texts)
    # Asked before each step: never more than a step of work between two questions.
    assert never.asked >= len(texts) // small_steps
    for after in (1, 3, never.asked):
        stop = CancelAfter(after)
        with pytest.raises(SearchCancelled):
            query.select(list(texts), cancelled=stop)  # a new list: its copy is made anew
        assert stop.asked == after  # it stopped at the first yes, nothing searched after


def test_a_search_cancelled_is_a_query_error_that_says_so() -> None:
    with pytest.raises(QueryError, match="cancelled"):
        Query.parse("billing").select(_texts(10), cancelled=lambda: True)


def test_a_select_cancelled_while_lowering_answers_right_the_next_time(small_steps: int) -> None:
    texts = _texts(1000)
    with pytest.raises(SearchCancelled):
        Query.parse('"billing 12"').select(texts, cancelled=CancelAfter(4))  # a part lowered
    texts.extend(text.replace("billing", "BILLING") for text in _texts(130))  # and it grew
    for text in ('"billing 12"', "billing", "!billing", "status:201"):
        query = Query.parse(text)
        assert query.select(texts) == [i for i, t in enumerate(texts) if query.matches_text(t)]
    assert len(Query.parse('"billing 12"').select(texts)) == 2 * 11  # 12, 120-129 twice


def test_prepare_lowers_the_texts_once_and_a_grown_list_only_its_new_texts() -> None:
    texts: list[str] = [Counted(text) for text in _texts(300)]
    Counted.lowered = 0
    prepare(texts)
    assert Counted.lowered == 300
    Query.parse("billing").select(texts)
    Query.parse("status:201").select(texts)
    assert Counted.lowered == 300  # the selects used the copy prepare made
    texts.extend(Counted(text.replace("billing", "Billing")) for text in _texts(20))
    assert len(Query.parse("BILLING").select(texts)) == 320
    assert Counted.lowered == 320  # only the 20 new texts


def test_a_list_changed_in_place_is_lowered_anew() -> None:
    texts = _texts(100)
    assert len(Query.parse("billing").select(texts)) == 100
    texts[-1] = "info\nrest\nv\nnothing here"
    assert len(Query.parse("billing").select(texts)) == 99
    texts[:50] = [text.replace("billing", "paid") for text in texts[:50]]
    assert Query.parse("billing").select(texts) == list(range(50, 99))


# ----- the numeric comparison's fast path ------------------------------------------------------

TRICKY = [
    "info\nmod\nvar\nline\nrevision_id: 60000",
    "info\nmod\nvar\nline\nrevision_id: 00060000",  # leading zeros
    "info\nmod\nvar\nline\nrevision_id: 1234567890123456",  # 16 digits: Decimal
    "info\nmod\nvar\nline\nrevision_id: 123456789012345",  # 15 digits: a float
    "info\nmod\nvar\nline\nrevision_id: 6e4",
    "info\nmod\nvar\nline\nrevision_id:  60000",  # a space more: still a number
    "info\nmod\nvar\nline\nrevision_id: 60000 ",
    "info\nmod\nvar\nline\nrevision_id: -60000",
    "info\nmod\nvar\nline\nrevision_id: abc",
    "info\nmod\nvar\nline\nrevision_id: ",
    "info\nmod\nvar\nline\nrevision_id: 1\nrevision_id: 99999",  # the second one holds
    "info\nmod\nvar\nline\nprompt.revision_id: 99999",  # a dotted path ending in the key
    "info\nmod\nvar\nline\nxrevision_id: 99999",  # another key that only ends so
    "info\nmod\nvar\nline\nnote: revision_id: 99999",  # in a value, not a key
    "info\nmod\nvar\nline\na: b.revision_id: 99999",  # a value with a dot before it
    "info\nmod\nvar\nrevision_id: 99999",  # the line field, not data
    "info\nrevision_id: 99999\nvar\nline",  # the module field
    "revision_id: 99999\nmod\nvar\nline",  # the class field
    "revision_id: 99999\nmod\nvar\nline\nrevision_id: 99999",
    "info\nmod\nvar\nline\nREVISION_ID: 99999",  # keys compare case-blind
    "info\nmod\nvar\nline\nrevision_id: ٦٠٠٠٠",  # Arabic-Indic digits (not ASCII)
    "info\nmod\nvar\nline\nrevision_id: 60000\nnote: \u017f",  # not ASCII elsewhere (the long s)
    "info\nmod\nvar\nline",
    "",
]


@pytest.mark.parametrize(
    "text",
    [
        "revision_id>55000",
        "revision_id>=60000",
        "revision_id<55000",
        "revision_id=60000",
        "revision_id>1234567890123455",
        "revision_id>-1",
        "revision_id>5.5e4",
        "!revision_id>55000",
        "prompt.revision_id>55000",
        "revision_id:99",
        "revision_id:re:^9+$",
    ],
)
def test_the_fast_field_path_answers_what_each_entry_answers(text: str) -> None:
    query = Query.parse(text)
    expected = [i for i, haystack in enumerate(TRICKY) if query.matches_text(haystack)]
    assert query.select(list(TRICKY)) == expected
    assert query.select(list(TRICKY), range(3, len(TRICKY))) == [i for i in expected if i >= 3]
    assert query.select(list(TRICKY), cancelled=lambda: False) == expected
