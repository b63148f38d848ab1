"""The keymap registry in core matches the UI's real bindings; a keymap with unknown ids or
clashes is reported in one notification at start, and its valid entries still apply."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import fuse_tui.ui
from fuse_tui.core.keymap import KNOWN_BINDINGS, SCOPE_OF_PREFIX
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, settle


def ui_bindings() -> dict[str, str]:
    """Every Binding with an id declared by a fuse-tui screen, widget or the app."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(fuse_tui.ui.__path__, "fuse_tui.ui."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                for binding in cls.BINDINGS:
                    if isinstance(binding, Binding) and binding.id:
                        found[binding.id] = binding.key
    return found


def test_the_registry_is_the_ui_s_bindings_with_their_default_keys() -> None:
    assert ui_bindings() == KNOWN_BINDINGS


def test_every_binding_id_has_a_known_screen() -> None:
    assert {bid.split(".", 1)[0] for bid in KNOWN_BINDINGS} <= set(SCOPE_OF_PREFIX)


async def test_keymap_problems_are_said_once_at_start_and_valid_entries_apply(
    make_app: MakeApp, sample_file: Path
) -> None:
    keymap = {"log.time": "T", "log.nxt_error": "x", "main.copy_event": "e"}
    app = make_app([Source("file", str(sample_file))], keymap=keymap)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1
        text = warnings[0].message
        assert "log.nxt_error" in text and "main.copy_event" in text
        assert "log.time" not in text
        view = app.main.active_view
        assert view is not None
        view.focus_list()
        before = view.event_list.cursor
        await pilot.press("e")  # still "next error": the clashing entry was not applied
        await pilot.pause()
        assert view.event_list.cursor != before
        active = app.screen.active_bindings
        assert "T" in active and active["T"].binding.id == "log.time"  # the valid entry applies
