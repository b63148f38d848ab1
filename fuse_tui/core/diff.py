"""Two calls side by side: where their paths through the call flow part, and what else differs.

Both calls are read as their steps (:mod:`fuse_tui.core.steps`) and the steps are aligned by their
key, (module_type, result_variable): the shared start and end directly, the rest with
:class:`difflib.SequenceMatcher` (see :func:`key_opcodes`), so one extra step — a retry, one
more turn of a loop — shows as one inserted row instead of shifting every row after it.

An aligned pair of steps with the same key is ``same``, or ``changed`` when the caller entered
something else there or the step's errors differ: the path then usually parts right after, and
the input is why. The **first divergence** is the first row that is not ``same``: the headline
of "why did this call fail when that one worked?".

Everything here is plain data and plain (unescaped) text: a front end escapes what it prints
(``textsafe.escape_control``) — the log's lines are data, never markup or terminal control.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from fuse_tui.core.entries import held
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.steps import Step, split_steps

# "User input: 6 (dtmf)": what the caller entered, as Fuse's input modules log it.
_INPUT_LINE = re.compile(r"^\s*User input:\s*(?P<value>.*?)\s*$", re.IGNORECASE)
# A step's time is worth flagging when the two calls differ by more than this many seconds…
TIMING_MIN_SECONDS = 1
# …and by more than this share of the shorter of the two durations.
TIMING_MIN_RATIO = 0.5
# Past this many (A step, B step) pairs left to align, the matcher's junk heuristics come on…
EXACT_ALIGN_LIMIT = 1_000_000
# …and past this many (20,000 differing steps on each side: ~2 s) no alignment is tried at all.
ALIGN_LIMIT = 400_000_000


class RowStatus(StrEnum):
    SAME = "same"
    CHANGED = "changed"
    ONLY_A = "only_a"
    ONLY_B = "only_b"


@dataclass(frozen=True)
class StepFacts:
    """One step of one call, with what a comparison needs to say about it."""

    step: Step
    first_line: str  # the line of the step's first entry
    last_line: str  # the line of its last entry (how a call ended, for its last step)
    inputs: tuple[str, ...]  # what the caller entered in it ("6 (dtmf)"), in order
    errors: tuple[str, ...]  # the lines of its entries of class "error"
    duration: int | None  # seconds, until the next step starts (see Step.duration)

    @property
    def number(self) -> int:
        return self.step.number

    @property
    def label(self) -> str:
        return self.step.label

    @property
    def title(self) -> str:
        """``step 4, menu (main_menu)``."""
        return f"step {self.step.number}, {self.step.label}"


@dataclass(frozen=True)
class AlignedRow:
    """One row of the alignment: a step of A, of B, or one of each with the same key."""

    status: RowStatus
    a: StepFacts | None
    b: StepFacts | None
    reasons: tuple[str, ...] = ()  # why a pair is "changed", in words

    @property
    def duration_delta(self) -> int | None:
        """B's duration minus A's, in seconds; None unless both steps have one."""
        if self.a is None or self.b is None or self.a.duration is None:
            return None
        if self.b.duration is None:
            return None
        return self.b.duration - self.a.duration

    @property
    def timing_differs(self) -> bool:
        """The durations differ by more than max(1 s, 50 % of the shorter one)."""
        delta = self.duration_delta
        if delta is None or self.a is None or self.b is None:
            return False
        shorter = min(self.a.duration or 0, self.b.duration or 0)
        return abs(delta) > max(TIMING_MIN_SECONDS, TIMING_MIN_RATIO * shorter)


@dataclass(frozen=True)
class Divergence:
    """Where the two paths part: ``row`` is the index of the first row that is not ``same``.

    ``a`` and ``b`` are what each call did there (None: that call had ended); ``after`` is the
    last step both took before it (None: they differ from the first step).
    """

    row: int
    a: StepFacts | None
    b: StepFacts | None
    after: StepFacts | None
    summary: str


@dataclass(frozen=True)
class CallSide:
    """What the comparison says about one of the two calls as a whole."""

    log: CallLog
    steps: tuple[StepFacts, ...]

    @property
    def errors(self) -> list[tuple[StepFacts, str]]:
        """Every error of the call, with the step it happened in."""
        return [(facts, line) for facts in self.steps for line in facts.errors]

    @property
    def ending(self) -> StepFacts | None:
        """The call's last step (how it ended); None for an empty log."""
        return self.steps[-1] if self.steps else None


@dataclass(frozen=True)
class CallDiff:
    a: CallSide
    b: CallSide
    rows: tuple[AlignedRow, ...]
    divergence: Divergence | None
    # False when the calls differ in too many steps to align (ALIGN_LIMIT): the differing middle
    # is then listed as A's steps, then B's, unpaired — each row still true, but not the best.
    aligned: bool = True

    @property
    def same_path(self) -> bool:
        """Both calls took the same steps, with the same input and errors in each."""
        return self.divergence is None

    @property
    def timing_rows(self) -> list[AlignedRow]:
        """The paired rows whose durations differ enough to flag."""
        return [row for row in self.rows if row.timing_differs]


def caller_input(entry: LogEntry) -> str | None:
    """What the caller entered, when ``entry`` logs it (``User input: 6 (dtmf)`` → ``6 (dtmf)``)."""
    match = _INPUT_LINE.match(entry.event.line)
    return match.group("value") if match else None


def step_facts(entries: Sequence[LogEntry], steps: Sequence[Step] | None = None) -> list[StepFacts]:
    """The steps of a call (``split_steps`` unless given) with their lines, inputs and errors."""
    steps = split_steps(entries) if steps is None else steps
    facts: list[StepFacts] = []
    for position, step in enumerate(steps):
        following = steps[position + 1] if position + 1 < len(steps) else None
        own = [entries[index] for index in range(step.first, step.last + 1)]
        inputs = tuple(value for e in own if (value := caller_input(e)) is not None)
        errors = tuple(e.event.line for e in own if e.is_error)
        facts.append(
            StepFacts(
                step=step,
                first_line=own[0].event.line,
                last_line=own[-1].event.line,
                inputs=inputs,
                errors=errors,
                duration=step.duration(following.start if following is not None else None),
            )
        )
    return facts


def compare_calls(a: CallLog, b: CallLog) -> CallDiff:
    """Align the steps of ``a`` and ``b`` and find where they part (see the module docstring)."""
    # Read in several passes: compact entries would build each model on every access.
    side_a = CallSide(a, tuple(step_facts(held(a.entries))))
    side_b = CallSide(b, tuple(step_facts(held(b.entries))))
    keys_a = [facts.step.key for facts in side_a.steps]
    keys_b = [facts.step.key for facts in side_b.steps]
    opcodes, aligned = key_opcodes(keys_a, keys_b)
    rows = tuple(align(side_a.steps, side_b.steps, opcodes))
    return CallDiff(side_a, side_b, rows, _divergence(rows), aligned)


def align(
    a: Sequence[StepFacts], b: Sequence[StepFacts], opcodes: Sequence[Opcode] | None = None
) -> list[AlignedRow]:
    """Every step of ``a`` and of ``b`` exactly once, in order, paired where their keys match
    (``opcodes``: :func:`key_opcodes` of their keys, computed unless given).

    A replaced run (A did X, Y where B did Z) gives A's rows, then B's: the two calls took other
    steps there, and no pairing of them would be more than a guess.
    """
    if opcodes is None:
        opcodes, _aligned = key_opcodes([f.step.key for f in a], [f.step.key for f in b])
    rows: list[AlignedRow] = []
    for tag, a_from, a_to, b_from, b_to in opcodes:
        if tag == "equal":
            rows.extend(_pair(a[a_from + k], b[b_from + k]) for k in range(a_to - a_from))
            continue
        rows.extend(AlignedRow(RowStatus.ONLY_A, a[i], None) for i in range(a_from, a_to))
        rows.extend(AlignedRow(RowStatus.ONLY_B, None, b[j]) for j in range(b_from, b_to))
    return rows


StepKey = tuple[str | None, str | None]
Opcode = tuple[str, int, int, int, int]


def key_opcodes(keys_a: Sequence[StepKey], keys_b: Sequence[StepKey]) -> tuple[list[Opcode], bool]:
    """``SequenceMatcher.get_opcodes`` of two key sequences, fast on long calls; and whether
    the differing middle was aligned at all.

    Two calls of one application share a long start and often a long end: those are matched
    directly, and only the middle goes to the matcher. There, junk heuristics stay off while it
    is small (a step key frequent in a loop must still anchor the alignment), and come on past
    EXACT_ALIGN_LIMIT pairs, where the exact matcher grows quadratic in a loop's repeated keys
    (5,000 turns: ~18 s, against ~0 with the heuristics). Past ALIGN_LIMIT pairs the middle is
    one ``replace`` (and the second value False).
    """
    shortest = min(len(keys_a), len(keys_b))
    head = 0
    while head < shortest and keys_a[head] == keys_b[head]:
        head += 1
    tail = 0
    while tail < shortest - head and keys_a[-1 - tail] == keys_b[-1 - tail]:
        tail += 1
    middle_a = keys_a[head : len(keys_a) - tail]
    middle_b = keys_b[head : len(keys_b) - tail]
    opcodes: list[Opcode] = []
    too_many = len(middle_a) * len(middle_b) > ALIGN_LIMIT
    if head:
        opcodes.append(("equal", 0, head, 0, head))
    if too_many:
        opcodes.append(("replace", head, len(keys_a) - tail, head, len(keys_b) - tail))
    elif middle_a or middle_b:
        exact = len(middle_a) * len(middle_b) <= EXACT_ALIGN_LIMIT
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=not exact)
        opcodes.extend(
            (tag, i1 + head, i2 + head, j1 + head, j2 + head)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        )
    if tail:
        opcodes.append(("equal", len(keys_a) - tail, len(keys_a), len(keys_b) - tail, len(keys_b)))
    return opcodes, not too_many


def _pair(a: StepFacts, b: StepFacts) -> AlignedRow:
    reasons: list[str] = []
    if a.inputs != b.inputs:
        reasons.append(
            f"the caller entered {_inputs_text(a.inputs)} in A, {_inputs_text(b.inputs)} in B"
        )
    if a.errors != b.errors:
        reasons.append(_errors_reason(a.errors, b.errors))
    status = RowStatus.CHANGED if reasons else RowStatus.SAME
    return AlignedRow(status, a, b, tuple(reasons))


def _inputs_text(inputs: tuple[str, ...]) -> str:
    if not inputs:
        return "nothing"
    return ", then ".join(inputs)


def _errors_reason(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    if a and not b:
        return f"an error in A only: {a[0]}"
    if b and not a:
        return f"an error in B only: {b[0]}"
    return f"other errors: A {a[0]} / B {b[0]}"


def _divergence(rows: Sequence[AlignedRow]) -> Divergence | None:
    first = next((n for n, row in enumerate(rows) if row.status is not RowStatus.SAME), None)
    if first is None:
        return None
    row = rows[first]
    after = rows[first - 1].a if first > 0 else None
    if row.status is RowStatus.CHANGED:
        a, b = row.a, row.b
        where = a.title if a is not None else "?"
        summary = f"At {where} the calls differ: {'; '.join(row.reasons)}."
        return Divergence(first, a, b, after, summary)
    # The paths part: what each call did next (the first step of its own in this run, or, for
    # the call that has none here, the step it went on with — None when it had ended).
    a = _next_of(rows, first, "a")
    b = _next_of(rows, first, "b")
    where = f"After {after.title}" if after is not None else "From the first step"
    summary = f"{where} the paths part: A {_did(a)}, B {_did(b)}."
    return Divergence(first, a, b, after, summary)


def _next_of(rows: Sequence[AlignedRow], start: int, side: str) -> StepFacts | None:
    for row in rows[start:]:
        facts = row.a if side == "a" else row.b
        if facts is not None:
            return facts
    return None


def _did(facts: StepFacts | None) -> str:
    if facts is None:
        return "had ended"
    return f"went to {facts.title}"
