"""The Archive screen's statistics line and its chart of calls and errors over time (Pilot)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Sparkline, Static

from fuse_tui.core.archive import Archive
from fuse_tui.core.archive.stats import HourBucket
from fuse_tui.ui.screens.archive import ArchiveScreen
from fuse_tui.ui.widgets.activity_chart import ActivityChart
from tests.archive.conftest import answer_from
from tests.archive.test_archive_screen import Host
from tests.archive.test_stats import HOUR, T, call


def fill(archive: Archive) -> None:
    archive.store(call("Billing", "1.2", T, 5, ["timeout after 3012 ms"]), "a", {"start": T})
    archive.store(
        call("Billing", "1.3", T + HOUR, 7, ["timeout after 2990 ms"]), "b", {"start": T + HOUR}
    )
    archive.store(call("Survey", "2.0", T + 2 * HOUR, 3, []), "c", {"start": T + 2 * HOUR})


async def settle(pilot: Any) -> None:
    # The list, then the statistics of what it lists: two workers one after the other.
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def stats_text(app: Any) -> str:
    return str(app.screen.query_one("#archive-stats", Static).render())


async def test_the_stats_line_and_the_chart_describe_the_listed_calls(archive: Archive) -> None:
    fill(archive)
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert (
            stats_text(app) == "3 calls · 66.7% with errors · slowest: rest (lookup) 5 s, p95 7 s"
        )
        chart = app.screen.query_one(ActivityChart)
        assert chart.display
        assert chart.buckets == [
            HourBucket(T, 1, 1),
            HourBucket(T + HOUR, 1, 1),
            HourBucket(T + 2 * HOUR, 1, 0),
        ]
        assert list(app.screen.query_one("#chart-calls", Sparkline).data or []) == [1, 1, 1]
        assert list(app.screen.query_one("#chart-errors", Sparkline).data or []) == [1, 1, 0]
        assert str(app.screen.query_one("#chart-calls-peak", Static).render()) == "1-1 per hour"
        assert str(app.screen.query_one("#chart-errors-peak", Static).render()) == "0-1 per hour"
        assert "→" in str(app.screen.query_one("#chart-range", Static).render())


async def test_a_search_narrows_the_stats_to_the_matching_calls(archive: Archive) -> None:
    fill(archive)
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Survey", "enter")
        await settle(pilot)
        assert stats_text(app).startswith("1 call · 0.0% with errors · slowest: ")
        assert app.screen.query_one(ActivityChart).buckets == [HourBucket(T + 2 * HOUR, 1, 0)]


async def test_an_empty_archive_shows_no_stats_and_no_chart(archive: Archive) -> None:
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#archive-stats", Static).display
        assert not app.screen.query_one(ActivityChart).display


async def test_at_80_by_24_the_chart_fits_and_the_table_keeps_room(archive: Archive) -> None:
    fill(archive)
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArchiveScreen)
        for widget in screen.query("ActivityChart *"):
            assert widget.region.right <= 80
        table = screen.query_one("#archive-table")
        assert table.region.height >= 10


async def test_hostile_stats_text_is_shown_escaped(archive: Archive) -> None:
    hostile = call("x", "1", T, 5, []).raw.replace(b'"rest"', b'"\\u001b[31mrest"')
    archive.store(answer_from(hostile), "a", {"start": T})
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = stats_text(app)
        assert "\x1b" not in text and "\\x1b[31mrest (lookup)" in text


async def test_reload_recounts_a_call_that_was_fetched_again(archive: Archive) -> None:
    fill(archive)
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        archive.store(
            call("Survey", "2.0", T + 2 * HOUR, 3, ["late error 1"]), "c", {"start": T + 2 * HOUR}
        )
        await pilot.press("r")
        await settle(pilot)
        assert stats_text(app).startswith("3 calls · 100.0% with errors")


async def test_the_chart_buckets_follow_its_width_after_a_resize(archive: Archive) -> None:
    for hour in range(120):  # five days: more hours than an 80-column chart has columns
        archive.store(
            call("Billing", "1", T + hour * HOUR, 5, []), f"h{hour}", {"start": T + hour * HOUR}
        )
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one(ActivityChart)
        narrow = chart.hours_per_bucket
        columns = app.screen.query_one("#chart-calls", Sparkline).size.width
        assert narrow > 1 and len(chart.buckets) <= columns
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        wide = app.screen.query_one("#chart-calls", Sparkline).size.width
        assert wide > columns
        assert chart.hours_per_bucket < narrow and len(chart.buckets) <= wide
