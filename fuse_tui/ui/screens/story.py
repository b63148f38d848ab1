"""The story of the open call (``i``): its steps, each with what the caller heard and entered,
back-end calls, transfers, errors and long waits; Enter goes to the step's first event.

The story is ``core.story``'s, built in a thread (a 100k-entry call takes a moment); the screen
only lays it out. It dismisses with the index of the entry to go to (None on Esc): the main
screen, which owns the event list, moves its cursor.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fuse_tui.core.model import CallLog
from fuse_tui.core.story import DEFAULT_GAP_SECONDS, Story, build_story
from fuse_tui.core.story.model import StoryStep
from fuse_tui.core.story.notes import NOTE_LABELS, header_facts, step_notes, story_title
from fuse_tui.core.story.render_text import step_line
from fuse_tui.core.textsafe import escape_control

# Per kind of note, the style of its label (the rest of the line is plain text).
_NOTE_STYLES = {
    "heard": "cyan",
    "entered": "green",
    "data": "blue",
    "transfer": "magenta",
    "error": "bold red",
    "wait": "yellow",
}
_LABEL_WIDTH = max(map(len, NOTE_LABELS.values()))


def step_text(step: StoryStep) -> Text:
    """A step as the list shows it: its line, then one line per note. Plain ``Text``: log
    content is never markup."""
    text = Text(step_line(step), style="bold")
    for note in step_notes(step):
        text.append("\n" + " " * 8)
        text.append(f"{NOTE_LABELS[note.kind]:<{_LABEL_WIDTH}}", style=_NOTE_STYLES[note.kind])
        text.append("  " + escape_control(note.text))
    return text


class StoryScreen(ModalScreen[int | None]):
    """Dismisses with the first entry of the chosen step, or None."""

    HELP_TITLE = "Call story"
    CSS_PATH = "../styles/story.tcss"
    BINDINGS = [Binding("escape,i", "close", "Close the story", id="story.close")]

    def __init__(self, log: CallLog, gap_seconds: int) -> None:
        super().__init__()
        self._log = log
        self._gap = gap_seconds
        self.story: Story | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="story-dialog"):
            yield Static(Text("Call story"), id="story-title")
            yield Static(Text("Reading the call…"), id="story-facts")
            yield OptionList(id="story-steps")
            yield Static(
                "↑/↓ choose a step · Enter go to its first event · Esc close", id="story-hint"
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._build()

    @work(thread=True, exclusive=True, group="story", exit_on_error=False)
    def _build(self) -> None:
        story = build_story(self._log, gap_seconds=self._gap)
        self.app.call_from_thread(self._show, story)

    def _show(self, story: Story) -> None:
        self.story = story
        self.query_one("#story-title", Static).update(Text(escape_control(story_title(story))))
        # One wrapping paragraph of facts (the title names the application), then the ending.
        facts = Text()
        told = [f for f in header_facts(story) if f[0] not in ("Application", "Version")]
        for name, value in told:
            if name == "Ended":
                facts.append("\n")
            elif facts:
                facts.append("  ·  ")
            facts.append(f"{name}: ", style="bold")
            facts.append(escape_control(value))
        self.query_one("#story-facts", Static).update(facts)
        steps = self.query_one(OptionList)
        steps.clear_options()
        steps.add_options(
            [Option(step_text(step), id=f"step-{step.number}") for step in story.steps]
        )
        if story.steps:
            steps.highlighted = 0

    @on(OptionList.OptionSelected, "#story-steps")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.story is None:
            return
        self.dismiss(self.story.steps[event.option_index].first)

    def action_close(self) -> None:
        self.dismiss(None)


# The [ui] setting for the long-wait threshold, in seconds (``summary --gap`` on the CLI).
GAP_PREF = "story_gap"


def story_gap(app: object) -> int:
    """The config's ``[ui] story_gap`` when it is a whole number of seconds ≥ 1, else 5."""
    config = getattr(app, "config", None)
    value = getattr(config, "ui_prefs", {}).get(GAP_PREF) if config is not None else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return DEFAULT_GAP_SECONDS
    return value
