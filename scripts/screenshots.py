"""Regenerate the README's screenshots: ``make screenshots`` (SVG from Textual → PNG via cairosvg).

Each shot runs the real app headless against the bundled sample call or the in-process emulator
(demo account), so the pictures show what a user sees. Fira Code is used when installed
(Debian: ``fonts-firacode``); otherwise the system monospace font.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# What most terminals are: without it Rich takes TERM=xterm for 16 colours and the list switches
# to its VGA badges, which is not what the README should show.
os.environ.setdefault("COLORTERM", "truecolor")

from pydantic import SecretStr  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from fuse_tui.core.service import FuseService  # noqa: E402
from fuse_tui.core.settings import Settings  # noqa: E402
from fuse_tui.emulator import EmulatorConfig, EmulatorServer  # noqa: E402
from fuse_tui.ui.app import FuseApp  # noqa: E402
from fuse_tui.ui.config import UiConfig  # noqa: E402
from fuse_tui.ui.screens.main import Source  # noqa: E402

OUT = ROOT / "screenshots"
SAMPLE = ROOT / "tests" / "ui" / "data" / "sample_call.json"
EMAIL, KEY = "demo@example.com", "demo-key"

Steps = Callable[[Pilot[Any], FuseApp], Awaitable[None]]


async def settle(pilot: Pilot[Any], app: FuseApp) -> None:
    for _ in range(3):
        for worker in list(app.workers):
            with contextlib.suppress(Exception):
                await worker.wait()
        await pilot.pause(0.2)


async def shot(name: str, app: FuseApp, size: tuple[int, int], steps: Steps) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        await steps(pilot, app)
        await settle(pilot, app)
        app.clear_notifications()
        await pilot.pause(0.2)
        svg = app.export_screenshot(title=f"fuse-tui — {name}")
    (OUT / f"{name}.svg").write_text(svg, encoding="utf-8")
    import cairosvg  # type: ignore[import-untyped]

    cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(OUT / f"{name}.png"))
    (OUT / f"{name}.svg").unlink()
    print(f"screenshots/{name}.png")


def keys(*pressed: str) -> Steps:
    async def run(pilot: Pilot[Any], app: FuseApp) -> None:
        await pilot.press(*pressed)
        await pilot.pause(0.3)

    return run


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    server = EmulatorServer(EmulatorConfig(accounts={EMAIL: KEY}))
    server.start()
    try:

        def service(key: str) -> FuseService:
            return FuseService(
                Settings(
                    base_url=server.base_url,
                    email=EMAIL,
                    developer_key=SecretStr(key),
                    archive_enabled=False,
                )
            )

        with_log = [c.session_id for c in server.calls_for(EMAIL) if c.log]
        live = with_log[0]
        # The fetched shot shows a call that went wrong: its errors are what people look for.
        failing = next((s for s in with_log if b'"error"' in server.raw_call(EMAIL, s)), live)

        def sample() -> FuseApp:
            return FuseApp(UiConfig(), [Source("file", str(SAMPLE))])

        await shot("main", sample(), (120, 32), keys("j", "j", "j"))
        await shot("error-detail", sample(), (120, 32), keys("e"))
        await shot("filter", sample(), (120, 32), keys("slash", *"agent", "enter"))
        await shot("small-80x24", sample(), (80, 24), keys("j"))
        await shot(
            "fetched",
            FuseApp(sources=[Source("session", failing)], service=service(KEY)),
            (120, 32),
            keys("e"),
        )

        async def wrong_key(pilot: Pilot[Any], app: FuseApp) -> None:
            app.main.query_one("#session-input", Input).value = live
            await pilot.press("enter")

        await shot("error-401", FuseApp(service=service("nope")), (100, 24), wrong_key)
        browser = FuseApp(UiConfig(open_browser=True), service=service(KEY))
        await shot("calls-browser", browser, (120, 32), keys())
        await shot("help", sample(), (120, 40), keys("question_mark"))
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
