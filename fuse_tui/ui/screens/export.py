"""Choose a format and a path for exporting the current (filtered) log.

The dialog opens on the format row (←/→ choose, Enter exports) and always says, in words, which
format will be written to which file: the path the request carries is the one shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

from fuse_tui.core.archive.paths import safe_file_stem as archive_file_stem
from fuse_tui.core.plural import plural
from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui.screens.modal import ModalDialog

# (format id, label, file suffix) in the order shown.
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("json", "JSON", ".json"),
    ("xml", "XML", ".xml"),
    ("ndjson", "NDJSON", ".ndjson"),
    ("csv", "CSV", ".csv"),
)
_SUFFIX_TO_FORMAT = {suffix: fmt for fmt, _label, suffix in FORMATS}
_FORMAT_TO_SUFFIX = {fmt: suffix for fmt, _label, suffix in FORMATS}
_FORMAT_TO_LABEL = {fmt: label for fmt, label, _suffix in FORMATS}
ATOMIC = "An existing file is replaced only when the new one is complete."


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    format: str  # "json" | "xml" | "ndjson" | "csv"
    # Mask caller inputs, phone numbers, e-mail addresses and sensitive values (core.redact).
    redact: bool = False
    # Only the events marked (x), not every shown one.
    only_marked: bool = False


def safe_file_stem(session_id: str | None) -> str:
    """The archive's reversible file name for a session id (``archive import`` reads it back)."""
    return archive_file_stem(session_id) if session_id else "fuse-log"


def export_stem(session_id: str | None, source_file: str | None = None) -> str:
    """The default file name (no suffix) for an export: named after where the log came from.

    A log read from a file is exported under that file's stem (``billing.json`` →
    ``billing.csv``): the name the user already gave it. Otherwise the session ID, made file-safe
    as the archive does; ``fuse-log`` only when there is neither.
    """
    if source_file:
        stem = escape_control(Path(source_file).stem).strip()
        if stem and not stem.startswith("."):
            return stem
    return safe_file_stem(session_id)


def normal_format(fmt: object) -> str:
    """``fmt`` if it is a format this dialog offers (e.g. a remembered one), else JSON."""
    return fmt if isinstance(fmt, str) and fmt in _FORMAT_TO_SUFFIX else "json"


def default_export_path(
    default_dir: Path, session_id: str | None, fmt: str, source_file: str | None = None
) -> Path:
    return Path(default_dir) / (export_stem(session_id, source_file) + _FORMAT_TO_SUFFIX[fmt])


class FormatButton(RadioButton):
    """One format, drawn ``▐●▌`` when chosen and ``▐ ▌`` when not: not by colour alone."""

    def __init__(self, label: str, *, value: bool, id: str) -> None:
        super().__init__(label, value, id=id)
        self.BUTTON_INNER = RadioButton.BUTTON_INNER if value else " "

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = RadioButton.BUTTON_INNER if self.value else " "
        self.refresh()


class FormatChoice(RadioSet):
    """The format row: arrows choose a format at once (no Space needed); Enter exports."""

    HELP_TITLE = "Export format"

    BINDINGS = [
        Binding("right,down", "step(1)", "Next format", show=False, id="export.format_next"),
        Binding("left,up", "step(-1)", "Previous format", show=False, id="export.format_previous"),
        Binding("enter", "screen.export", "Export", show=False, id="export.submit"),
    ]

    def action_step(self, delta: int) -> None:
        buttons = list(self.query(RadioButton))
        if buttons:
            buttons[(self.pressed_index + delta) % len(buttons)].value = True


class ExportScreen(ModalDialog[ExportRequest | None]):
    """Export dialog: format, path; refuses what cannot be written before anything is written."""

    HELP_TITLE = "Export"

    DEFAULT_CSS = """
    ExportScreen > #export-dialog {
        width: 80;
    }
    ExportScreen #export-title {
        margin-bottom: 1;
    }
    ExportScreen #export-format {
        layout: horizontal;
        width: 100%;
        height: auto;
        border: round $panel;
    }
    ExportScreen #export-format:focus-within {
        border: round $accent;
    }
    ExportScreen #export-format RadioButton {
        width: auto;
        margin-right: 2;
    }
    ExportScreen #export-path {
        margin-top: 1;
    }
    ExportScreen #export-redact {
        margin-top: 1;
    }
    ExportScreen #export-marked {
        margin-top: 0;
    }
    ExportScreen #export-message {
        height: auto;
        color: $text-muted;
    }
    ExportScreen #export-message.-error {
        color: $error;
        text-style: bold;
    }
    ExportScreen #export-message.-warning {
        color: $warning;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(
        self,
        default_dir: Path,
        session_id: str | None,
        count: int | None = None,
        *,
        source_file: str | None = None,
        initial_format: str = "json",
        initial_redact: bool = False,
        marked: int = 0,
    ) -> None:
        """``source_file``: the file the log was read from (its stem names the export, and
        writing over it asks twice); ``initial_format``: the one offered first (the last used)."""
        super().__init__()
        self.default_dir = Path(default_dir)
        self.session_id = session_id
        self.count = count
        self.source_file = source_file
        self.format = normal_format(initial_format)
        self.redact = bool(initial_redact)
        # How many events are marked: with any, a checkbox exports only those.
        self.marked = marked
        self.only_marked = False
        # Path confirmed for overwriting: a second Enter on the same existing file writes it.
        self._confirmed_overwrite: Path | None = None

    def _title(self) -> str:
        if self.only_marked:
            return f"Export the {plural(self.marked, 'marked event')}"
        count = self.count
        return f"Export {'the log' if count is None else plural(count, 'event')}"

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(self._title(), id="export-title", classes="dialog-title")
            with FormatChoice(id="export-format") as choice:
                choice.border_title = "Format: ←/→"
                for fmt, label, _suffix in FORMATS:
                    yield FormatButton(label, value=fmt == self.format, id=f"export-{fmt}")
            yield Input(
                value=str(self._default_path(self.format)),
                placeholder="file to write",
                id="export-path",
            )
            yield Checkbox(
                "Redact: mask caller inputs, numbers, e-mails, secrets",
                self.redact,
                id="export-redact",
            )
            if self.marked:
                yield Checkbox(
                    f"Only the {plural(self.marked, 'marked event')}",
                    False,
                    id="export-marked",
                )
            yield Static(id="export-message")
            with Horizontal(id="export-buttons", classes="dialog-buttons"):
                yield Button("Cancel", id="export-cancel")
                yield Button("Export", variant="primary", id="export-ok")

    def on_mount(self) -> None:
        # The format first: arrows choose it, Tab goes on to the path, Enter exports from both.
        self.query_one(FormatChoice).focus()
        path_input = self.query_one("#export-path", Input)
        path_input.cursor_position = len(path_input.value)
        self._say_what_will_be_written()

    def _default_path(self, fmt: str) -> Path:
        return default_export_path(self.default_dir, self.session_id, fmt, self.source_file)

    def _is_source(self, path: Path) -> bool:
        """Whether ``path`` is the very file the log was read from."""
        if not self.source_file:
            return False
        try:
            return path.resolve() == Path(self.source_file).resolve()
        except (OSError, RuntimeError):  # a symlink loop: not provably the same file
            return False

    def target(self) -> Path | None:
        """The file the typed path names: relative to the directory offered, ``~`` expanded."""
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            return None
        return (self.default_dir / os.path.expanduser(raw)).absolute()

    def _say_what_will_be_written(self) -> None:
        path = self.target()
        if path is None:
            self._message("Enter a file path.")
            return
        label = _FORMAT_TO_LABEL[self.format] + (" redacted" if self.redact else "")
        if self.only_marked:
            label += f" of the {plural(self.marked, 'marked event')}"
        self._message(f"Enter writes {label} to {escape_control(str(path))}. {ATOMIC}")

    @on(Checkbox.Changed, "#export-redact")
    def _redact_changed(self, event: Checkbox.Changed) -> None:
        self.redact = event.value
        self._say_what_will_be_written()

    @on(Checkbox.Changed, "#export-marked")
    def _marked_changed(self, event: Checkbox.Changed) -> None:
        self.only_marked = event.value
        self.query_one("#export-title", Static).update(self._title())
        self._say_what_will_be_written()

    # ----------------------------------------------------------------- format <-> suffix

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        button_id = event.pressed.id or ""
        fmt = button_id.removeprefix("export-")
        if fmt not in _FORMAT_TO_SUFFIX or fmt == self.format:
            return
        self.format = fmt
        path_input = self.query_one("#export-path", Input)
        current = path_input.value.strip()
        if not current:
            path_input.value = str(self._default_path(fmt))
            return
        path = Path(current)
        # Swap a known suffix; leave a name the user chose without one of ours alone.
        if path.suffix.lower() in _SUFFIX_TO_FORMAT:
            path_input.value = str(path.with_suffix(_FORMAT_TO_SUFFIX[fmt]))
        elif not path.suffix:
            path_input.value = current + _FORMAT_TO_SUFFIX[fmt]
        path_input.cursor_position = len(path_input.value)
        self._say_what_will_be_written()

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self._confirmed_overwrite = None
        # Typing "….csv" picks CSV: the suffix and the format never disagree silently.
        fmt = _SUFFIX_TO_FORMAT.get(Path(event.value.strip()).suffix.lower())
        if fmt and fmt != self.format:
            self.format = fmt
            self.query_one(f"#export-{fmt}", RadioButton).value = True
        self._say_what_will_be_written()

    # ----------------------------------------------------------------- submit

    def _message(self, text: str, kind: str = "") -> None:
        message = self.query_one("#export-message", Static)
        message.update(Text(text))
        message.set_class(kind == "error", "-error")
        message.set_class(kind == "warning", "-warning")

    def _submit(self) -> None:
        path = self.target()
        if path is None:
            self._message("Enter a file path.", "error")
            return
        shown = escape_control(str(path))
        parent = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            self._message(f"{shown} is a directory; add a file name.", "error")
            return
        if not parent.is_dir():
            self._message(f"The directory {escape_control(str(parent))} does not exist.", "error")
            return
        if not os.access(parent, os.W_OK):
            self._message(
                f"Cannot write in {escape_control(str(parent))} (permission denied).", "error"
            )
            return
        if path.exists() and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            what = "is the file this log was read from" if self._is_source(path) else "exists"
            self._message(f"{shown} {what} — press Enter again to replace it.", "warning")
            return
        self.dismiss(
            ExportRequest(
                path=path,
                format=self.format,
                redact=self.redact,
                only_marked=self.only_marked and self.marked > 0,
            )
        )

    def action_export(self) -> None:
        self._submit()

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self) -> None:
        self._submit()

    @on(Button.Pressed, "#export-ok")
    def _ok(self) -> None:
        self._submit()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
