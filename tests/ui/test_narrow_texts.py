"""Texts that were cut at 120 and 80 columns: the detail title, filter errors, wrapped code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from fuse_tui.core.model import LogEntry
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.event_detail import (
    CONTINUATION,
    LIMIT,
    DetailView,
    render_entry,
    title_text,
    wrap_line,
)
from tests.ui.conftest import CALL_START, MakeApp, entry, settle

SIZES = [(120, 32), (100, 30), (80, 24)]
URL = "https://billing.example.com/api/v2/accounts/4155550123/balance?include=pending&x=1"


def painted(widget: Widget) -> list[str]:
    """The lines of ``widget`` as painted on screen."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("size", SIZES)
async def test_the_detail_title_fits_in_every_mode(
    make_app: MakeApp, sample_file: Path, size: tuple[int, int]
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        title = app.main.query_one("#detail-title", Widget)
        for view in DetailView:
            await settle(pilot, app)
            expected = str(title_text(view))
            assert painted(title)[0] == expected, (size, view)
            await pilot.press("v")
    assert str(title_text(DetailView.XML)) == "XML (Fuse convention)  v → pretty"


def _hostile_log(tmp_path: Path) -> Path:
    lines = ["Lookup failed", "a" * 60 + "!", "Exiting application"]
    path = tmp_path / "hostile.json"
    entries = [entry(line, "info", CALL_START + i, "set", "v") for i, line in enumerate(lines)]
    path.write_text(json.dumps(entries))
    return path


@pytest.mark.parametrize("size", [(120, 32), (80, 24)])
@pytest.mark.parametrize("query", ["re:(", "re:(a|aa)+$"])
async def test_a_filter_error_keeps_the_indicator_and_is_shown_whole(
    make_app: MakeApp, tmp_path: Path, size: tuple[int, int], query: str
) -> None:
    # An invalid regex, and one too slow for this log (the longest message, ~150 characters).
    app = make_app([Source("file", str(_hostile_log(tmp_path)))])
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        assert not view.apply_query(query)
        await settle(pilot, app)
        assert view.query_error
        state = painted(app.main.query_one("#filter-state", Widget))
        assert [line.strip() for line in state] == ["hide · 1-6 classes: all"]
        error = app.main.query_one("#filter-error", Widget)
        assert error.display and error.region.width == size[0]
        shown = _words(" ".join(painted(error)))
        assert shown.startswith("Filter not applied (the previous one stays):"), shown
        assert shown.endswith(_words(view.query_error)), shown
        assert "…" not in shown
        # A good query takes the error line away again.
        assert view.apply_query("fail")
        await settle(pilot, app)
        assert not app.main.query_one("#filter-error", Widget).display


# ----- wrapping of long code lines ----------------------------------------------------------


def _unwrap(pieces: list[Text]) -> str:
    """The original line back from its pieces (continuations lose their hanging prefix)."""
    out = pieces[0].plain
    for piece in pieces[1:]:
        prefix, marker, rest = piece.plain.partition(CONTINUATION)
        assert marker and not prefix.strip(), piece.plain
        out += rest
    return out


def test_a_long_line_hangs_under_its_indent_and_breaks_after_a_slash() -> None:
    line = Text(f'      "url": "{URL}",')
    pieces = wrap_line(line, 50, Style())
    assert len(pieces) > 1
    assert all(piece.cell_len <= 50 for piece in pieces)
    assert _unwrap(pieces) == line.plain
    # Continuations start deeper than the line's own indent (6), after the marker.
    assert all(p.plain.startswith(" " * 8 + CONTINUATION) for p in pieces[1:])
    # Broken between the URL's parts, not in the middle of one.
    assert pieces[0].plain.endswith("/"), pieces[0].plain


def test_wrapping_counts_cells_not_characters() -> None:
    line = Text("  " + "名前とアドレス" * 10)  # two cells each
    pieces = wrap_line(line, 21, Style())
    assert all(piece.cell_len <= 21 for piece in pieces)
    assert _unwrap(pieces) == line.plain


def test_a_short_line_and_a_tiny_width_are_left_whole_or_cut_without_a_marker() -> None:
    assert [p.plain for p in wrap_line(Text("  {}"), 40, Style())] == ["  {}"]
    pieces = wrap_line(Text("abcdefghij"), 4, Style())
    assert all(cell_len(p.plain) <= 4 for p in pieces)
    assert "".join(p.plain.strip() for p in pieces) == "abcdefghij"


@pytest.mark.parametrize("view", [DetailView.JSON, DetailView.XML, DetailView.PRETTY])
def test_no_painted_line_starts_with_the_middle_of_a_token(view: DetailView) -> None:
    item = LogEntry.model_validate(
        {"event": {"line": "Sending REST request", "data": {"url": URL}}, "class": "info"}
    )
    console = Console(width=44, color_system=None, legacy_windows=False)
    lines = console.render_lines(render_entry(item, view, None), pad=False)
    texts = ["".join(segment.text for segment in line) for line in lines]
    assert all(cell_len(text) <= 44 for text in texts)
    url_lines = [text for text in texts if "api/v2" in text or CONTINUATION in text]
    assert any(CONTINUATION in text for text in url_lines), texts
    # Only the document's own lines start at the edge; a continuation always hangs indented.
    for text in texts:
        if CONTINUATION in text:
            assert text.startswith("  ") and not text.split(CONTINUATION)[0].strip(), text


def test_a_huge_value_is_still_cut_before_it_is_wrapped() -> None:
    item = LogEntry.model_validate(
        {"event": {"line": "big", "data": {"blob": "x/" * (LIMIT // 2 + 10)}}, "class": "debug"}
    )
    console = Console(width=40, color_system=None)
    lines = console.render_lines(render_entry(item, DetailView.JSON, None), pad=False)
    texts = ["".join(segment.text for segment in line) for line in lines]
    assert any("cut:" in text for text in texts)
    # At most MAX_CHARS (24,000) characters are shown: a bounded number of wrapped lines.
    assert len(texts) < 24_000 // 20
