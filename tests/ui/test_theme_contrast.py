"""Every part of the main view stays readable in every built-in theme: no white on white.

The colours checked are the ones painted: the event list's rows from ``render_line``, the other
widgets from ``render_lines``, each segment's foreground against its background (reverse
swapped, ANSI colours read in a dark or light terminal palette). A theme is switched at run
time, so colours baked into text before the switch would show up here as well.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.terminal_theme import DEFAULT_TERMINAL_THEME, MONOKAI, TerminalTheme
from textual.color import Color, rgb_to_lab
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from fuse_tui.core.model import KNOWN_CLASSES
from fuse_tui.emulator import EmulatorServer
from fuse_tui.ui.screens.archive import ArchiveScreen
from fuse_tui.ui.screens.calls_browser import CallsBrowserScreen
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.event_detail import DetailView, EventDetail
from fuse_tui.ui.widgets.event_list import EventList
from tests.ui.conftest import DEMO_EMAIL, MakeApp, settle

# The two the issue was reported on first, then every other built-in theme.
THEMES = [
    "textual-light",
    "textual-dark",
    *sorted(set(BUILTIN_THEMES) - {"textual-light", "textual-dark"}),
]
# WCAG's minimum for large or bold text; Textual's own $text-success on textual-light is ~3.3.
MIN_CONTRAST = 3.0
# Colour distance (CIE76 ΔE) two class badges keep at least: ~2.3 is the smallest difference
# one sees side by side; 20 tells two categories apart at a glance, a row or two apart.
MIN_DISTANCE = 20.0
# The sample's row of each class ("weird-class" is an unknown one).
CLASS_ROWS = {"info": 0, "prompt": 1, "event": 2, "debug": 3, "error": 4, "weird-class": 6}
# The cursor on an info row, on an error row (two tints) and on the unknown class.
CURSOR_ROWS = (0, 4, 6)


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A truecolor terminal, whatever runs the tests (TERM=xterm alone means 16 colours)."""
    monkeypatch.setenv("COLORTERM", "truecolor")


def _rgb(color: RichColor | None, terminal: TerminalTheme, *, foreground: bool) -> tuple[int, ...]:
    return tuple((color or RichColor.default()).get_truecolor(terminal, foreground=foreground))


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(segment: Segment, terminal: TerminalTheme) -> float:
    """WCAG contrast ratio of a segment's text against its background (1 = invisible)."""
    style = segment.style
    assert style is not None, segment
    fg = _rgb(style.color, terminal, foreground=True)
    bg = _rgb(style.bgcolor, terminal, foreground=False)
    if style.reverse:
        fg, bg = bg, fg
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _terminal(theme: str) -> TerminalTheme:
    """The palette ANSI colours are read in (only the ansi-* themes paint with them)."""
    return MONOKAI if BUILTIN_THEMES[theme].dark else DEFAULT_TERMINAL_THEME


def unreadable(strips: Iterable[Strip], theme: str, where: str) -> list[str]:
    problems = []
    native = BUILTIN_THEMES[theme].ansi
    for strip in strips:
        for segment in strip:
            style = segment.style
            if not native and (style is None or style.bgcolor is None):
                # The terminal's own background under a themed screen: the reported bug.
                problems.append(f"{where}: {segment.text!r} on the terminal's background")
                continue
            if segment.text.strip() and contrast(segment, _terminal(theme)) < MIN_CONTRAST:
                ratio = contrast(segment, _terminal(theme))
                problems.append(f"{where}: {segment.text!r} {style} ({ratio:.2f})")
    return problems


@pytest.mark.parametrize("theme", THEMES)
async def test_every_part_of_the_event_list_is_readable_in_every_theme(
    make_app: MakeApp, sample_file: Path, theme: str
) -> None:
    # The sample has every class, an unknown one and two errors; "a" marks matches on most rows.
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        assert view.apply_query("a")
        await pilot.press("f")  # mark mode: every row stays, the matches are highlighted
        await settle(pilot, app)
        event_list = app.main.query_one(EventList)
        rows = len(view.rows)
        assert rows == 10
        problems: list[str] = []
        app.theme = theme  # switched with the rows painted: they must be painted again
        for focused in (True, False):
            (event_list if focused else app.main.query_one("#filter-input")).focus()
            await pilot.pause()
            for cursor in CURSOR_ROWS:
                event_list.cursor = cursor
                await pilot.pause()
                strips = [event_list.render_line(y) for y in range(rows)]
                where = f"{theme}, cursor {cursor}, focus {focused}"
                problems += unreadable(strips, theme, where)
        assert not problems, "\n".join(problems[:20])


def _shown(color: RichColor | None, system: ColorSystem) -> RichColor | None:
    """``color`` as a terminal with ``system`` gets it (Rich downgrades on output)."""
    return color.downgrade(system) if color is not None else None


def badge_colours(
    segment: Segment, system: ColorSystem, terminal: TerminalTheme
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(block, text) RGB of a badge as drawn: downgraded to ``system``, reverse swapped."""
    style = segment.style
    assert style is not None
    text = _rgb(_shown(style.color, system), terminal, foreground=True)
    block = _rgb(_shown(style.bgcolor, system), terminal, foreground=False)
    return (text, block) if style.reverse else (block, text)


def distance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """CIE76 colour difference (ΔE) of two RGB colours."""
    lab_a, lab_b = rgb_to_lab(Color(*a)), rgb_to_lab(Color(*b))
    return float(sum((x - y) ** 2 for x, y in zip(lab_a, lab_b, strict=True)) ** 0.5)


def badge_problems(
    badges: dict[str, Segment], system: ColorSystem, terminal: TerminalTheme
) -> list[str]:
    """Every pair of classes that look alike, every badge whose text does not read."""
    problems = []
    blocks = {}
    for name, segment in badges.items():
        rgb_block, rgb_text = badge_colours(segment, system, terminal)
        blocks[name] = rgb_block
        light, dark = sorted((_luminance(rgb_block), _luminance(rgb_text)), reverse=True)
        ratio = (light + 0.05) / (dark + 0.05)
        if ratio < MIN_CONTRAST:
            problems.append(f"{name}: text {rgb_text} on {rgb_block} ({ratio:.2f})")
    for a, b in itertools.combinations(blocks, 2):
        if distance(blocks[a], blocks[b]) < MIN_DISTANCE:
            gap = distance(blocks[a], blocks[b])
            problems.append(f"{a} and {b} look alike: {blocks[a]} / {blocks[b]} (ΔE {gap:.1f})")
    return problems


@pytest.mark.parametrize("term", ["truecolor", "linux"])
@pytest.mark.parametrize("theme", THEMES)
async def test_each_class_has_its_own_readable_colour_in_every_theme(
    make_app: MakeApp,
    sample_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    theme: str,
    term: str,
) -> None:
    # TERM=linux: Rich (and so Textual) writes 16 colours, a blend becomes the nearest of them.
    if term == "linux":
        monkeypatch.setenv("TERM", "linux")
        monkeypatch.delenv("COLORTERM", raising=False)
    app = make_app([Source("file", str(sample_file))])
    system = ColorSystem.STANDARD if term == "linux" else ColorSystem.TRUECOLOR
    assert app.console.color_system == system.name.lower()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        app.theme = theme
        event_list = app.main.query_one(EventList)
        event_list.cursor = 9  # on none of the rows looked at
        await pilot.pause()
        badges: dict[str, Segment] = {}
        for name, row in CLASS_ROWS.items():
            strip = event_list.render_line(row)
            # The badge: the first segment with the name (a module can have the same name; an
            # ANSI theme's debug badge is plain muted text, one segment with the time).
            found = [segment for segment in strip if name in segment.text.split()]
            assert found, (name, [segment.text for segment in strip])
            badges[name] = found[0]
        assert set(KNOWN_CLASSES) < set(badges)
        # 16 colours: whatever palette the terminal has (the Linux console's VGA one or another).
        any_palette = term == "linux" and not BUILTIN_THEMES[theme].ansi
        terminals = [DEFAULT_TERMINAL_THEME, MONOKAI] if any_palette else [_terminal(theme)]
        problems = [
            f"{theme}, {term}: {problem}"
            for terminal in terminals
            for problem in badge_problems(badges, system, terminal)
        ]
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("theme", THEMES)
async def test_detail_pane_header_and_filter_bar_are_readable_in_every_theme(
    make_app: MakeApp, sample_file: Path, theme: str
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        assert not view.apply_query("re:(")  # the error line of the filter bar shows too
        await pilot.press("j", "j", "j")  # debug: data with strings and a number
        await settle(pilot, app)
        detail = app.main.query_one(EventDetail)
        problems: list[str] = []
        # Switched with the pane's text already painted: it must paint it again.
        app.theme = theme
        for _mode in DetailView:
            await settle(pilot, app, rounds=1)
            for selector in ("#detail-title", "#detail-body", "CallHeader", "FilterBar Label"):
                for widget in app.main.query(selector).results(Widget):
                    region = Region(0, 0, widget.size.width, widget.size.height)
                    where = f"{theme}, {detail.view.value}, {selector}"
                    problems += unreadable(widget.render_lines(region), theme, where)
            await pilot.press("v")
        assert not problems, "\n".join(problems[:20])


def _decoration(text: str) -> bool:
    """Box drawing and block elements only: a border or a bar, not something to read."""
    return all(ch.isspace() or 0x2500 <= ord(ch) <= 0x259F for ch in text)


def _dimmed(segment: Segment) -> bool:
    """Text written with Rich's ``dim``, which Textual paints as a blend ("not dim" after)."""
    return segment.style is not None and segment.style.dim is False


def screen_problems(screen: Screen[object], theme: str, where: str, *, dimmed: bool) -> list[str]:
    """Unreadable segments of every widget painted on ``screen``: dimmed ones or the others."""
    problems = []
    for widget in screen.query("*").results(Widget):
        if not widget.display or not widget.region or not widget.is_on_screen:
            continue
        region = Region(0, 0, widget.size.width, widget.size.height)
        name = f"{where}, {type(widget).__name__}#{widget.id}"
        strips = [
            Strip([s for s in strip if not _decoration(s.text) and _dimmed(s) == dimmed])
            for strip in widget.render_lines(region)
        ]
        problems += unreadable(strips, theme, name)
    return problems


async def _browser_and_archive_problems(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path, themes: list[str], *, dimmed: bool
) -> list[str]:
    live = next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)
    app = make_app(server=emulator, archive_path=tmp_path / "archive.sqlite")
    problems: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        app.main.request_fetch([live])  # one call in the archive, marked in the browser
        await settle(pilot, app)
        for theme in themes:
            app.theme = theme
            for key, screen_type in (("b", CallsBrowserScreen), ("a", ArchiveScreen)):
                app.set_focus(None)
                await pilot.press(key)
                await settle(pilot, app)
                await pilot.pause(0.3)
                await settle(pilot, app)
                assert isinstance(app.screen, screen_type)
                where = f"{theme}, {screen_type.__name__}"
                problems += screen_problems(app.screen, theme, where, dimmed=dimmed)
                app.pop_screen()
                await settle(pilot, app)
    return problems


@pytest.mark.parametrize("theme", THEMES)
async def test_calls_browser_and_archive_are_readable_in_every_theme(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path, theme: str
) -> None:
    # Title, status, table (header, rows, the cursor row focused), footer.
    problems = await _browser_and_archive_problems(
        make_app, emulator, tmp_path, [theme], dimmed=False
    )
    assert not problems, "\n".join(problems[:20])


async def test_dimmed_text_of_the_calls_browser_and_archive_is_readable(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    problems = await _browser_and_archive_problems(
        make_app, emulator, tmp_path, THEMES, dimmed=True
    )
    assert not problems, "\n".join(problems[:20])
