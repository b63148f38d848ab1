"""A call's steps: the walk through the call flow's modules that a Fuse log records.

Every entry's ``data`` names the module that wrote it (``module_type``) and that module's result
variable (``result_variable``): the only two keys Plum promises. A *step* is a run of consecutive
entries of one module instance, i.e. the same (module_type, result_variable) pair. An entry that
names no module (no data, or data without those keys) belongs to the step it stands in; before
any step, it starts a step with no module.

The story (``summary``) and ``diff`` both read a call as its steps, so both say "step 3, menu
(var_2)" about the same entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fuse_tui.core.model import LogEntry, plainly_seconds
from fuse_tui.core.timestamps import epoch_seconds, same_unit_span


@dataclass(frozen=True)
class Step:
    """One module instance of the call, over ``entries[first:last + 1]``."""

    number: int  # 1-based position in the call
    module: str | None  # module_type; None for entries before any module
    variable: str | None  # result_variable
    first: int  # index of the step's first entry in the log
    last: int  # index of its last entry
    start: int | None  # UNIX seconds of its first timed entry (any unit read), None if none
    end: int | None  # UNIX seconds of its last timed entry
    error_count: int  # entries of class "error"

    @property
    def entry_count(self) -> int:
        return self.last - self.first + 1

    @property
    def key(self) -> tuple[str | None, str | None]:
        """What identifies the step across two calls of the same application."""
        return (self.module, self.variable)

    @property
    def label(self) -> str:
        """``menu (var_2)``, ``start``, ``(no module)``: how a person names the step."""
        return step_label(self.module, self.variable)

    def duration(self, next_start: int | None = None) -> int | None:
        """Seconds the step lasted: until ``next_start`` (the next step's start) when given, as
        the call spends the time between steps in this one; else to its own last entry."""
        return step_duration(self.start, self.end, next_start)


def step_duration(start: int | None, end: int | None, next_start: int | None) -> int | None:
    """:meth:`Step.duration` of a step from ``start`` to ``end`` (a :data:`StepRow`'s), for a
    reader of rows that makes no Step."""
    if start is None:
        return None
    last = next_start if next_start is not None else end
    return None if last is None else max(0, last - start)


def step_label(module: str | None, variable: str | None) -> str:
    """:attr:`Step.label` of a step of ``module`` and ``variable``."""
    name = module or "(no module)"
    if variable and variable != module:
        return f"{name} ({variable})"
    return name


_new = object.__new__
_set = object.__setattr__


def new_step(
    number: int,
    module: str | None,
    variable: str | None,
    first: int,
    last: int,
    start: int | None,
    end: int | None,
    error_count: int,
) -> Step:
    """``Step(...)`` without the frozen dataclass's ``__init__`` (one ``object.__setattr__`` per
    field, half the cost of a 100k-entry call's split): the same object, built for a long call."""
    step = _new(Step)
    _set(
        step,
        "__dict__",
        {
            "number": number,
            "module": module,
            "variable": variable,
            "first": first,
            "last": last,
            "start": start,
            "end": end,
            "error_count": error_count,
        },
    )
    return step


def entry_moments(entries: Sequence[LogEntry]) -> list[int | None]:
    """Each entry's UNIX seconds (core.timestamps' reading), None where it has no time.

    The usual log has all its timestamps in seconds: then they are their own moments and no
    entry is read one by one (~10x faster for a 100k-entry call). Otherwise each distinct
    value is read once.
    """
    stamps = [entry.timestamp for entry in entries]
    present = [stamp for stamp in stamps if stamp is not None]
    if not present:
        return [None] * len(stamps)
    low, high = min(present), max(present)
    in_seconds = plainly_seconds(low, high) or (
        epoch_seconds(low) == low and epoch_seconds(high) == high and same_unit_span(low, high)
    )
    # bool is an int to min() but no time to core.timestamps: such a log takes the long way.
    if in_seconds and not any(s is True or s is False for s in present):
        return stamps  # seconds from low to high: every one is its own moment
    read: dict[int, int | None] = {}
    moments: list[int | None] = []
    for stamp in stamps:
        if stamp is None:
            moments.append(None)
            continue
        if stamp not in read:
            read[stamp] = epoch_seconds(stamp)
        moments.append(read[stamp])
    return moments


# A step before it is a Step: (module, variable, first, last, start, end, error_count), the
# arguments of new_step after its number.
StepRow = tuple[str | None, str | None, int, int, int | None, int | None, int]


def split_steps(
    entries: Sequence[LogEntry], moments: Sequence[int | None] | None = None
) -> list[Step]:
    """The steps of a call, in order (see the module docstring); [] for no entries.

    ``moments``: the entries' :func:`entry_moments`, when the caller has them already.
    """
    if moments is None:
        moments = entry_moments(entries)
    rows = step_rows(entries, moments)
    return [new_step(number, *row) for number, row in enumerate(rows, start=1)]


def step_rows(entries: Sequence[LogEntry], moments: Sequence[int | None]) -> list[StepRow]:
    """The steps of :func:`split_steps` as rows, step ``n`` in ``rows[n - 1]``: for a reader of
    a long call that makes objects of only a few of its steps (the story)."""
    rows: list[StepRow] = []
    if not entries:
        return rows
    current: tuple[str | None, str | None] | None = None
    first = 0
    start: int | None = None
    end: int | None = None
    errors = 0
    # Hot: once per entry of a 100k-entry call, most of whose steps are one entry long. The
    # module and variable are read straight from the data (Event.module_type and
    # result_variable's values, without two property calls per entry).
    for index, entry in enumerate(entries):
        data = entry.event.data
        if data:
            module = data.get("module_type")
            variable = data.get("result_variable")
            if module is None and variable is None:
                key = None
            else:
                key = (
                    None if module is None else module if type(module) is str else str(module),
                    None
                    if variable is None
                    else variable
                    if type(variable) is str
                    else str(variable),
                )
        else:
            key = None
        if index == 0:
            current = key
        elif key is not None and key != current:
            name, var = current if current is not None else (None, None)
            rows.append((name, var, first, index - 1, start, end, errors))
            current, first, start, end, errors = key, index, None, None, 0
        moment = moments[index]
        if moment is not None:
            if start is None:
                start = moment
            end = moment
        if entry.class_ == "error":  # entry.is_error, without the property call
            errors += 1
    name, var = current if current is not None else (None, None)
    rows.append((name, var, first, len(entries) - 1, start, end, errors))
    return rows
