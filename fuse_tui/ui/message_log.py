"""The app's recent notifications, kept so a toast that vanished can still be read.

A toast lasts a few seconds; a failed fetch or open the user did not see would otherwise be
lost. The app records every notification here (time, severity, title, text) and the messages
screen shows them. In memory only, for the run: messages may quote paths and server text that
have no business in a file.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from rich.errors import MarkupError
from rich.text import Text

MAX_MESSAGES = 50


@dataclass(frozen=True)
class LoggedMessage:
    at: float  # epoch seconds
    severity: str  # "information" | "warning" | "error"
    title: str
    text: str  # plain text: markup already resolved, never to be parsed again


def _plain(message: str, markup: bool) -> str:
    """The words a toast showed: app-written markup resolved, a markup-free message as is."""
    if not markup:
        return message
    try:
        return Text.from_markup(message).plain
    except MarkupError:  # what Textual would have shown raw too
        return message


class MessageLog:
    """The last :data:`MAX_MESSAGES` notifications, oldest first; safe to add from a thread
    (``App.notify`` is called from workers)."""

    def __init__(self, clock: Callable[[], float] = time.time, size: int = MAX_MESSAGES) -> None:
        self._clock = clock
        self._items: deque[LoggedMessage] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, message: str, *, severity: str, title: str = "", markup: bool = True) -> None:
        entry = LoggedMessage(self._clock(), severity, title, _plain(message, markup))
        with self._lock:
            self._items.append(entry)

    def items(self) -> list[LoggedMessage]:
        """Oldest first."""
        with self._lock:
            return list(self._items)

    def __len__(self) -> int:
        return len(self._items)
