"""The ``[keymap]`` table of the config: binding ids to keys, checked before anything uses it.

The UI's key bindings each carry an id (``log.next_error``, ``main.copy_event``…). A keymap entry
naming an id that does not exist, or putting an action on a key another action of the same screen
already has, used to be accepted silently — and then ``e`` or ``/`` stopped working with no word
why. :func:`check_keymap` finds both; the TUI says them in one notification at start and applies
the rest, ``fuse-tui config show`` lists them.

:data:`KNOWN_BINDINGS` is a plain registry (no textual import, so ``config show`` stays fast); a
test checks it against the bindings the UI really has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from fuse_tui.core.sources import suggest
from fuse_tui.core.textsafe import escape_control

# Binding id -> its default keys, as the UI declares them (comma-separated Textual key names).
KNOWN_BINDINGS: dict[str, str] = {
    "app.help": "question_mark,f1",
    "app.messages": "M",
    "app.quit": "q",
    "archive.back": "escape",
    "archive.reload": "r,f5",
    "archive.search": "slash",
    "calls.back": "escape",
    "calls.credentials": "K",
    "calls.down": "down,j",
    "calls.first": "home,g",
    "calls.last": "end,G",
    "calls.number_filter": "slash",
    "calls.open": "enter",
    "calls.reload": "r,f5",
    "calls.sync_archive": "S",
    "calls.up": "up,k",
    "detail.down": "j,down",
    "detail.up": "k,up",
    "detail.first": "g,home",
    "detail.last": "G,end",
    "detail.toggle": "space",
    "detail.fold": "h,left",
    "detail.unfold": "l,right",
    "detail.fold_all": "minus",
    "detail.unfold_all": "plus,equals_sign",
    "calls.window_next": "w",
    "calls.window_previous": "W",
    "credentials.cancel": "escape",
    "export.cancel": "escape",
    "export.format_next": "right,down",
    "export.format_previous": "left,up",
    "export.submit": "enter",
    "filter.leave": "escape",
    "help.close": "escape,question_mark,f1",
    "list.down": "down,j",
    "list.first": "home,g",
    "list.last": "end,G",
    "list.page_down": "pagedown",
    "list.page_up": "pageup",
    "list.up": "up,k",
    "log.class_debug": "3",
    "log.class_error": "5",
    "log.class_event": "2",
    "log.class_info": "1",
    "log.class_other": "6",
    "log.class_prompt": "4",
    "log.detail_larger": "less_than_sign",
    "log.detail_smaller": "greater_than_sign",
    "log.zoom": "z",
    "main.goto": "at",
    "main.compare": "D",
    "compare.close": "escape",
    "compare.jump": "enter",
    "compare.pick_cancel": "escape",
    "main.story": "i",
    "story.close": "escape,i",
    "goto.cancel": "escape",
    "log.utc": "Z",
    "log.focus_detail": "enter",
    "log.detail_view": "v",
    "log.filter": "slash",
    "log.hide_mode": "f",
    "log.module": "m",
    "log.mark": "x",
    "log.next_mark": "u",
    "log.prev_mark": "U",
    "log.clear_marks": "X",
    "log.next_error": "e",
    "log.next_match": "n",
    "log.prev_error": "E",
    "log.prev_match": "N",
    "log.switch_pane": "tab",
    "log.time": "t",
    "main.archive": "a",
    "main.calls_browser": "b",
    "main.cancel": "escape",
    "main.close_tab": "ctrl+w",
    "main.copy_event": "c",
    "main.copy_event_redacted": "R",
    "main.copy_line": "y",
    "main.copy_log": "C",
    "main.copy_raw_line": "Y",
    "main.copy_session": "s",
    "main.credentials": "K",
    "main.export": "ctrl+s",
    "main.next_tab": "right_square_bracket",
    "main.open_file": "o",
    "main.prev_tab": "left_square_bracket",
    "main.retry": "r",
    "main.session": "colon",
    "messages.close": "escape,q,M",
    "open_file.cancel": "escape",
    "open_file.complete": "tab",
    "open_file.parent": "backspace",
}

# Which screen a binding acts on, by its id's prefix. App bindings act on every screen; the log
# view's, the event list's and the filter bar's live on the main screen.
SCOPE_OF_PREFIX: dict[str, str] = {
    "app": "*",
    "main": "main",
    "log": "main",
    "list": "main",
    "detail": "main",
    "filter": "main",
    "calls": "calls",
    "archive": "archive",
    "messages": "messages",
    "open_file": "open_file",
    "goto": "goto",
    "story": "story",
    "export": "export",
    "credentials": "credentials",
    "help": "help",
    "compare": "compare",
}

# Characters people type in a config for keys Textual names (``/`` is ``slash``).
KEY_ALIASES: dict[str, str] = {
    "/": "slash",
    "?": "question_mark",
    ":": "colon",
    "@": "at",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "<": "less_than_sign",
    ">": "greater_than_sign",
    " ": "space",
}


@dataclass
class KeymapCheck:
    """The entries that can be applied, and one sentence per entry that cannot."""

    usable: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def scope_of(binding_id: str) -> str:
    return SCOPE_OF_PREFIX.get(binding_id.split(".", 1)[0], binding_id)


def keys_of(spec: str) -> set[str]:
    """``"ctrl+s, /"`` → ``{"ctrl+s", "slash"}``."""
    keys = (part.strip() for part in spec.split(","))
    return {KEY_ALIASES.get(key, key) for key in keys if key}


def check_keymap(keymap: Mapping[str, str]) -> KeymapCheck:
    """Split ``keymap`` into the usable entries and the problems (unknown ids, clashes).

    A clash is a remapped binding landing on a key that another binding of the same screen (or
    an app-wide one) has after the keymap: the remapped entry is not applied, so the action
    that had the key keeps it. Keys shared by the UI's own defaults (Escape on nested widgets)
    are by design and never reported.
    """
    check = KeymapCheck()
    known: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        shown = escape_control(str(binding_id))
        if binding_id not in KNOWN_BINDINGS:
            close = suggest(str(binding_id), KNOWN_BINDINGS)
            hint = f" (did you mean {close}?)" if close else ""
            check.problems.append(f"[keymap] {shown}: no such binding{hint}; it is ignored.")
        elif not keys_of(str(keys)):
            check.problems.append(f"[keymap] {shown}: no key given; it is ignored.")
        else:
            known[binding_id] = str(keys)
    effective = {bid: keys_of(known.get(bid, default)) for bid, default in KNOWN_BINDINGS.items()}
    for binding_id, spec in known.items():
        if effective[binding_id] == keys_of(KNOWN_BINDINGS[binding_id]):
            check.usable[binding_id] = spec  # the default restated: nothing moves
            continue
        clashes = sorted(
            other
            for other, other_keys in effective.items()
            if other != binding_id
            and _same_screen(binding_id, other)
            and effective[binding_id] & other_keys
        )
        if clashes:
            key = ", ".join(
                sorted(effective[binding_id] & set().union(*(effective[c] for c in clashes)))
            )
            check.problems.append(
                f"[keymap] {binding_id} = {escape_control(spec)!r}: {key} is already "
                f"{' and '.join(clashes)} on the same screen; it is ignored."
            )
        else:
            check.usable[binding_id] = spec
    return check


def _same_screen(one: str, other: str) -> bool:
    first, second = scope_of(one), scope_of(other)
    return first == second or "*" in (first, second)
