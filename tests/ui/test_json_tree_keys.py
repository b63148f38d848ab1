"""The detail pane's JSON tree in the app: cursor and fold keys, big data, filter highlights."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.style import Style
from textual.pilot import Pilot

from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.event_detail import EventDetail, render_head
from fuse_tui.ui.widgets.json_tree import RowKind
from fuse_tui.ui.widgets.log_view import LogView
from tests.ui.conftest import MakeApp, opened, sample_entries, settle
from tests.ui.test_theme_contrast import THEMES, unreadable

DATA = {
    "url": "https://billing.example/api/v2/accounts/4155550188",
    "status": 503,
    "response": {
        "headers": {"content-type": "application/json"},
        "body": {"error": {"code": "E_BACKEND", "detail": {"deep": {"deeper": 1}}}},
    },
    "fields": {f"field_{n:03}": f"value {n}" for n in range(200)},
    "hostile": "[red]not markup[/red] \x1b[31mred\x1b[0m",
}


def _file(tmp_path: Path, data: Any, line: str = "REST GET failed") -> Path:
    entries = [
        {"event": {"line": line, "data": data}, "class": "error", "timestamp": 1764190000},
        {"event": {"line": "next"}, "class": "info", "timestamp": 1764190001},
    ]
    path = tmp_path / "call.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def _lines(detail: EventDetail) -> list[str]:
    """The tree's lines as drawn (all of them, not only those on screen)."""
    view = detail.tree_view
    height = view.layout_for(view.size.width).height
    return ["".join(s.text for s in view.render_line(y)).rstrip() for y in range(height)]


def _cursor_text(detail: EventDetail) -> str:
    tree = detail.json_tree
    assert tree is not None
    return tree.rows[detail.tree_view.cursor].node.path or "(root)"


async def _into_detail(pilot: Pilot[Any], view: LogView) -> EventDetail:
    await pilot.press("enter")
    await pilot.pause()
    assert view.detail.has_focus
    return view.detail


async def test_cursor_keys_move_over_nodes_and_the_list_stays(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        detail = await _into_detail(pilot, view)
        assert _cursor_text(detail) == "(root)"
        await pilot.press("j", "j")
        assert _cursor_text(detail) == "status"
        await pilot.press("down", "k")
        assert _cursor_text(detail) == "status"
        await pilot.press("G")
        await pilot.pause()
        assert _cursor_text(detail) == "hostile"  # the last node, never a closing bracket
        await pilot.press("g")
        assert _cursor_text(detail) == "(root)"
        assert view.event_list.cursor == 0


async def test_space_h_l_fold_unfold_and_walk_the_tree(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        detail = await _into_detail(pilot, view)
        tree = detail.json_tree
        assert tree is not None
        await pilot.press("j", "j", "j")  # response
        assert _cursor_text(detail) == "response"
        before = len(tree)
        await pilot.press("space")
        await pilot.pause()
        assert len(tree) < before
        assert any('▸ "response": {…} 2 keys' in line for line in _lines(detail))
        await pilot.press("l")  # unfold
        await pilot.pause()
        assert len(tree) == before
        await pilot.press("l")  # already open: to its first child
        assert _cursor_text(detail) == "response.headers"
        await pilot.press("h")  # a leaf's or open node's h: fold it first
        await pilot.pause()
        assert tree.rows[detail.tree_view.cursor].node.folded
        await pilot.press("h")  # folded: to the parent
        assert _cursor_text(detail) == "response"


async def test_minus_folds_all_and_plus_unfolds_all(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        detail = await _into_detail(pilot, view)
        tree = detail.json_tree
        assert tree is not None
        assert any(row.node.folded for row in tree.rows)  # "fields" (200 keys), "detail"
        await pilot.press("plus")
        await pilot.pause()
        assert not any(row.node.folded for row in tree.rows)
        assert any('"field_199": "value 199"' in line for line in _lines(detail))
        await pilot.press("minus")
        await pilot.pause()
        lines = _lines(detail)
        assert any('▸ "response": {…} 2 keys' in line for line in lines)
        assert any('▸ "fields": {…} 200 keys' in line for line in lines)
        await pilot.press("equals_sign")  # = is + without shift
        await pilot.pause()
        assert not any(row.node.folded for row in tree.rows)


async def test_keys_of_the_list_still_work_when_the_list_has_focus(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        tree = view.detail.json_tree
        assert tree is not None
        rows = len(tree)
        await pilot.press("minus", "space", "plus")  # the tree's keys, on the list: nothing
        await pilot.pause(0.2)
        assert view.detail.json_tree is tree and len(tree) == rows
        await pilot.press("j")  # the list's cursor, not the tree's
        await pilot.pause(0.2)
        assert view.event_list.cursor == 1


async def test_a_5000_key_object_shows_its_shape_at_once(make_app: MakeApp, tmp_path: Path) -> None:
    data = {"response": {f"key_{n}": {"value": n} for n in range(5000)}, "status": 200}
    app = make_app([Source("file", str(_file(tmp_path, data)))])
    async with opened(app, size=(80, 24)) as (pilot, view):
        lines = _lines(view.detail)
        assert any('▸ "response": {…} 5,000 keys' in line for line in lines)
        assert len(lines) == 4  # {, response folded, status, }
        detail = await _into_detail(pilot, view)
        await pilot.press("j", "space")
        await pilot.pause()
        tree = detail.json_tree
        assert tree is not None
        assert len(tree) == 1 + 1 + 5000 * 3 + 1 + 1 + 1
        # Drawn line by line: the pane never renders the whole tree to show a screenful.
        assert detail.tree_view.layout_for(detail.tree_view.size.width).height >= len(tree)


async def test_a_filter_that_matched_in_the_data_is_highlighted_there(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        detail = view.detail
        match, _cursor = detail.marks
        assert view.apply_query("e_backend")
        await pilot.pause(0.3)
        assert detail.highlight is view.rows.highlight  # the pane follows the filter at once
        # Open the folded branch that holds the match and find its drawn segment.
        detail.json_tree.unfold_all()  # type: ignore[union-attr]
        detail.tree_view.rows_changed()
        await pilot.pause()
        view_ = detail.tree_view
        found = []
        for y in range(view_.layout_for(view_.size.width).height):
            for segment in view_.render_line(y):
                if segment.style is not None and segment.style.bgcolor == match.bgcolor:
                    found.append(segment.text)
        assert found == ["E_BACKEND"]
        assert view.apply_query("")  # no filter: no highlight
        await pilot.pause()
        assert not [
            segment
            for y in range(view_.layout_for(view_.size.width).height)
            for segment in view_.render_line(y)
            if segment.style is not None and segment.style.bgcolor == match.bgcolor
        ]


def test_the_line_highlights_what_the_filter_matched() -> None:
    entry = LogEntry.model_validate({"event": {"line": "Lookup failed: HTTP 500"}, "class": "x"})
    match = Style(bgcolor="#ffff00")
    console = Console(width=80, color_system="truecolor")
    segments = [
        segment
        for line in console.render_lines(
            render_head(entry, None, {}, Query.parse('"http 5"'), match), pad=False
        )
        for segment in line
    ]
    marked = [s.text for s in segments if s.style is not None and s.style.bgcolor == match.bgcolor]
    assert "".join(marked) == "HTTP 5"


async def test_markup_and_escape_codes_in_the_data_are_shown_as_text(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(160, 40)) as (pilot, view):
        await pilot.press("z")  # the whole width: the value on one line
        await pilot.pause()
        lines = _lines(view.detail)
        hostile = next(line for line in lines if '"hostile"' in line)
        assert '"[red]not markup[/red] \\x1b[31mred\\x1b[0m"' in hostile
        assert all("\x1b" not in line for line in lines)


async def test_the_sample_calls_hostile_line_stays_text_in_the_detail(
    make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(sample_entries()), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await pilot.press(*"jjjjj")
        await pilot.pause(0.3)
        body = view.detail.query_one("#detail-body")
        text = "".join(
            s.text for strip in body.render_lines(body.region.reset_offset) for s in strip
        )
        assert "[bold]not markup[/bold]" in text and "\\x1b[31mred?" in text


async def test_the_cursor_is_drawn_only_while_the_pane_has_focus(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        detail = view.detail
        _match, cursor = detail.marks

        def cursor_rows() -> int:
            tree_view = detail.tree_view
            return sum(
                1
                for y in range(tree_view.size.height)
                if any(
                    s.style is not None and s.style.bgcolor == cursor.bgcolor
                    for s in tree_view.render_line(y)
                )
            )

        assert cursor_rows() == 0
        await pilot.press("enter", "j")
        await pilot.pause()
        assert cursor_rows() == 2  # the cursor on "url", wrapped over two lines at 120
        await pilot.press("tab")
        await pilot.pause()
        assert cursor_rows() == 0
        assert detail.json_tree is not None
        assert detail.json_tree.rows[detail.tree_view.cursor].kind is RowKind.NODE


@pytest.mark.parametrize("theme", THEMES)
async def test_the_tree_its_cursor_and_matches_are_readable_in_every_theme(
    make_app: MakeApp, tmp_path: Path, theme: str
) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA, line="REST 503")))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        assert view.apply_query("503")
        app.theme = theme  # switched with the tree painted: it must paint it again
        await pilot.press("enter", "j", "j")  # the cursor on "status": 503, a match
        await settle(pilot, app)
        tree_view = view.detail.tree_view
        strips = [tree_view.render_line(y) for y in range(tree_view.size.height)]
        match, _cursor = view.detail.marks
        if match.bgcolor != tree_view.rich_style.bgcolor:  # ANSI themes: reversed, no colour
            marked = [
                s.text
                for strip in strips
                for s in strip
                if s.style and s.style.bgcolor == match.bgcolor
            ]
            assert marked == ["503"]  # in the new theme's colours
        problems = unreadable(strips, theme, f"{theme}, #detail-tree")
        assert not problems, "\n".join(problems[:20])


async def test_a_theme_change_keeps_the_folds_and_the_cursor(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_file(tmp_path, DATA)))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        detail = await _into_detail(pilot, view)
        await pilot.press("j", "j", "j", "space")  # fold "response"
        await pilot.pause()
        app.theme = "nord"
        await settle(pilot, app)
        assert _cursor_text(detail) == "response"
        assert any('▸ "response": {…} 2 keys' in line for line in _lines(detail))
