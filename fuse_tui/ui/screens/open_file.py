"""Open a dump: a path input that completes file names, and a directory tree beside it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, Static

from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui.screens.modal import ModalDialog

# What a call-log dump can be: the readers sniff the content, the suffix only narrows the list.
DUMP_SUFFIXES = frozenset({".json", ".xml", ".ndjson", ".txt"})


def _is_dump(path: Path) -> bool:
    return path.suffix.lower() in DUMP_SUFFIXES


def _completions(value: str) -> list[str]:
    """File-system completions of ``value``: directories (with a trailing ``/``) and dumps."""
    expanded = os.path.expanduser(value)
    directory, prefix = os.path.split(expanded)
    try:
        entries = sorted(os.scandir(directory or "."), key=lambda e: e.name)
    except OSError:
        return []
    found: list[str] = []
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            found.append(name + "/")
        elif _is_dump(Path(name)):
            found.append(name)
    # The completion keeps what the user typed (``~`` stays ``~``) and adds the rest of the name.
    return [value + name[len(prefix) :] for name in found]


class PathSuggester(Suggester):
    """Suggest the first directory or dump file whose name continues what was typed."""

    def __init__(self) -> None:
        # No cache: the file system changes under us; case matters in file names.
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        matches = await asyncio.to_thread(_completions, value)
        return matches[0] if matches else None


class DumpTree(DirectoryTree):
    """A directory tree showing only directories and files that can be call-log dumps."""

    HELP_TITLE = "Open file — tree"

    # Plain symbols rather than emoji: they render on TERM=linux and in every font.
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "
    ICON_FILE = "  "

    BINDINGS = [
        Binding("backspace", "parent", "Parent directory", id="open_file.parent"),
    ]

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        visible = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or _is_dump(path):
                    visible.append(path)
            except OSError:
                continue
        return visible

    def action_parent(self) -> None:
        current = Path(self.path).resolve()
        if current.parent != current:
            self.path = current.parent


class PathInput(Input):
    """An input where Tab accepts the greyed completion (and moves on when there is none)."""

    BINDINGS = [Binding("tab", "complete", "Complete path", show=False, id="open_file.complete")]

    def action_complete(self) -> None:
        if self._suggestion and self.cursor_at_end and len(self._suggestion) > len(self.value):
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


class OpenFileScreen(ModalDialog[Path | None]):
    """Pick a JSON/XML/NDJSON/TXT dump; dismisses with its path, or ``None`` on Esc."""

    HELP_TITLE = "Open file"

    DEFAULT_CSS = """
    OpenFileScreen > #open-dialog {
        width: 90%;
        max-width: 100;
        height: 90%;
        max-height: 36;
    }
    OpenFileScreen #open-title {
        padding-bottom: 1;
    }
    OpenFileScreen #open-tree {
        height: 1fr;
        margin-top: 1;
        border: round $panel;
    }
    OpenFileScreen #open-tree:focus {
        border: round $accent;
    }
    OpenFileScreen #open-hint {
        color: $text-muted;
        height: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="open_file.cancel"),
    ]

    def __init__(self, start_dir: Path) -> None:
        super().__init__()
        start = Path(start_dir).expanduser()
        self.start_dir = start if start.is_dir() else Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog", classes="dialog"):
            yield Static(
                "Open a call-log dump (JSON, XML, NDJSON, TXT)",
                id="open-title",
                classes="dialog-title",
            )
            yield PathInput(
                value=str(self.start_dir) + os.sep,
                placeholder="path to a dump file",
                suggester=PathSuggester(),
                id="open-path",
            )
            yield Static(id="open-error", classes="dialog-error")
            yield DumpTree(self.start_dir, id="open-tree")
            yield Static(
                "Tab complete · Enter open · Backspace parent dir · Esc cancel",
                id="open-hint",
            )

    def on_mount(self) -> None:
        path_input = self.query_one(PathInput)
        path_input.focus()
        path_input.cursor_position = len(path_input.value)

    @on(Input.Submitted, "#open-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if not raw:
            self.show_error("Enter a path to a dump file.")
            return
        path = Path(os.path.expanduser(raw))
        shown = escape_control(raw)
        if path.is_dir():
            # A directory: browse it in the tree rather than failing.
            self.show_error(None)
            self.query_one(DumpTree).path = path
            return
        if not path.exists():
            self.show_error(f"No such file: {shown}")
            return
        if not os.access(path, os.R_OK):
            self.show_error(f"Cannot read {shown} (permission denied).")
            return
        self.dismiss(path)

    @on(Input.Changed, "#open-path")
    def _path_changed(self) -> None:
        self.show_error(None)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(Path(event.path))

    @on(DirectoryTree.DirectorySelected)
    def _directory_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        path_input = self.query_one(PathInput)
        with path_input.prevent(Input.Changed):
            path_input.value = str(event.path) + os.sep
        path_input.cursor_position = len(path_input.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
