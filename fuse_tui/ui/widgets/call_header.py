"""One or two lines summing up the call: application, session, times, counts, filter state."""

from __future__ import annotations

import re
from collections import Counter

from textual.content import Content
from textual.widgets import Static

from fuse_tui.core.entries import field_views
from fuse_tui.core.model import KNOWN_CLASSES, CallLog
from fuse_tui.core.plural import plural
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import format_timestamp, seconds_between

# A theme variable, not "dim": dim halves a theme's own foreground, which in the low-contrast
# themes (solarized) left too little; $text-muted contrasts with whatever is beneath it.
MUTED = "$text-muted"

_START = re.compile(r'Executing application "(?P<name>.*)" version "(?P<version>.*)"')


def application_of(log: CallLog) -> tuple[str, str] | None:
    """``(name, version)`` from the start entry, when the log has one near its beginning."""
    for entry in field_views(log.entries[:50]):  # no model built (a header update each piece)
        match = _START.match(entry.event.line or "")
        if match:
            return match.group("name"), match.group("version")
    return None


def _file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def summary_text(
    log: CallLog,
    counts: Counter[str],
    shown: int,
    total: int,
    span: tuple[int | None, int | None] | None = None,
    status: str | None = None,
    alert: bool = False,
) -> Content:
    """The header's content (pure, for tests; ``str()`` of it is the plain text).

    Most useful first, so a narrow terminal cuts the least useful: line 1 is the application,
    times and duration, then the session id (also in the tab and the session bar); line 2 is
    how many events are shown, the error count, then the other classes. ``status`` (still
    loading, searching, read only in part) comes first on line 2; ``alert`` marks it a problem.
    """
    parts: list[str | tuple[str, str]] = []
    app = application_of(log)
    if app:
        parts.append((escape_control(app[0]), "bold"))
        parts.append((f" v{escape_control(app[1])}", MUTED))
    else:
        parts.append(("(no start entry)", MUTED))
    first, last = span if span is not None else (log.first_timestamp, log.last_timestamp)
    if first is not None and last is not None:
        start = format_timestamp(first)
        # The end's date too when it is another day (a call across midnight).
        same_day = format_timestamp(first, "%Y-%m-%d") == format_timestamp(last, "%Y-%m-%d")
        end = format_timestamp(last, "%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S")
        duration = format_duration(seconds_between(first, last), missing="?")
        parts.append(f"  {start} → {end} ({duration})")
    parts.append("  ")
    parts.append(escape_control(log.session_id or _file_name(log.source) or "no session id"))
    src, dest = log.meta.get("src"), log.meta.get("dest")
    if src or dest:
        parts.append(f"  {escape_control(str(src or '?'))} → {escape_control(str(dest or '?'))}")
    parts.append("\n")
    if status:
        parts.append((escape_control(status), "bold reverse" if alert else "bold"))
        parts.append("  ")
    if shown != total:
        parts.append((f"showing {shown:,} of {total:,}", "bold"))
    else:
        parts.append(plural(total, "event"))
    errors = counts.get("error", 0)
    parts.append("  ")
    parts.append((f"error {errors:,}", "bold reverse" if errors else MUTED))
    for name in (*KNOWN_CLASSES, *sorted(set(counts) - set(KNOWN_CLASSES))):
        count = counts.get(name, 0)
        if name == "error" or (not count and name not in KNOWN_CLASSES):
            continue
        parts.append((f"  {escape_control(name)} {count:,}", "" if count else MUTED))
    return Content.assemble(*parts)


class CallHeader(Static):
    """Summary line of the shown call."""

    def __init__(
        self,
        log: CallLog,
        counts: Counter[str],
        span: tuple[int | None, int | None],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.call_log = log
        self.counts = counts
        self.span = span
        self.status: str | None = None
        self.alert = False
        self._shown = self._total = len(log.entries)
        self._text: object = None  # what the header shows

    def on_mount(self) -> None:
        self.set_counts(len(self.call_log.entries), len(self.call_log.entries))

    def set_counts(self, shown: int, total: int) -> None:
        self._shown, self._total = shown, total
        text = summary_text(
            self.call_log, self.counts, shown, total, self.span, self.status, self.alert
        )
        if text != self._text:
            self._text = text
            # Its size is fixed (two lines, app.tcss), whatever it says: no layout of the whole
            # screen, which would paint every widget again (each piece of a loading log).
            self.update(text, layout=False)

    def set_status(self, status: str | None, *, alert: bool = False) -> None:
        """What the header says before the counts: ``loading… 412,000 entries``, or why the
        log is shown only in part (None: nothing)."""
        self.status, self.alert = status, alert
        self.set_counts(self._shown, self._total)
