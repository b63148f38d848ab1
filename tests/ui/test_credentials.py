"""Credentials dialog: masked key, validation, save checkbox, Esc; the key is never shown."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, Static

from fuse_tui.ui.screens.credentials import CredentialsResult, CredentialsScreen
from tests.ui.conftest_screens import ScreenHost

KEY = "s3cret-developer-key"


async def test_enter_email_and_key_then_ok() -> None:
    app = ScreenHost(CredentialsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"me@example.com", "enter")  # Enter moves on to the key
        key_input = app.screen.query_one("#cred-key", Input)
        assert key_input.has_focus and key_input.password
        await pilot.press(*KEY)
        # The key never shows on screen: the input renders bullets.
        assert KEY not in app.export_screenshot()
        await pilot.click("#cred-ok")
        await pilot.pause()
        assert app.result == CredentialsResult("me@example.com", KEY, save=False)


async def test_known_email_starts_on_the_key_and_save_is_returned() -> None:
    app = ScreenHost(CredentialsScreen(email="demo@example.com", config_path="/home/u/.config/x"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#cred-key", Input).has_focus
        assert "/home/u/.config/x" in str(app.screen.query_one("#cred-config", Static).render())
        app.screen.query_one("#cred-save", Checkbox).value = True
        await pilot.press(*KEY, "enter")
        await pilot.pause()
        assert app.result == CredentialsResult("demo@example.com", KEY, save=True)


async def test_missing_values_are_refused_inline() -> None:
    app = ScreenHost(CredentialsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#cred-ok")
        error = app.screen.query_one("#cred-error", Static)
        assert not app.dismissed and error.has_class("-visible")
        assert "e-mail" in str(error.render())
        await pilot.press(*"me@example.com", "enter", "enter")  # key still empty
        assert not app.dismissed and str(error.render()) == "Enter the developer key."


async def test_escape_and_cancel_return_none() -> None:
    for how in ("escape", "cancel"):
        app = ScreenHost(CredentialsScreen(email="a@b.c"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*KEY)
            if how == "escape":
                await pilot.press("escape")
            else:
                await pilot.click("#cred-cancel")
            await pilot.pause()
            assert app.dismissed and app.result is None


def test_the_key_is_not_in_the_repr() -> None:
    result = CredentialsResult("me@example.com", KEY, save=True)
    assert KEY not in repr(result) and KEY not in str(result)
    assert result.developer_key == KEY


def _save_line(app: ScreenHost) -> str:
    """The "save" box and the line under it, as text: what a NO_COLOR terminal shows."""
    box = app.screen.query_one("#cred-save", Checkbox)
    where = app.screen.query_one("#cred-config", Static)
    return f"{box.render()}\n{where.render()}"


async def test_the_save_box_says_its_state_in_words_not_colour() -> None:
    app = ScreenHost(CredentialsScreen(email="a@b.c", config_path="/home/u/.config/x.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ok = app.screen.query_one("#cred-ok", Button)
        unticked = _save_line(app)
        assert unticked.startswith("▐ ▌") and "Don't save" in unticked
        assert "nothing is written" in unticked and str(ok.label) == "OK"
        await pilot.press("tab", "space")  # from the key to the box, then tick it
        await pilot.pause()
        ticked = _save_line(app)
        assert ticked.startswith("▐X▌") and "will be saved to /home/u/.config/x.toml" in ticked
        assert str(ok.label) == "Save and use"
        await pilot.press("space")  # untick: back to exactly what it said before
        await pilot.pause()
        assert _save_line(app) == unticked and str(ok.label) == "OK"
        await pilot.press("shift+tab", *KEY, "enter")
        await pilot.pause()
        assert app.result == CredentialsResult("a@b.c", KEY, save=False)


async def test_without_a_config_file_the_box_says_nothing_is_saved() -> None:
    app = ScreenHost(CredentialsScreen(email="a@b.c"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#cred-save", Checkbox)
        assert box.disabled and "for this run only" in str(box.render())
        await pilot.press(*KEY, "enter")
        await pilot.pause()
        assert app.result == CredentialsResult("a@b.c", KEY, save=False)
