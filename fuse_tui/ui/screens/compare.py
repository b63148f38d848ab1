"""Compare with… (``D``): the current call beside another, step by step (core.diff).

:class:`CompareScreen` shows where the two paths part (the headline), then the aligned steps in
two columns, A (the current call) | B, marked and coloured same / changed / only in A / only in
B, with each step's seconds and the difference; the highlighted row's lines, input and errors
below. Enter dismisses with the entry index of A's step, for the main screen to go to; Escape
closes. :class:`PickCallScreen` asks which open call to compare with when there are several.

Everything from the logs is shown as ``rich.text.Text`` after ``escape_control``: data, never
markup or terminal control.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from fuse_tui.core.diff import AlignedRow, CallDiff, RowStatus, StepFacts
from fuse_tui.core.plural import plural
from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui.screens.modal import ModalDialog

MARKS = {
    RowStatus.SAME: "=",
    RowStatus.CHANGED: "~",
    RowStatus.ONLY_A: "<",
    RowStatus.ONLY_B: ">",
}
# Theme variable colouring each kind of row (the mark says it too, for NO_COLOR and ANSI).
_STATUS_COLOUR = {
    RowStatus.SAME: "",
    RowStatus.CHANGED: "warning",
    RowStatus.ONLY_A: "error",
    RowStatus.ONLY_B: "success",
}
# Columns besides the two step labels: mark, two durations, the difference, cell padding.
_FIXED_WIDTH = 1 + 5 + 5 + 6 + 2 * 6 + 2
_MIN_LABEL = 10


def _plain(text: str) -> Text:
    return Text(escape_control(text))


class CompareScreen(Screen[int | None]):
    """Dismisses with the entry index (in A's log) of the step chosen with Enter, or None."""

    HELP_TITLE = "Compare"
    CSS_PATH = "../styles/compare.tcss"

    BINDINGS = [
        Binding("escape", "close", "Close", id="compare.close"),
        Binding("enter", "jump", "Go to the step in A", id="compare.jump"),
    ]

    def __init__(self, diff: CallDiff, name_a: str, name_b: str) -> None:
        super().__init__()
        self.diff = diff
        self.name_a = name_a
        self.name_b = name_b
        self._label_width = 24

    def compose(self) -> ComposeResult:
        diff = self.diff
        with Vertical(id="compare-top"):
            yield Static(self._names(), id="compare-names")
            yield Static(self._headline(), id="compare-headline")
        table: DataTable[Text] = DataTable(
            id="compare-steps", cursor_type="row", zebra_stripes=False
        )
        yield table
        yield Static(id="compare-detail")
        yield Footer()
        self.set_class(diff.same_path, "-same")

    def on_mount(self) -> None:
        # The table's own Enter shadows the screen's in the footer: say it where the eye is.
        detail = self.query_one("#compare-detail", Static)
        detail.border_title = "Enter: go to this step in A · Esc: close"
        self._fill()
        table = self.query_one(DataTable)
        table.focus()
        divergence = self.diff.divergence
        if divergence is not None:
            table.move_cursor(row=divergence.row)
        self._show_detail(table.cursor_row)

    def on_resize(self) -> None:
        width = max(_MIN_LABEL, (self.size.width - _FIXED_WIDTH) // 2)
        if width != self._label_width:
            self._label_width = width
            table = self.query_one(DataTable)
            row = table.cursor_row
            self._fill()
            if self.diff.rows:
                table.move_cursor(row=row)

    # ----- content ---------------------------------------------------------------------------

    def _names(self) -> Text:
        diff = self.diff
        text = Text()
        text.append("A ", style="bold")
        text.append(escape_control(self.name_a))
        text.append(f"  ({plural(len(diff.a.steps), 'step')})\n", style="dim")
        text.append("B ", style="bold")
        text.append(escape_control(self.name_b))
        text.append(f"  ({plural(len(diff.b.steps), 'step')})", style="dim")
        return text

    def _headline(self) -> Text:
        divergence = self.diff.divergence
        if divergence is None:
            flagged = len(self.diff.timing_rows)
            timing = f"; {plural(flagged, 'step')} took a different time" if flagged else ""
            return Text(f"Same path: the same steps, input and errors{timing}.", style="bold")
        text = _plain(divergence.summary)
        if not self.diff.aligned:
            text.append(" (Too many differing steps to align: A's listed, then B's.)")
        return text

    def _colour(self, status: RowStatus) -> Style:
        name = _STATUS_COLOUR[status]
        if not name:
            return Style()
        value = self.app.get_css_variables().get(name)
        if not value:
            return Style()
        return Style(color=Color.parse(value).rich_color)

    def _label(self, facts: StepFacts | None) -> str:
        if facts is None:
            return ""
        label = escape_control(f"{facts.number} {facts.label}")
        width = self._label_width
        return label if len(label) <= width else label[: width - 1] + "…"

    def _fill(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(" ", key="mark", width=1)
        table.add_column("A", key="a", width=self._label_width)
        table.add_column("s", key="a_s", width=5)
        table.add_column("B", key="b", width=self._label_width)
        table.add_column("s", key="b_s", width=5)
        table.add_column("Δ", key="delta", width=6)
        for row in self.diff.rows:
            style = self._colour(row.status)
            delta = row.duration_delta
            delta_text = "" if delta is None or delta == 0 else f"{delta:+d}"
            if row.timing_differs:
                delta_text += "!"
            table.add_row(
                Text(MARKS[row.status], style=style),
                Text(self._label(row.a), style=style),
                Text(_seconds(row.a), justify="right"),
                Text(self._label(row.b), style=style),
                Text(_seconds(row.b), justify="right"),
                Text(delta_text, justify="right", style="bold" if row.timing_differs else ""),
            )
        if not self.diff.rows:
            self.query_one("#compare-detail", Static).update(Text("Neither call has a step."))

    def _show_detail(self, index: int) -> None:
        rows = self.diff.rows
        if not 0 <= index < len(rows):
            return
        self.query_one("#compare-detail", Static).update(detail_text(rows[index]))

    @on(DataTable.RowHighlighted, "#compare-steps")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    # ----- actions ---------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_jump(self) -> None:
        rows = self.diff.rows
        index = self.query_one(DataTable).cursor_row
        if not 0 <= index < len(rows):
            return
        facts = rows[index].a
        if facts is None:
            self.notify("This step is only in B: A has nothing there to go to", timeout=3)
            return
        self.dismiss(facts.step.first)

    @on(DataTable.RowSelected, "#compare-steps")
    def _selected(self) -> None:
        self.action_jump()


def _seconds(facts: StepFacts | None) -> str:
    if facts is None or facts.duration is None:
        return ""
    return f"{facts.duration}s"


def detail_text(row: AlignedRow) -> Text:
    """The row's two steps in words: first line, what the caller entered, errors; why changed."""
    text = Text()
    for letter, facts in (("A", row.a), ("B", row.b)):
        if text:
            text.append("\n")
        text.append(f"{letter} ", style="bold")
        if facts is None:
            text.append("—", style="dim")
            continue
        text.append(escape_control(f"{facts.title}: {facts.first_line}"))
        for value in facts.inputs:
            text.append(escape_control(f" · entered {value}"), style="bold")
        for line in facts.errors:
            text.append(escape_control(f" · error: {line}"), style="bold red")
    for reason in row.reasons:
        text.append("\n")
        text.append(escape_control(f"↳ {reason}"), style="italic")
    return text


class PickCallScreen(ModalDialog[int | None]):
    """Which open call to compare with: dismisses with the chosen position, or None (Esc)."""

    HELP_TITLE = "Compare with"

    DEFAULT_CSS = """
    PickCallScreen > #pick-dialog {
        width: 64;
    }
    PickCallScreen OptionList {
        height: auto;
        max-height: 12;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="compare.pick_cancel")]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-dialog", classes="dialog"):
            yield Static("Compare the current call with…", classes="dialog-title")
            yield OptionList(
                *(Option(_plain(name), id=str(n)) for n, name in enumerate(self.names)),
                id="pick-calls",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#pick-calls")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
