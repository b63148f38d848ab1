"""Copy keys never put terminal control on the clipboard unless asked (Y), in one short toast."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from fuse_tui.ui.commands import COMMANDS
from fuse_tui.ui.screens.help import bindings_help
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import FakePyperclip, MakeApp, entry, last_message, settle

HOSTILE = "paid \x1b]0;pwned\x07 \x1b[31mred\x1b[0m \x9b2J done\r\ttab\nnext line"


def _hostile_file(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(
        json.dumps([entry(HOSTILE, "info", 1_764_190_000, "set", "v", note="\x9b\u202ex")]),
        encoding="utf-8",
    )
    return path


def _has_control(text: str) -> bool:
    return any((ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F for ch in text)


async def test_y_copies_the_escaped_line_and_shift_y_the_raw_one(
    make_app: MakeApp, tmp_path: Path
) -> None:
    clip = FakePyperclip()
    osc: list[str] = []
    app = make_app([Source("file", str(_hostile_file(tmp_path)))], pyperclip=clip, osc52=osc)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("y")
        copied = clip.copied[-1]
        assert not _has_control(copied)
        assert copied == (
            "paid \\x1b]0;pwned\\x07 \\x1b[31mred\\x1b[0m \\x9b2J done\\r\ttab\nnext line"
        )
        assert "escaped line" in last_message(app) and "Y copies it raw" in last_message(app)

        await pilot.press("Y")
        assert clip.copied[-1] == HOSTILE
        assert "raw line" in last_message(app)


async def test_a_plain_line_is_copied_as_is_with_no_escaping_note(
    make_app: MakeApp, sample_file: Path
) -> None:
    clip = FakePyperclip()
    app = make_app([Source("file", str(sample_file))], pyperclip=clip)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("y")
        assert clip.copied[-1].startswith('Executing application "billing ivr"')
        assert "escaped" not in last_message(app)


async def test_copy_event_and_log_are_json_with_every_control_character_escaped(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """c and C copy JSON: escaping is part of the format, so the data survives whole."""
    clip = FakePyperclip()
    app = make_app([Source("file", str(_hostile_file(tmp_path)))], pyperclip=clip)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("c")
        event_json = clip.copied[-1]
        assert not _has_control(event_json.replace("\n", ""))
        assert "\u202e" not in event_json
        assert json.loads(event_json)["event"]["line"] == HOSTILE  # nothing lost
        await pilot.press("C")
        await settle(pilot, app)
        log_json = clip.copied[-1]
        assert not _has_control(log_json.replace("\n", "")) and "\u202e" not in log_json
        assert json.loads(log_json)[0]["event"]["data"]["note"] == "\x9b\u202ex"


async def test_copy_toast_is_one_or_two_lines(make_app: MakeApp, sample_file: Path) -> None:
    for available in (True, False):
        app = make_app(
            [Source("file", str(sample_file))], pyperclip=FakePyperclip(available), osc52=[]
        )
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot, app)
            for key in ("y", "c", "s"):
                await pilot.press(key)
                message = last_message(app)
                assert len(textwrap.wrap(message, 56)) <= 2, message
            await pilot.press("y")
            assert "the line (" in last_message(app)  # what, and how much


async def test_raw_copy_is_in_help_and_the_palette(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        rows = [row for _title, group in bindings_help(app) for row in group]
        assert any(key == "Y" and "raw" in text for key, text in rows), rows
        assert any(action == "copy_raw_line" for action, _t, _h in COMMANDS)
        assert hasattr(app, "action_copy_raw_line")
