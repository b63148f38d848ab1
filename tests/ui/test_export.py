"""Export dialog: format choice drives the suffix, path checks before anything is written."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, RadioButton, RadioSet, Static

from fuse_tui.ui.screens.export import ExportRequest, ExportScreen, safe_file_stem
from tests.ui.conftest_screens import ScreenHost


def test_session_ids_become_safe_reversible_file_names() -> None:
    from fuse_tui.core.archive.paths import session_id_from_stem

    for session_id in ("300060;001;1799992689", "../../etc/passwd", "///", "a b:c"):
        stem = safe_file_stem(session_id)
        assert "/" not in stem and ";" not in stem and not stem.startswith(".")
        assert session_id_from_stem(stem) == session_id  # `archive import` gets the right ID
    assert safe_file_stem("300060;001;1799992689") == "300060%3B001%3B1799992689"
    assert safe_file_stem(None) == "fuse-log"


async def test_default_path_and_enter(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "300060;001;17", 12))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#export-title", Static).render()) == "Export 12 events"
        path = app.screen.query_one("#export-path", Input).value
        assert path == f"{tmp_path}/300060%3B001%3B17.json"
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ExportRequest(tmp_path / "300060%3B001%3B17.json", "json")


async def test_choosing_a_format_changes_the_suffix(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "abc", 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#export-csv")
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == f"{tmp_path}/abc.csv"
        await pilot.click("#export-ndjson")
        await pilot.pause()
        assert path_input.value == f"{tmp_path}/abc.ndjson"
        await pilot.click("#export-ok")
        await pilot.pause()
        assert app.result == ExportRequest(tmp_path / "abc.ndjson", "ndjson")


async def test_typing_a_suffix_picks_the_format(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "abc", 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(tmp_path / "mine.xml")
        await pilot.pause()
        assert app.screen.query_one("#export-xml", RadioButton).value
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ExportRequest(tmp_path / "mine.xml", "xml")


async def test_refuses_empty_path_and_missing_directory(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, None, 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        message = app.screen.query_one("#export-message", Static)
        path_input.value = "   "
        await pilot.press("enter")
        assert not app.dismissed and message.has_class("-error")
        assert str(message.render()) == "Enter a file path."
        path_input.value = str(tmp_path / "nope" / "x.json")
        await pilot.press("enter")
        assert not app.dismissed
        assert str(message.render()) == f"The directory {tmp_path}/nope does not exist."
        path_input.value = str(tmp_path)
        await pilot.press("enter")
        assert not app.dismissed and "is a directory" in str(message.render())


async def test_existing_file_needs_a_second_enter(tmp_path: Path) -> None:
    (tmp_path / "fuse-log.json").write_text("old")
    app = ScreenHost(ExportScreen(tmp_path, None, 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        message = app.screen.query_one("#export-message", Static)
        assert not app.dismissed and message.has_class("-warning")
        assert "press Enter again to replace it" in str(message.render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ExportRequest(tmp_path / "fuse-log.json", "json")
        assert (tmp_path / "fuse-log.json").read_text() == "old"  # the dialog writes nothing


async def test_escape_cancels(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "abc", 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.dismissed and app.result is None


def _message(app: ScreenHost) -> str:
    return str(app.screen.query_one("#export-message", Static).render())


def _buttons(app: ScreenHost) -> str:
    """The format row as text, as a NO_COLOR terminal or a screenshot shows it."""
    return " ".join(str(b.render()).strip() for b in app.screen.query(RadioButton))


async def test_opens_on_the_format_row_where_arrows_choose_and_enter_exports(
    tmp_path: Path,
) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "abc", 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, RadioSet)
        assert _buttons(app) == "▐●▌ JSON ▐ ▌ XML ▐ ▌ NDJSON ▐ ▌ CSV"
        assert _message(app).startswith(f"Enter writes JSON to {tmp_path}/abc.json.")
        await pilot.press("right")  # chosen at once: no Space needed
        await pilot.pause()
        assert _buttons(app) == "▐ ▌ JSON ▐●▌ XML ▐ ▌ NDJSON ▐ ▌ CSV"
        shown = app.screen.query_one("#export-path", Input).value
        assert shown == f"{tmp_path}/abc.xml"
        assert _message(app).startswith(f"Enter writes XML to {shown}.")
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ExportRequest(Path(shown), "xml")


async def test_left_wraps_to_the_last_format(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "abc", 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("left")
        await pilot.pause()
        assert app.screen.query_one("#export-csv", RadioButton).value
        assert _message(app).startswith(f"Enter writes CSV to {tmp_path}/abc.csv.")


async def test_a_relative_path_is_written_where_the_dialog_says(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "abc", 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # on to the path
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.has_focus
        path_input.value = "mine.ndjson"
        await pilot.pause()
        assert _message(app).startswith(f"Enter writes NDJSON to {tmp_path}/mine.ndjson.")
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ExportRequest(tmp_path / "mine.ndjson", "ndjson")


async def test_the_format_keys_are_in_the_help_with_ids(tmp_path: Path) -> None:
    from fuse_tui.ui.screens.help import bindings_help

    app = ScreenHost(ExportScreen(tmp_path, "abc", 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        groups = {title: dict(rows) for title, rows in bindings_help(app)}  # type: ignore[arg-type]
        described = {desc: keys for keys, desc in groups["Export format"].items()}
        assert "→" in described["Next format"] and "←" in described["Previous format"]
        app.set_keymap({"export.format_next": "n"})
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#export-xml", RadioButton).value
