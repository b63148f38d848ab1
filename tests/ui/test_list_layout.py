"""The list's layout: class badges of any name, the detail pane's size, emoji widths, footer."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from fuse_tui.core.model import LogEntry
from fuse_tui.core.settings import save_ui_prefs
from fuse_tui.ui.rows import OTHER_CLASSES, EventRows
from fuse_tui.ui.screens.help import bindings_help
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.event_list import BADGE_MAX, EventList
from fuse_tui.ui.widgets.log_view import DETAIL_DEFAULT, DETAIL_MAX, DETAIL_STEP
from tests.ui.conftest import CALL_START, MakeApp, entry, opened, row_texts, settle

LONG_CLASS = "a-class-name-far-too-long-for-a-badge"


@pytest.fixture
def classes_file(tmp_path: Path) -> Path:
    """Known classes, three unknown ones (one too long for any badge)."""
    kinds = ["info", "warning", "event", "unknown", "error", LONG_CLASS, "prompt", "debug"]
    entries = [entry(f"line of {k}", k, CALL_START + i, "mod", "res") for i, k in enumerate(kinds)]
    path = tmp_path / "classes.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(path))
    return path


# ----- class badges ---------------------------------------------------------------------------


async def test_an_unknown_class_is_named_whole_up_to_the_cap(
    make_app: MakeApp, classes_file: Path
) -> None:
    app = make_app([Source("file", str(classes_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        rows = row_texts(app)
        badges = [row.split()[1] for row in rows]
        assert badges[:5] == ["info", "warning", "event", "unknown", "error"]
        # Too long for the cap: cut with a marker, as wide as the others.
        assert badges[5] == LONG_CLASS[: BADGE_MAX - 1] + "…"
        module_columns = {row.index(" mod ") for row in rows}
        assert len(module_columns) == 1, rows  # every badge as wide: the columns line up


async def test_a_log_of_known_classes_keeps_the_narrow_badge(
    make_app: MakeApp, sample_file: Path
) -> None:
    # The sample's only unknown class is "weird-class" (11 cells); without it the badge is 8.
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, _view):
        assert "weird-class" in row_texts(app)[6]
        data = json.loads(sample_file.read_text(encoding="utf-8"))
        known = [item for item in data if item["class"] != "weird-class"]
        sample_file.write_text(json.dumps(known), encoding="utf-8")
        app.main.load_source(Source("file", str(sample_file)))
        await settle(pilot, app)
        row = row_texts(app)[0]
        assert row.startswith(" 20:46:40   info   start"), row


async def test_key_6_toggles_every_other_class(make_app: MakeApp, classes_file: Path) -> None:
    app = make_app([Source("file", str(classes_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await pilot.press("6")
        await settle(pilot, app)
        shown = [view.rows.entry(i).kind for i in range(len(view.rows))]
        assert shown == ["info", "event", "error", "prompt", "debug"]
        state = str(view.query_one("#filter-state").render())
        assert "hidden: 6 other" in state
        await pilot.press("5")  # with a known class: both named
        await settle(pilot, app)
        assert "hidden: 5 error, 6 other" in str(view.query_one("#filter-state").render())
        await pilot.press("5", "6")
        await settle(pilot, app)
        assert len(view.rows) == 8
        assert "1-6 classes: all" in str(view.query_one("#filter-state").render())


async def test_the_new_keys_are_in_help(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        rows = [row for _title, rows in bindings_help(app) for row in rows]
        assert ("6", "Toggle other classes") in rows
        assert ("<", "Detail pane larger") in rows
        assert (">", "Detail pane smaller") in rows


# ----- the detail pane's size -----------------------------------------------------------------


def _line_column(app: object) -> int:
    """Cells of the message column of the first row (from its start to the list's edge)."""
    rows = row_texts(app)  # type: ignore[arg-type]
    return cell_len(rows[0]) - rows[0].index("Executing")


async def test_at_120_columns_the_message_column_is_the_widest(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (_pilot, view):
        # Two thirds for the list (it was three fifths: a message column of ~33 cells here).
        assert view.event_list.outer_size.width >= 80
        assert _line_column(app) >= 40
        assert view.detail.outer_size.width >= 38  # the pane's title still fits


async def test_less_and_greater_resize_the_detail_and_persist(
    make_app: MakeApp, sample_file: Path, config_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))], persist=True)
    async with opened(app, size=(120, 30)) as (pilot, view):
        before = view.detail.outer_size.width
        await pilot.press("less_than_sign", "less_than_sign")
        await pilot.pause()
        assert view.detail.outer_size.width == before + 12  # twice 5% of the 120-cell body
        assert app.config.ui_prefs["detail_size"] == DETAIL_DEFAULT + 2 * DETAIL_STEP
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert view.detail.outer_size.width == before + 6
        for _ in range(20):  # held down: stops at the largest, and says so
            await pilot.press("less_than_sign")
        await pilot.pause()
        assert app.config.ui_prefs["detail_size"] == DETAIL_MAX
        assert "largest" in str(list(app._notifications)[-1].message)
    assert "detail_size = 75" in config_file.read_text(encoding="utf-8")


async def test_the_remembered_size_is_used_and_below_the_list_it_is_the_height(
    make_app: MakeApp, sample_file: Path, config_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))], ui_prefs={"detail_size": 50})
    async with opened(app, size=(120, 30)) as (pilot, view):
        assert view.detail.outer_size.width == 60
        await pilot.resize_terminal(80, 24)
        await settle(pilot, app)
        body = view.query_one("#log-body").size.height
        assert view.detail.outer_size.width == 80  # below the list: the whole width
        assert view.detail.outer_size.height == body // 2
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert view.detail.outer_size.height < body // 2
    assert not config_file.exists()  # persist is off (the default for tests and --demo)


@pytest.mark.parametrize("stored", ["big", True, 5, 1000, 12.5])
async def test_a_hand_edited_size_is_kept_in_bounds(
    make_app: MakeApp, sample_file: Path, stored: object
) -> None:
    app = make_app([Source("file", str(sample_file))], ui_prefs={"detail_size": stored})
    async with opened(app, size=(120, 30)) as (_pilot, view):
        assert 15 <= view.detail_size <= DETAIL_MAX
        assert view.detail.outer_size.width >= 38


def test_save_ui_prefs_keeps_the_theme_beside_the_size(config_file: Path) -> None:
    save_ui_prefs(theme="nord")
    save_ui_prefs(ui={"detail_size": 40})
    text = config_file.read_text(encoding="utf-8")
    assert 'theme = "nord"' in text and "detail_size = 40" in text


# ----- emoji widths ---------------------------------------------------------------------------

# Each drawn at a width terminals disagree on: Rich's cell_len, tmux 3.3 and kitty all differ.
EMOJI_LINES = [
    "call \u260e\ufe0f now",  # ☎️ telephone + VS16 (the reported one)
    "love \u2764\ufe0f and \u2600\ufe0f sun, \u2708\ufe0f plane",  # ❤️ ☀️ ✈️
    "keycap 1\ufe0f\u20e3 and #\ufe0f\u20e3",  # 1️⃣ #️⃣
    "family \U0001f468\u200d\U0001f469\u200d\U0001f467 here",  # 👨‍👩‍👧 (ZWJ)
    "coder \U0001f9d1\u200d\U0001f4bb and eye \U0001f441\ufe0f\u200d\U0001f5e8\ufe0f",
    "rainbow \U0001f3f3\ufe0f\u200d\U0001f308 flag",  # 🏳️‍🌈
    "thumbs \U0001f44d\U0001f3fd up",  # 👍🏽 (skin tone)
    "text style \u260e\ufe0e and a\u200db",  # VS15, a ZWJ between letters
    "flag \U0001f1eb\U0001f1f7 and \u6f22\u5b57 and plain",  # regional indicators, CJK
]


def terminal_cells(text: str) -> int:
    """Cells a terminal that draws code point by code point (tmux, VTE, xterm) uses for text.

    Marks and format characters take none, wide and fullwidth characters two (skin-tone
    modifiers are wide), the rest one: no sequence is joined.
    """
    total = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf") or 0xFE00 <= ord(char) <= 0xFE0F:
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


@pytest.mark.parametrize("width", [120, 80])
async def test_emoji_rows_are_exactly_as_wide_as_the_list(
    make_app: MakeApp, tmp_path: Path, width: int
) -> None:
    path = tmp_path / "emoji.json"
    modules = ["\u260e\ufe0f", "\U0001f468\u200d\U0001f467", "x"]  # in the module column too
    entries = [
        entry(line, "info", CALL_START + i, modules[i % 3], "r\u2764\ufe0f")
        for i, line in enumerate(EMOJI_LINES)
    ]
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot, app)
        event_list = app.main.query_one(EventList)
        expected = event_list.scrollable_content_region.width
        for y in range(len(EMOJI_LINES)):
            text = "".join(segment.text for segment in event_list.render_line(y))
            # What Textual lays out (Rich) and what a terminal draws: both the list's width.
            assert cell_len(text) == expected, text
            assert terminal_cells(text) == expected, text


def test_the_terminal_model_sees_the_reported_disagreement() -> None:
    # The test above can fail: on these, Rich and a code-point terminal differ.
    assert cell_len("\u260e\ufe0f") == 2 and terminal_cells("\u260e\ufe0f") == 1
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert cell_len(family) == 2 and terminal_cells(family) == 6


# ----- the footer -----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 90, 100, 109, 110, 120])
@pytest.mark.parametrize("focus", ["list", "session"])
async def test_every_footer_key_is_whole_and_quit_is_shown(
    make_app: MakeApp, sample_file: Path, width: int, focus: str
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot, app)
        if focus == "session":
            await pilot.press("colon")
        await settle(pilot, app)
        await pilot.pause(0.1)
        footer = app.main.query_one(Footer)
        keys = [key for key in footer.query(FooterKey) if key.display]
        actions = [key.action for key in keys]
        assert "help" in actions, actions
        if focus == "list":  # in the session input q is a letter: no Quit key to show
            assert "quit" in actions, actions
        for key in keys:
            region = key.region
            assert region.right <= width, (key.description, region)
            painted = "".join(s.text for s in key.render_lines(key.region.reset_offset)[0])
            assert key.description in painted, (key.description, painted)
        bottom = "".join(segment.text for segment in app.screen._compositor.render_strips()[-1])
        assert "Help" in bottom
        if focus == "list":
            assert "q Quit" in bottom


def test_other_classes_hide_with_or_without_known_ones() -> None:
    kinds = ["info", "warning", "error", "", "debug", "x"]
    data = [{"event": {"line": k}, "class": k} for k in kinds]
    rows = EventRows([LogEntry.model_validate(item) for item in data])
    rows.apply(hidden_classes={OTHER_CLASSES})
    assert [rows.entry(r).kind for r in range(len(rows))] == ["info", "error", "debug"]
    rows.apply(hidden_classes={OTHER_CLASSES, "error"})
    assert [rows.entry(r).kind for r in range(len(rows))] == ["info", "debug"]
    rows.apply(hidden_classes={"warning"})
    assert len(rows) == 5
