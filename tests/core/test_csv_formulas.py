"""CSV exports never hand a spreadsheet a formula: log lines carry what callers said and typed."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import dump_csv
from fuse_tui.core.formats.csv_writer import FORMULA_STARTS
from fuse_tui.core.model import CallLog, Event, LogEntry


def exported(line: str, *, session_id: str = "s", module: str = "m") -> list[str]:
    data = {"k": line, "module_type": module}
    entry = LogEntry(event=Event(line=line, data=data), class_="info", timestamp=1)
    text = dump_csv([CallLog(session_id=session_id, entries=[entry])]).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))[1]


@pytest.mark.parametrize(
    ("line", "cell"),
    [
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("- step two", "'- step two"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        # Plain numbers stay numbers; ordinary text is untouched.
        ("-1", "-1"),
        ("+18005551234", "+18005551234"),
        ("2.5e3", "2.5e3"),
        ("Caller said = yes", "Caller said = yes"),
        ("", ""),
    ],
)
def test_formula_cells_are_written_as_text(line: str, cell: str) -> None:
    row = exported(line)
    assert row[6] == cell
    assert json.loads(row[7])["k"] == line  # the data column is a JSON object: never a formula


def test_every_text_column_is_neutralised() -> None:
    row = exported("ok", session_id="=1+1", module="@x")
    assert row[0] == "'=1+1" and row[4] == "'@x"


def restore(cell: str) -> str:
    """What the module docstring tells a reader to do to get the log's text back."""
    core = cell.lstrip("'")
    formula = core.startswith(FORMULA_STARTS) and not _number(core)
    return cell[1:] if cell.startswith("'") and formula else cell


# The docstring's "plain number": an optional sign, digits with an optional decimal point,
# an optional exponent.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number(text: str) -> bool:
    return PLAIN_NUMBER.fullmatch(text) is not None


def test_text_that_already_starts_with_a_quote_round_trips() -> None:
    for line in ("'=1+1", "''@x", "'plain", "'-1"):
        assert restore(exported(line)[6]) == line
    assert exported("'=1+1")[6] == "''=1+1"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)))
    | st.from_regex(r"'*([=+@-].*|[+-][0-9_.e]+)")
)
def test_no_cell_starts_a_formula_and_the_text_is_recoverable(line: str) -> None:
    row = exported(line, session_id=line, module=line)
    for column in (0, 4, 6):  # session_id, module_type, line
        cell = row[column]
        assert restore(cell) == line
        if cell.startswith(FORMULA_STARTS):
            assert _number(cell)  # a cell that starts like a formula is only ever a number
