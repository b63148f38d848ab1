"""Ask for the Fuse e-mail and developer key (masked), for this run and optionally for good."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui.screens.modal import ModalDialog


@dataclass(frozen=True)
class CredentialsResult:
    """What the user entered. The key is left out of ``repr`` so it never lands in a log."""

    email: str
    developer_key: str = field(repr=False)
    save: bool = False


SAVE_ON = "Save them to the config file (permissions 0600)"
SAVE_OFF = "Don't save them: for this run only"
SAVE_UNAVAILABLE = "Not saved: for this run only (saving is turned off)"


class SaveChoice(Checkbox):
    """The "save" box, its state in words as well as colour (NO_COLOR, screenshots, a glance).

    Textual's checkbox draws ``▐X▌`` ticked or not, only the colour changes: this one draws an
    empty box when unticked, and its label says what will happen.
    """

    def __init__(self, *, available: bool, id: str) -> None:
        super().__init__(SAVE_OFF if available else SAVE_UNAVAILABLE, False, id=id)
        self.BUTTON_INNER = " "
        self.disabled = not available

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = "X" if self.value else " "
        if not self.disabled:
            self.label = SAVE_ON if self.value else SAVE_OFF
        self.refresh(layout=True)


class CredentialsScreen(ModalDialog[CredentialsResult | None]):
    """E-mail, developer key, "save to config file"; OK / Cancel."""

    HELP_TITLE = "Credentials"

    DEFAULT_CSS = """
    CredentialsScreen > #cred-dialog {
        width: 72;
    }
    CredentialsScreen #cred-why {
        color: $text-muted;
        margin-bottom: 1;
    }
    CredentialsScreen Label {
        margin-top: 1;
    }
    CredentialsScreen #cred-save {
        margin-top: 1;
        border: none;
        padding: 0;
    }
    CredentialsScreen #cred-config {
        color: $text-muted;
        padding-left: 4;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="credentials.cancel"),
    ]

    def __init__(self, email: str | None = None, config_path: str | None = None) -> None:
        super().__init__()
        self._email = email or ""
        self._config_path = config_path

    def compose(self) -> ComposeResult:
        with Vertical(id="cred-dialog", classes="dialog"):
            yield Static("Fuse credentials", id="cred-title", classes="dialog-title")
            yield Static(
                "Needed to fetch logs from the API. Used for this run only unless you save them.",
                id="cred-why",
            )
            yield Label("E-mail (FUSE_EMAIL)", id="cred-email-label")
            yield Input(
                value=self._email, placeholder="you@example.com", id="cred-email", max_length=320
            )
            yield Label("Developer key (FUSE_DEVELOPER_KEY)", id="cred-key-label")
            yield Input(password=True, placeholder="developer key", id="cred-key")
            yield SaveChoice(available=bool(self._config_path), id="cred-save")
            yield Static(self._where_text(saving=False), id="cred-config")
            yield Static(id="cred-error", classes="dialog-error")
            with Horizontal(id="cred-buttons", classes="dialog-buttons"):
                yield Button("Cancel", id="cred-cancel")
                yield Button("OK", variant="primary", id="cred-ok")

    def _where_text(self, *, saving: bool) -> Text:
        if not self._config_path:
            return Text("")
        path = escape_control(str(self._config_path))
        return Text(f"will be saved to {path}" if saving else f"nothing is written to {path}")

    @on(Checkbox.Changed, "#cred-save")
    def _save_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#cred-config", Static).update(self._where_text(saving=event.value))
        self.query_one("#cred-ok", Button).label = "Save and use" if event.value else "OK"

    def on_mount(self) -> None:
        # Start where typing is needed: the key when the e-mail is already known.
        self.query_one("#cred-key" if self._email else "#cred-email", Input).focus()

    def _submit(self) -> None:
        email = self.query_one("#cred-email", Input).value.strip()
        key = self.query_one("#cred-key", Input).value.strip()
        if "@" not in email or email.startswith("@") or email.endswith("@"):
            self.show_error("Enter the e-mail address of your Fuse account.")
            self.query_one("#cred-email", Input).focus()
            return
        if not key:
            self.show_error("Enter the developer key.")
            self.query_one("#cred-key", Input).focus()
            return
        save = self.query_one("#cred-save", Checkbox).value
        self.dismiss(CredentialsResult(email=email, developer_key=key, save=save))

    @on(Input.Submitted, "#cred-email")
    def _email_submitted(self) -> None:
        self.query_one("#cred-key", Input).focus()

    @on(Input.Submitted, "#cred-key")
    def _key_submitted(self) -> None:
        self._submit()

    @on(Input.Changed)
    def _clear_error(self) -> None:
        self.show_error(None)

    @on(Button.Pressed, "#cred-ok")
    def _ok(self) -> None:
        self._submit()

    @on(Button.Pressed, "#cred-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
