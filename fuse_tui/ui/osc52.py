"""Write OSC 52 (and other raw sequences) straight to the app's terminal."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App


def terminal_writer(app: App[object]) -> Callable[[str], None]:
    """A writer for :func:`fuse_tui.core.clipboard.copy_text` that goes through Textual's driver.

    The driver is looked up at call time (it exists only while the app runs). Without one the
    writer raises ``OSError`` so ``copy_text`` reports honestly that OSC 52 was not sent, instead
    of claiming a copy that never happened.
    """

    def write(sequence: str) -> None:
        # Private (textual <9 pinned for it): the public copy_to_clipboard writes nothing and
        # says nothing without a driver, and a copy that never happened must not be claimed.
        driver = getattr(app, "_driver", None)
        if driver is None:
            raise OSError("no terminal attached")
        driver.write(sequence)

    return write
