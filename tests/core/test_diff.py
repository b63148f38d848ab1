"""core.diff: two calls aligned step by step, and the first step where their paths part."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core import diff as diff_module
from fuse_tui.core.diff import RowStatus, caller_input, compare_calls
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.emulator.builder import LogBuilder
from fuse_tui.emulator.scenarios import billing_ivr_call, long_hold_call

START = 1_764_190_000


def _log(entries: list[dict[str, Any]], session_id: str = "s") -> CallLog:
    return CallLog(session_id=session_id, entries=[LogEntry.model_validate(e) for e in entries])


def _menu_call(choice: str, *, retry: bool = False, error: bool = False) -> CallLog:
    """start, welcome, menu (choice), [a retry of the account number], account, branch, exit."""
    log = LogBuilder(START)
    log.start("Acme", "1.0")
    log.prompt("Welcome", 1, result_variable="welcome", after=1)
    log.prompt(
        "Press 1 for balance, 2 for an agent",
        2,
        module_type="menu",
        result_variable="main_menu",
        after=2,
    )
    log.user_input(choice, "dtmf", "menu", "main_menu", after=3)
    if retry:
        log.prompt("Sorry, I did not get that", 3, result_variable="retry_notice", after=1)
    log.prompt("Your account number?", 4, module_type="digits", result_variable="account", after=1)
    log.user_input("12345", "dtmf", "digits", "account", after=5)
    if choice == "1":
        log.add("info", "Sending REST request", "rest", "balance", after=1)
        if error:
            log.add("error", "REST request failed: HTTP 503", "rest", "balance", after=10)
    else:
        log.add("info", "Transferring to an agent", "transfer", "agent", after=1)
    log.exit()
    return _log(log.entries, f"call-{choice}")


def test_the_same_path_has_no_divergence() -> None:
    diff = compare_calls(_menu_call("1"), _menu_call("1"))
    assert diff.same_path and diff.divergence is None
    assert {row.status for row in diff.rows} == {RowStatus.SAME}
    assert diff.timing_rows == []


def test_a_call_against_itself_is_the_same_path() -> None:
    call = _log(billing_ivr_call("1;1;1", START, "1", "2").entries)
    diff = compare_calls(call, call)
    assert diff.same_path
    assert len(diff.rows) == len(diff.a.steps) == len(diff.b.steps)


def test_an_extra_step_in_the_middle_is_one_row_not_a_shift() -> None:
    diff = compare_calls(_menu_call("1"), _menu_call("1", retry=True))
    statuses = [row.status for row in diff.rows]
    assert statuses.count(RowStatus.ONLY_B) == 1
    assert statuses.count(RowStatus.ONLY_A) == 0
    inserted = next(row for row in diff.rows if row.status is RowStatus.ONLY_B)
    assert inserted.b is not None and inserted.b.step.variable == "retry_notice"
    # Everything after the retry is paired again, with the same keys on both sides.
    after = diff.rows[diff.rows.index(inserted) + 1 :]
    assert after and all(row.status is RowStatus.SAME for row in after)
    divergence = diff.divergence
    assert divergence is not None
    assert divergence.after is not None and divergence.after.step.variable == "main_menu"
    assert divergence.b is not None and divergence.b.step.variable == "retry_notice"
    # A went on with the step B took after its retry.
    assert divergence.a is not None and divergence.a.step.variable == "account"
    assert "the paths part" in divergence.summary


def test_a_different_choice_at_a_menu_is_the_divergence_with_both_inputs() -> None:
    diff = compare_calls(_menu_call("1"), _menu_call("2"))
    divergence = diff.divergence
    assert divergence is not None
    row = diff.rows[divergence.row]
    assert row.status is RowStatus.CHANGED
    assert divergence.a is not None and divergence.a.step.variable == "main_menu"
    assert divergence.a.inputs == ("1 (dtmf)",) and divergence.b is not None
    assert divergence.b.inputs == ("2 (dtmf)",)
    assert "entered 1 (dtmf) in A, 2 (dtmf) in B" in divergence.summary
    # Later the branches differ: the REST lookup only in A, the transfer only in B.
    only_a = [r.a.step.module for r in diff.rows if r.status is RowStatus.ONLY_A and r.a]
    only_b = [r.b.step.module for r in diff.rows if r.status is RowStatus.ONLY_B and r.b]
    assert only_a == ["rest"] and only_b == ["transfer"]


def test_an_error_in_b_only_is_the_divergence_and_listed_with_its_step() -> None:
    diff = compare_calls(_menu_call("1"), _menu_call("1", error=True))
    divergence = diff.divergence
    assert divergence is not None and divergence.b is not None
    assert divergence.b.errors == ("REST request failed: HTTP 503",)
    assert "error in B only" in divergence.summary
    assert diff.a.errors == []
    [(facts, line)] = diff.b.errors
    assert facts.step.module == "rest" and line == "REST request failed: HTTP 503"


def test_timing_differences_are_flagged_past_max_one_second_and_half() -> None:
    slow = LogBuilder(START)
    slow.start("x", "1")
    slow.prompt("hold on", 1, result_variable="hold", after=1)
    slow.add("info", "working", "rest", "work", after=20)  # hold lasted 20 s here…
    slow.add("info", "done", "rest", "work", after=3)
    fast = LogBuilder(START)
    fast.start("x", "1")
    fast.prompt("hold on", 1, result_variable="hold", after=1)
    fast.add("info", "working", "rest", "work", after=2)  # …and 2 s here
    fast.add("info", "done", "rest", "work", after=4)  # 3 s vs 4 s: under 50 %, not flagged
    diff = compare_calls(_log(slow.entries), _log(fast.entries))
    assert diff.same_path  # timings never change the path
    [flagged] = diff.timing_rows
    assert flagged.a is not None and flagged.a.step.variable == "hold"
    assert flagged.duration_delta == -18
    start_row = diff.rows[0]
    assert start_row.duration_delta == 0 and not start_row.timing_differs


def test_a_one_second_wobble_is_not_flagged() -> None:
    one = LogBuilder(START)
    one.start("x", "1")
    one.prompt("a", 1, result_variable="p", after=0)
    one.add("info", "end", "exit", "hangup", after=1)
    two = LogBuilder(START)
    two.start("x", "1")
    two.prompt("a", 1, result_variable="p", after=0)
    two.add("info", "end", "exit", "hangup", after=2)  # 1 s vs 2 s: +100 % but only 1 s
    assert compare_calls(_log(one.entries), _log(two.entries)).timing_rows == []


def test_empty_logs() -> None:
    empty = _log([])
    both = compare_calls(empty, empty)
    assert both.same_path and both.rows == () and both.a.ending is None
    one = compare_calls(empty, _menu_call("1"))
    assert not one.same_path
    assert {row.status for row in one.rows} == {RowStatus.ONLY_B}
    assert one.divergence is not None and one.divergence.a is None
    assert "A had ended" in one.divergence.summary


def test_how_each_call_ended_is_its_last_step() -> None:
    diff = compare_calls(_menu_call("1"), _menu_call("2"))
    assert diff.a.ending is not None and diff.a.ending.step.module == "exit"
    assert diff.a.ending.last_line == "Disconnecting call"


def test_a_longer_loop_is_extra_rows_at_its_end() -> None:
    short = _log(long_hold_call("1;1;1", START, "1", "2", iterations=3).entries)
    long = _log(long_hold_call("1;1;2", START, "1", "2", iterations=8).entries)
    diff = compare_calls(short, long)
    assert sum(row.status is RowStatus.ONLY_A for row in diff.rows) == 0
    assert sum(row.a is not None for row in diff.rows) == len(diff.a.steps)


def test_caller_input_reads_fuse_s_input_lines() -> None:
    entry = LogEntry.model_validate({"event": {"line": "User input: 6 (dtmf)"}})
    assert caller_input(entry) == "6 (dtmf)"
    assert caller_input(LogEntry.model_validate({"event": {"line": "Sending"}})) is None


# --- properties -------------------------------------------------------------------------------

_modules = st.sampled_from(["start", "prompt", "menu", "digits", "rest", "exit"])
_variables = st.sampled_from(["var_0", "var_1", "main_menu", "hangup"])
_classes = st.sampled_from(["info", "event", "prompt", "error", "debug"])
_lines = st.sampled_from(["User input: 1 (dtmf)", "User input: 2 (dtmf)", "Sending", "x"])


@st.composite
def _calls(draw: st.DrawFn) -> CallLog:
    count = draw(st.integers(min_value=0, max_value=25))
    clock = START
    entries = []
    for _ in range(count):
        clock += draw(st.integers(min_value=0, max_value=30))
        entries.append(
            {
                "event": {
                    "line": draw(_lines),
                    "data": {"module_type": draw(_modules), "result_variable": draw(_variables)},
                },
                "class": draw(_classes),
                "timestamp": clock,
            }
        )
    return _log(entries)


@settings(max_examples=150, deadline=None)
@given(_calls())
def test_a_call_never_diverges_from_itself(call: CallLog) -> None:
    diff = compare_calls(call, call)
    assert diff.same_path
    assert all(row.status is RowStatus.SAME and not row.timing_differs for row in diff.rows)


@settings(max_examples=150, deadline=None)
@given(_calls(), _calls())
def test_the_alignment_covers_every_step_of_both_exactly_once_in_order(
    a: CallLog, b: CallLog
) -> None:
    diff = compare_calls(a, b)
    from_a = [row.a.number for row in diff.rows if row.a is not None]
    from_b = [row.b.number for row in diff.rows if row.b is not None]
    assert from_a == list(range(1, len(diff.a.steps) + 1))
    assert from_b == list(range(1, len(diff.b.steps) + 1))
    for row in diff.rows:
        if row.a is not None and row.b is not None:
            assert row.a.step.key == row.b.step.key
    # No divergence exactly when every row is "same".
    assert diff.same_path == all(row.status is RowStatus.SAME for row in diff.rows)


@settings(max_examples=100, deadline=None)
@given(_calls(), _calls())
def test_the_heuristic_matcher_and_no_alignment_still_cover_every_step(
    a: CallLog, b: CallLog
) -> None:
    """Past EXACT_ALIGN_LIMIT (junk heuristics on) and past ALIGN_LIMIT (no alignment), every
    step of both is still listed exactly once, in order."""
    for exact, limit in ((0, diff_module.ALIGN_LIMIT), (0, 0)):
        with _limits(exact, limit):
            diff = compare_calls(a, b)
        assert [r.a.number for r in diff.rows if r.a] == list(range(1, len(diff.a.steps) + 1))
        assert [r.b.number for r in diff.rows if r.b] == list(range(1, len(diff.b.steps) + 1))


def test_past_the_align_limit_the_shared_start_and_end_are_paired_and_it_is_said() -> None:
    with _limits(0, 0):
        diff = compare_calls(_menu_call("1"), _menu_call("2"))
    assert not diff.aligned
    assert diff.rows[0].status is RowStatus.SAME  # the shared start…
    assert diff.rows[-1].status is RowStatus.SAME  # …and end (exit)
    assert compare_calls(_menu_call("1"), _menu_call("2")).aligned


def test_a_long_loop_against_a_longer_one_aligns_its_shared_turns() -> None:
    """The shared start and end are matched before the matcher sees the rest: 300 turns
    against 320 give 20 turns' worth of steps only in B, and no step only in A."""
    short = _log(long_hold_call("1;1;1", START, "1", "2", iterations=300).entries)
    long = _log(long_hold_call("1;1;2", START, "1", "2", iterations=320).entries)
    diff = compare_calls(short, long)
    assert diff.aligned
    assert not any(row.status is RowStatus.ONLY_A for row in diff.rows)
    extra = len(diff.b.steps) - len(diff.a.steps)
    assert sum(row.status is RowStatus.ONLY_B for row in diff.rows) == extra


@contextlib.contextmanager
def _limits(exact: int, limit: int) -> Iterator[None]:
    saved = diff_module.EXACT_ALIGN_LIMIT, diff_module.ALIGN_LIMIT
    diff_module.EXACT_ALIGN_LIMIT, diff_module.ALIGN_LIMIT = exact, limit
    try:
        yield
    finally:
        diff_module.EXACT_ALIGN_LIMIT, diff_module.ALIGN_LIMIT = saved
