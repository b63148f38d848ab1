"""Open-file dialog: path completion, a filtered directory tree, inline errors, Esc."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from fuse_tui.ui.screens.open_file import (
    DumpTree,
    OpenFileScreen,
    PathInput,
    PathSuggester,
    _completions,
)
from tests.ui.conftest_screens import ScreenHost


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "call-1.json").write_text("[]")
    (tmp_path / "logs" / "call-2.xml").write_text("<logs/>")
    (tmp_path / "logs" / "notes.pdf").write_text("x")
    (tmp_path / "logs" / ".hidden.json").write_text("[]")
    (tmp_path / "dump.ndjson").write_text("")
    (tmp_path / "readme.md").write_text("")
    return tmp_path


def test_completions_offer_dirs_and_dumps_only(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    assert _completions(f"{root}/") == [f"{root}/dump.ndjson", f"{root}/logs/"]
    assert _completions(f"{root}/logs/c") == [f"{root}/logs/call-1.json", f"{root}/logs/call-2.xml"]
    assert _completions(f"{root}/logs/.") == [f"{root}/logs/.hidden.json"]
    assert _completions(f"{root}/nowhere/x") == []


async def test_suggester_keeps_what_was_typed(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{root}/lo") == f"{root}/logs/"
    assert await suggester.get_suggestion(f"{root}/zzz") is None


async def test_tab_completes_and_enter_opens(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    app = ScreenHost(OpenFileScreen(root))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        path_input = app.screen.query_one(PathInput)
        assert path_input.has_focus and path_input.value == f"{root}/"
        await pilot.press(*"lo")
        await pilot.pause(0.2)
        await pilot.press("tab")
        assert path_input.value == f"{root}/logs/"
        await pilot.press(*"call-2")
        await pilot.pause(0.2)
        await pilot.press("tab")
        assert path_input.value == f"{root}/logs/call-2.xml"
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == root / "logs" / "call-2.xml"


async def test_missing_file_is_an_inline_error(tmp_path: Path) -> None:
    app = ScreenHost(OpenFileScreen(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"missing.json", "enter")
        await pilot.pause()
        error = app.screen.query_one("#open-error", Static)
        assert not app.dismissed
        assert error.has_class("-visible")
        assert str(error.render()) == f"No such file: {tmp_path}/missing.json"
        await pilot.press("backspace")  # editing clears the error
        assert not error.has_class("-visible")


async def test_a_directory_is_browsed_not_opened(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    app = ScreenHost(OpenFileScreen(root))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"logs", "enter")
        await pilot.pause()
        assert not app.dismissed
        assert Path(app.screen.query_one(DumpTree).path) == root / "logs"


async def test_tree_shows_only_dirs_and_dumps_and_selecting_opens(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    app = ScreenHost(OpenFileScreen(root / "logs"))
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(DumpTree)
        await pilot.pause(0.3)
        names = [child.label.plain for child in tree.root.children]
        assert names == ["call-1.json", "call-2.xml"]
        tree.focus()
        await pilot.press("down", "enter")  # root -> first file
        await pilot.pause()
        assert app.result == root / "logs" / "call-1.json"


async def test_escape_cancels(tmp_path: Path) -> None:
    app = ScreenHost(OpenFileScreen(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.dismissed and app.result is None


async def test_start_dir_that_does_not_exist_falls_back_to_cwd(tmp_path: Path) -> None:
    screen = OpenFileScreen(tmp_path / "gone")
    assert screen.start_dir == Path.cwd()
    app = ScreenHost(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(Input).value == f"{Path.cwd()}/"
