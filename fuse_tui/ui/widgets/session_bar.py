"""The top bar: session-ID input (recent IDs as suggestions), Fetch, loading, source label."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, LoadingIndicator

from fuse_tui.core.textsafe import escape_control


class SessionBar(Horizontal):
    class FetchRequested(Message):
        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    def __init__(self, history: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._history = history

    def compose(self) -> ComposeResult:
        yield Label("Session", id="session-label")
        yield Input(
            placeholder="session ID, e.g. 300060;001;1529552581 — Enter fetches",
            id="session-input",
            suggester=SuggestFromList(self._history, case_sensitive=False),
        )
        yield Button("Fetch", id="fetch-button", compact=True)
        yield LoadingIndicator(id="fetch-loading")
        yield Label("", id="source-label")

    @property
    def value(self) -> str:
        return self.query_one("#session-input", Input).value.strip()

    def set_value(self, session_id: str) -> None:
        # A session ID read from a file is log content: the box draws its value as it is, so
        # control characters in it would reach the terminal (ESC [2J cleared the screen).
        self.query_one("#session-input", Input).value = escape_control(session_id)

    def set_history(self, history: list[str]) -> None:
        self._history = history
        self.query_one("#session-input", Input).suggester = SuggestFromList(
            history, case_sensitive=False
        )

    def set_loading(self, loading: bool) -> None:
        self.query_one("#fetch-loading").display = loading
        self.query_one("#fetch-button").display = not loading

    def set_source(self, kind: str, detail: str) -> None:
        label = Text.assemble((kind, "bold"), " ", escape_control(detail))
        self.query_one("#source-label", Label).update(label)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.FetchRequested(event.value.strip()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.FetchRequested(self.value))
