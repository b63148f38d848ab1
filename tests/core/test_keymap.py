"""core.keymap: unknown binding ids and clashes in ``[keymap]`` are found; the rest applies."""

from __future__ import annotations

from fuse_tui.core.keymap import KNOWN_BINDINGS, check_keymap, keys_of


def test_a_valid_keymap_is_used_whole() -> None:
    check = check_keymap({"log.next_error": "w", "main.copy_event": "ctrl+y"})
    assert check.usable == {"log.next_error": "w", "main.copy_event": "ctrl+y"}
    assert check.problems == []


def test_an_unknown_id_is_reported_with_the_closest_known_one() -> None:
    check = check_keymap({"log.nxt_error": "x", "log.time": "T"})
    assert check.usable == {"log.time": "T"}
    (problem,) = check.problems
    assert "log.nxt_error" in problem and "did you mean log.next_error?" in problem


def test_a_key_taken_on_the_same_screen_is_reported_and_not_applied() -> None:
    # The bug this guards against: c -> e on the main screen took e from "next error".
    check = check_keymap({"main.copy_event": "e"})
    assert check.usable == {}
    (problem,) = check.problems
    assert "main.copy_event" in problem and "log.next_error" in problem


def test_a_key_people_type_as_a_character_is_the_same_key() -> None:
    assert keys_of("/, ctrl+s") == {"slash", "ctrl+s"}
    (problem,) = check_keymap({"main.copy_event": "/"}).problems
    assert "log.filter" in problem


def test_an_app_wide_key_clashes_with_every_screen() -> None:
    (problem,) = check_keymap({"calls.reload": "q"}).problems
    assert "app.quit" in problem


def test_moving_the_holder_away_first_frees_its_key() -> None:
    check = check_keymap({"log.next_error": "w", "main.copy_event": "e"})
    assert check.problems == []
    assert check.usable == {"log.next_error": "w", "main.copy_event": "e"}


def test_the_same_key_on_different_screens_is_no_clash() -> None:
    check = check_keymap({"calls.window_next": "e"})  # e is "next error" on the main screen only
    assert check.problems == [] and check.usable == {"calls.window_next": "e"}


def test_the_ui_defaults_alone_raise_nothing() -> None:
    assert check_keymap({bid: keys for bid, keys in KNOWN_BINDINGS.items()}).problems == []


def test_an_entry_with_no_key_is_reported() -> None:
    (problem,) = check_keymap({"log.time": " , "}).problems
    assert "no key" in problem
    assert check_keymap({"log.time": ""}).usable == {}


def test_hostile_text_in_an_entry_is_escaped() -> None:
    (problem,) = check_keymap({"bad\x1b[2J": "x"}).problems
    assert "\x1b" not in problem
