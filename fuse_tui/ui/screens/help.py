"""The help screen: every key, grouped, built from the bindings that are really active."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

HelpGroups = list[tuple[str, list[tuple[str, str]]]]

# Textual's own names for a few actions, said the way a user would.
_ACTION_NAMES = {
    "command_palette": "Command palette",
    "app.command_palette": "Command palette",
    "quit": "Quit",
    "app.quit": "Quit",
}


def _humanize(name: str) -> str:
    """``EventList`` → ``Event list``; ``calls_browser`` → ``Calls browser``."""
    name = name.rsplit(".", 1)[-1]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def _group_title(node: DOMNode) -> str:
    """A node can name its own group with ``HELP_TITLE``; otherwise its class name is used."""
    title = getattr(node, "HELP_TITLE", None)
    if isinstance(title, str) and title:
        return title
    if isinstance(node, App):
        return "General"
    return _humanize(type(node).__name__)


def _description(binding: Binding) -> str:
    if binding.action in _ACTION_NAMES:
        return _ACTION_NAMES[binding.action]
    return binding.description or binding.tooltip or _humanize(binding.action)


def _nodes_with_bindings(app: App[object]) -> Iterable[DOMNode]:
    """The app, the current screen, the focus chain, and every fuse-tui widget on the screen."""
    screen = app.screen
    seen: set[int] = set()
    ordered: list[DOMNode] = [app, screen]
    focused = screen.focused
    if focused is not None:
        ordered.extend(reversed(list(focused.ancestors_with_self)))
    ordered.extend(
        node for node in screen.walk_children() if type(node).__module__.startswith("fuse_tui.")
    )
    for node in ordered:
        if id(node) not in seen:
            seen.add(id(node))
            yield node


@lru_cache(maxsize=64)
def _inherited_from_textual(node_type: type[DOMNode]) -> frozenset[Binding]:
    """Bindings a widget or screen inherits from Textual's own classes (focus, cursor, copy…).

    They are Textual's plumbing, not fuse-tui's keys; the App's (quit, palette) are kept.
    """
    if issubclass(node_type, App):
        return frozenset()
    owned: set[Binding] = set()
    for cls in node_type.__mro__:
        if cls.__module__.startswith("textual."):
            owned.update(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))
    return frozenset(owned)


def _bindings_of(node: DOMNode, keymap: dict[str, str]) -> BindingsMap:
    # Private (textual <9 pinned for it): the public active_bindings covers only the focused
    # chain, and the help lists every widget's keys.
    bindings = node._bindings.copy()
    if keymap:
        # The same remapping Textual applies when dispatching keys, so the help shows real keys.
        bindings.apply_keymap(keymap)
    return bindings


def bindings_help(app: App[object]) -> HelpGroups:
    """Groups of ``(keys, description)`` from the app's and the current screen's bindings.

    Call it *before* pushing the help screen so that the screen underneath is described. System
    bindings (Textual's hidden plumbing) are left out; several keys for one action are merged.
    """
    keymap: dict[str, str] = dict(getattr(app, "_keymap", {}) or {})
    groups: dict[str, dict[tuple[str, str], list[str]]] = {}
    for node in _nodes_with_bindings(app):
        inherited = _inherited_from_textual(type(node))
        for _key, binding in _bindings_of(node, keymap):
            if binding.system or binding in inherited:
                continue
            title = _group_title(node)
            description = _description(binding)
            keys = groups.setdefault(title, {}).setdefault((binding.action, description), [])
            display = app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
    result: HelpGroups = []
    for title, entries in groups.items():
        rows = [(" ".join(keys), description) for (_action, description), keys in entries.items()]
        if rows:
            result.append((title, rows))
    return result


# The filter language (core.query) in brief; the README's "Search and filter" has it whole.
FILTER_GRAMMAR: list[tuple[str, str]] = [
    ('word "a phrase"', "anywhere: class, module, var, line, data keys and values"),
    (
        "field:value",
        "one field: class module var line, or a data key (status_code:503, request.url:x)",
    ),
    ("field>N >= < <= =", "numbers: elapsed_ms>2000, status_code>=500"),
    ("re:regex", 'a regular expression, to the end of the query (re:"…" ends at its quote)'),
    ("!term", "not this term"),
]


def _group_table(rows: list[tuple[str, str]], key_width: int) -> Table:
    # Keys and descriptions are plain Text: a description is never parsed as markup.
    table = Table.grid(padding=(0, 2))
    table.add_column(width=key_width, no_wrap=True)
    table.add_column(ratio=1)
    for keys, description in rows:
        table.add_row(Text(keys, style="bold"), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, grouped; ``?``, F1 or Esc closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-dialog {
        width: 90%;
        max-width: 110;
        height: 90%;
        border: thick $primary 60%;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-title {
        text-style: bold;
        color: $text;
        width: 1fr;
        content-align: center middle;
        padding-bottom: 1;
    }
    HelpScreen #help-body {
        height: 1fr;
        scrollbar-size-vertical: 1;
        layout: grid;
        grid-size: 1;
        grid-rows: auto;
        grid-gutter: 1 4;
    }
    HelpScreen #help-body.-wide {
        grid-size: 2;
    }
    HelpScreen .help-group {
        height: auto;
    }
    HelpScreen .help-group-title {
        text-style: bold;
        color: $accent;
    }
    HelpScreen .help-grammar {
        height: auto;
    }
    HelpScreen .help-grammar-title {
        text-style: bold;
        color: $accent;
    }
    HelpScreen #help-hint {
        color: $text-muted;
        width: 1fr;
        content-align: center middle;
    }
    """

    BINDINGS = [
        Binding("escape,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(self, groups: HelpGroups) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        key_width = max(
            (len(keys) for _title, rows in self.groups for keys, _desc in rows), default=8
        )
        key_width = min(max(key_width, 8), 24)
        with Vertical(id="help-dialog"):
            yield Static("Keys", id="help-title")
            with VerticalScroll(id="help-body"):
                for title, rows in self.groups:
                    with Vertical(classes="help-group"):
                        yield Static(Text(title), classes="help-group-title")
                        yield Static(_group_table(rows, key_width))
                # Not a .help-group: those are the keys of the screen below.
                with Vertical(classes="help-grammar"):
                    yield Static(
                        Text("Filter / (all terms must hold)"), classes="help-grammar-title"
                    )
                    grammar_width = max(len(term) for term, _meaning in FILTER_GRAMMAR)
                    yield Static(_group_table(FILTER_GRAMMAR, grammar_width))
            yield Static("↑/↓ PgUp/PgDn scroll · ? F1 Esc close", id="help-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def on_resize(self) -> None:
        # Two columns of groups when there is room (wide terminals), one otherwise.
        self.query_one("#help-body").set_class(self.size.width >= 110, "-wide")

    def action_close(self) -> None:
        self.dismiss(None)
