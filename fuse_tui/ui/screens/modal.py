"""The one dialog style: a bordered box centred over the screen below it.

Credentials, export and open-file are all ``ModalDialog``s. Each puts its content in a container
with the class ``dialog`` and sets only that box's size; the title (``dialog-title``), the inline
error line (``dialog-error``, shown by :meth:`ModalDialog.show_error`) and the button row
(``dialog-buttons``) look the same in every dialog.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.screen import ModalScreen
from textual.widgets import Static

ResultT = TypeVar("ResultT")


class ModalDialog(ModalScreen[ResultT]):
    """A modal screen drawn as a dialog box (see the module docstring for its classes)."""

    DEFAULT_CSS = """
    ModalDialog {
        align: center middle;
    }
    ModalDialog > .dialog {
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary 60%;
        background: $surface;
        padding: 0 1;
    }
    ModalDialog .dialog-title {
        text-style: bold;
    }
    ModalDialog .dialog-error {
        color: $error;
        text-style: bold;
        height: auto;
        display: none;
    }
    ModalDialog .dialog-error.-visible {
        display: block;
    }
    ModalDialog .dialog-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    ModalDialog .dialog-buttons Button {
        margin-left: 2;
    }
    """

    def show_error(self, message: str | None) -> None:
        """Show ``message`` (plain text, never markup) on the error line; None hides it."""
        error = self.query_one(".dialog-error", Static)
        error.update(Text(message or ""))
        error.set_class(bool(message), "-visible")
