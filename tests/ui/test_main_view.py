"""The main view: file mode, list rendering, navigation, filter, time modes, tabs, layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TabbedContent

from fuse_tui.ui.rows import TimeMode
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.call_header import CallHeader
from fuse_tui.ui.widgets.event_detail import EventDetail
from fuse_tui.ui.widgets.event_list import EventList
from tests.ui.conftest import MakeApp, big_entries, opened, row_texts, sample_entries, settle


async def test_file_opens_with_header_rows_and_detail(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and len(view.rows) == 10
        header = str(view.query_one(CallHeader).render())
        assert "billing ivr" in header and "v3.1" in header
        assert "error 2" in header and "10 events" in header
        rows = row_texts(app)
        assert "Executing application" in rows[0]
        assert rows[0].lstrip().startswith("20:46:40")  # CALL_START in UTC
        assert isinstance(app.focused, EventList)
        detail = app.main.query_one(EventDetail)
        assert detail.entry is view.rows.entry(0)


async def test_keys_move_the_cursor_and_the_detail_follows(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        event_list = view.event_list
        await pilot.press("j", "j", "down")
        assert event_list.cursor == 3
        await pilot.press("k")
        assert event_list.cursor == 2
        await pilot.press("G")
        assert event_list.cursor == 9
        await pilot.press("g")
        assert event_list.cursor == 0
        await pilot.press("end")
        assert event_list.cursor == 9
        await pilot.press("home", "pagedown")
        assert event_list.cursor > 0
        await pilot.pause(0.2)  # while keys repeat, the detail catches up when the cursor rests
        assert view.detail.entry is view.rows.entry(event_list.cursor)
        # A click selects the row under the pointer.
        await pilot.click(EventList, offset=(5, 4))
        assert event_list.cursor == 4


async def test_next_and_previous_error(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await pilot.press("e")
        assert view.event_list.cursor == 4
        await pilot.press("e")
        assert view.event_list.cursor == 7
        await pilot.press("e")  # no more: stays
        assert view.event_list.cursor == 7
        await pilot.press("E")
        assert view.event_list.cursor == 4


async def test_time_column_cycles_clock_offset_delta(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        assert row_texts(app)[7].split()[0] == "20:47:55"
        await pilot.press("t")
        assert view.event_list.time_mode is TimeMode.OFFSET
        assert row_texts(app)[7].split()[0] == "+1:15"
        await pilot.press("t")
        assert view.event_list.time_mode is TimeMode.DELTA
        assert row_texts(app)[7].split()[0] == "+1:02"
        await pilot.press("t")
        assert view.event_list.time_mode is TimeMode.CLOCK


async def test_markup_and_escapes_in_a_log_line_show_literally(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot, app)
        row = row_texts(app)[5]
        assert "[bold]not markup[/bold]" in row
        assert "\\x1b[31mred?" in row and "\\n" in row
        assert "\x1b" not in row
        await pilot.press("j", "j", "j", "j", "j")
        await pilot.pause()
        body = app.main.query_one("#detail-body").render()
        assert "[bold]not markup[/bold]" in str(body) or body is not None


async def test_filter_substring_invert_regex_and_invalid(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await pilot.press("slash", *"FAIL", "enter")
        await pilot.pause()
        assert len(view.rows) == 2  # "Lookup failed", "Second failure"
        header = str(view.query_one(CallHeader).render())
        assert "showing 2 of 10" in header
        assert isinstance(app.focused, EventList)

        assert view.apply_query("!fail")
        assert len(view.rows) == 8
        assert view.apply_query("re:^(Exit|Discon)")
        assert [e.event.line for e in view.visible_entries()] == [
            "Exiting application",
            "Disconnecting call",
        ]
        assert not view.apply_query("re:(")
        assert view.query_error and "invalid regular expression" in view.query_error
        assert len(view.rows) == 2  # the previous filter is kept
        assert view.apply_query("")
        assert len(view.rows) == 10


async def test_filter_highlights_and_mark_mode_navigates(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        view.apply_query("agent")
        await pilot.press("f")  # mark mode: nothing hidden, n/N jump between matches
        assert len(view.rows) == 10 and not view.hide
        assert "2 of 10 match" in str(view.query_one("#filter-state").render())
        await pilot.press("g", "n")
        assert view.event_list.cursor == 6
        await pilot.press("n")
        assert view.event_list.cursor == 7
        await pilot.press("N")
        assert view.event_list.cursor == 6
        # The match is its own segment, painted differently from the text around it.
        await pilot.press("j")
        segments = list(view.event_list.render_line(6))
        marked = [s for s in segments if s.text.lower() == "agent"]
        assert len(marked) == 1
        before = segments[segments.index(marked[0]) - 1]
        assert marked[0].style != before.style


async def test_class_toggles_and_module_filter(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await pilot.press("1")  # hide info
        assert all(e.kind != "info" for e in view.visible_entries())
        await pilot.press("1", "5")  # show info again, hide error
        assert all(e.kind != "error" for e in view.visible_entries())
        assert len(view.rows) == 8
        await pilot.press("5", "G", "m")  # module of the last event: exit
        assert {e.event.module_type for e in view.visible_entries()} == {"exit"}
        await pilot.press("m")
        assert len(view.rows) == 10


async def test_all_logs_dump_opens_one_tab_per_call(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    dump = {
        "calls": [
            {
                "session_id": f"300060;00{n};1764190000",
                "src": "1",
                "dest": "2",
                "start": "1",
                "end": "2",
                "detail": sample_entries()[: 3 + n],
            }
            for n in range(3)
        ]
    }
    path = tmp_path / "all.json"
    path.write_text(json.dumps(dump), encoding="utf-8")
    app = make_app([Source("file", str(path)), Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        tabs = app.main.query_one(TabbedContent)
        assert tabs.tab_count == 4
        sizes = sorted(len(v.rows.entries) for v in app.main.views())
        assert sizes == [3, 4, 5, 10]
        call_view = next(v for v in app.main.views() if v.call_log.session_id)
        assert "1 → 2" in str(call_view.query_one(CallHeader).render())  # src → dest from meta
        assert not tabs.has_class("-single")
        first = tabs.active
        await pilot.press("right_square_bracket")
        assert tabs.active != first
        await pilot.press("left_square_bracket")
        assert tabs.active == first
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert tabs.tab_count == 3


async def test_narrow_terminal_puts_the_detail_below(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.main.has_class("-narrow")
        event_list = app.main.query_one(EventList)
        detail = app.main.query_one(EventDetail)
        assert detail.region.y > event_list.region.y
        assert detail.region.width == event_list.region.width
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        event_list = app.main.query_one(EventList)
        detail = app.main.query_one(EventDetail)
        assert detail.region.x > event_list.region.x
        assert detail.region.y == event_list.region.y


async def test_detail_toggles_raw_json_and_xml(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        detail = app.main.query_one(EventDetail)
        await pilot.press("j", "v")  # from the list: no need to focus the pane first
        assert detail.view.value == "json"
        await pilot.press("v")
        assert detail.view.value == "xml"
        await pilot.press("v")
        assert detail.view.value == "pretty"


async def test_broken_file_shows_an_inline_error(make_app: MakeApp, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"event": ', encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert app.main.active_view is None
        assert app.main.last_error and "broken.json" in app.main.last_error
        assert app.main.query_one("#message").display


async def test_big_log_opens_and_filters(make_app: MakeApp, tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big_entries(20_000)), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and len(view.rows) == 20_000
        await pilot.press("G")
        assert view.event_list.cursor == 19_999
        assert "line 19999" in row_texts(app)[-1] or view.event_list.scroll_offset.y > 0
        assert view.apply_query("fail")
        assert len(view.rows) == len([i for i in range(20_000) if i % 97 == 0])


async def test_no_color_keeps_cursor_and_errors_visible(
    make_app: MakeApp, sample_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.no_color
        event_list = app.main.query_one(EventList)
        assert event_list.get_component_rich_style("event-list--cursor").reverse
        assert event_list.get_component_rich_style("event-list--badge-error").reverse
        assert event_list.get_component_rich_style("event-list--match").underline


async def test_history_feeds_the_session_suggestions(make_app: MakeApp, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "history.json").write_text(json.dumps(["300060;001;1529552581"]), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        session_input = app.main.query_one("#session-input", Input)
        session_input.focus()
        await pilot.press("3", "0", "0")
        await pilot.pause()
        assert session_input._suggestion == "300060;001;1529552581"


async def test_a_filter_that_hides_everything_says_so(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        assert view.apply_query("no such text anywhere")
        await pilot.pause()
        assert len(view.rows) == 0
        first = "".join(s.text for s in view.event_list.render_line(0))
        assert "No event passes the filter" in first
        assert view.detail.entry is None


async def test_fast_typing_after_slash_lands_in_the_filter(
    make_app: MakeApp, sample_file: Path
) -> None:
    """A burst like "/re:(" (paste, fast typist, tmux send-keys) all reaches the input."""
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        for key, char in [("slash", "/"), ("e", "e"), ("x", "x"), ("colon", ":"), ("i", "i")]:
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
        assert app.main.query_one("#filter-input", Input).value == "ex:i"
        view = app.main.active_view
        assert view is not None and view.event_list.cursor == 0  # "e" was not "next error"


async def test_a_call_of_ten_hours_or_more_keeps_the_columns_aligned(
    make_app: MakeApp, tmp_path: Path
) -> None:
    start = 1_700_000_000
    entries = [
        {"event": {"line": f"step {n}", "data": {}}, "class": "info", "timestamp": start + offset}
        for n, offset in enumerate((0, 5, 11 * 3600 + 62))
    ]
    dump = tmp_path / "long-call.json"
    dump.write_text(json.dumps(entries))
    app = make_app([Source("file", str(dump))])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        for presses, last_time in ((1, "+11:01:02"), (1, "+11:00:57")):
            await pilot.press(*["t"] * presses)
            rows = row_texts(app)
            assert rows[2].split()[0] == last_time
            # The badge ("info") and the line start in the same cell on every row.
            assert len({row.index("info") for row in rows}) == 1
            assert len({row.index("step") for row in rows}) == 1


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_the_help_key_is_in_the_footer_at_every_width(
    make_app: MakeApp, sample_file: Path, width: int
) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot, app)
        help_key = next(k for k in app.main.query(FooterKey) if k.key == "question_mark")
        # Wholly on screen: the roomy footer used to push it past the right edge under 110.
        assert help_key.region.width > 0 and help_key.region.right <= width
