"""Every part of the main view stays readable in every built-in theme: no white on white.

The colours checked are the ones painted: the event list's rows from ``render_line``, the other
widgets from ``render_lines``, each segment's foreground against its background (reverse
swapped, ANSI colours read in a dark or light terminal palette). A theme is switched at run
time, so colours baked into text before the switch would show up here as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.terminal_theme import DEFAULT_TERMINAL_THEME, MONOKAI, TerminalTheme
from textual.geometry import Region
from textual.strip import Strip
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.event_detail import DetailView, EventDetail
from fuse_tui.ui.widgets.event_list import EventList
from tests.ui.conftest import MakeApp, settle

# The two the issue was reported on first, then every other built-in theme.
THEMES = [
    "textual-light",
    "textual-dark",
    *sorted(set(BUILTIN_THEMES) - {"textual-light", "textual-dark"}),
]
# WCAG's minimum for large or bold text; Textual's own $text-success on textual-light is ~3.3.
MIN_CONTRAST = 3.0
# The cursor on an info row, on an error row (two tints) and on the unknown class.
CURSOR_ROWS = (0, 4, 6)


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


async def test_every_part_of_the_event_list_is_readable_in_every_theme(
    make_app: MakeApp, sample_file: Path
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
        for theme in THEMES:
            app.theme = theme
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


async def test_detail_pane_header_and_filter_bar_are_readable_in_every_theme(
    make_app: MakeApp, sample_file: Path
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
        for theme in THEMES:
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
