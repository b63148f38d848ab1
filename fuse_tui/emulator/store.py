"""The calls each account can see, and the answers the three endpoints give about them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fuse_tui.emulator.builder import StoredCall
from fuse_tui.emulator.config import LOG_RETENTION_SECONDS, EmulatorConfig
from fuse_tui.emulator.encoding import encode, error_json, error_xml
from fuse_tui.emulator.fixtures import load_fixtures
from fuse_tui.emulator.generator import generate_calls
from fuse_tui.emulator.samples import sample_calls

NOT_FOUND_MESSAGE = "No call log was found."
EXPIRED_MESSAGE = "There are no call log details available for this call."
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    fmt: str


def error_answer(status: int, message: str, fmt: str) -> Answer:
    return Answer(status, error_xml(message) if fmt == "xml" else error_json(message), fmt)


def clamp_limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    return min(MAX_LIMIT, max(1, int(raw)))


class CallStore:
    def __init__(self, config: EmulatorConfig, clock: Callable[[], float] | None = None) -> None:
        fixed = config.now
        self.clock: Callable[[], float] = clock or (
            (lambda: float(fixed)) if fixed is not None else time.time
        )
        anchor = int(self.clock())
        emails = list(config.accounts)
        self._calls: dict[str, list[StoredCall]] = {email: [] for email in emails}
        if config.fixtures_dir is not None:
            for email, calls in load_fixtures(config.fixtures_dir, emails).items():
                self._calls[email].extend(calls)
        elif config.samples:
            for index, email in enumerate(emails):
                self._calls[email].extend(sample_calls(anchor, index))
        for index, email in enumerate(emails):
            self._calls[email].extend(
                generate_calls(
                    config.generated_calls, seed=config.seed, anchor=anchor, account_index=index
                )
            )
        for calls in self._calls.values():
            calls.sort(key=lambda call: (call.start, call.session_id))
        self._by_id = {
            email: {call.session_id: call for call in calls} for email, calls in self._calls.items()
        }

    # -- lookups -------------------------------------------------------------------------------
    def calls(self, email: str) -> list[StoredCall]:
        return list(self._calls.get(email, []))

    def find(self, email: str, session_id: str) -> StoredCall | None:
        return self._by_id.get(email, {}).get(session_id)

    def log_available(self, call: StoredCall) -> bool:
        return self.clock() - call.start <= LOG_RETENTION_SECONDS

    def _window(self, email: str, start: int, end: int, number: str | None) -> list[StoredCall]:
        wanted = "".join(ch for ch in number if ch.isdigit()) if number else None
        return [
            call
            for call in self._calls.get(email, [])
            if start <= call.start < end and (wanted is None or wanted in (call.dest, call.src))
        ]

    # -- answers -------------------------------------------------------------------------------
    def call_log(self, email: str, session_id: str, fmt: str) -> Answer:
        call = self.find(email, session_id)
        if call is None:
            return error_answer(404, NOT_FOUND_MESSAGE, fmt)
        if not self.log_available(call):
            # The status of this answer is not documented [guess: 404].
            return error_answer(404, EXPIRED_MESSAGE, fmt)
        return Answer(200, self.raw_log(call, fmt), fmt)

    def raw_log(self, call: StoredCall, fmt: str) -> bytes:
        if fmt in call.raw:
            return call.raw[fmt]
        return encode(call.entries, fmt)

    def call_list(
        self,
        email: str,
        start: int,
        end: int,
        offset: int,
        limit: int,
        number: str | None,
        fmt: str,
    ) -> Answer:
        matches = self._window(email, start, end, number)
        page = matches[offset : offset + limit]
        value: dict[str, Any] = {
            "calls": [call.summary(self.log_available(call)) for call in page],
            "total_calls": len(matches),
        }
        return Answer(200, encode(value, fmt), fmt)

    def all_logs(
        self,
        email: str,
        start: int,
        end: int,
        offset: int,
        limit: int,
        number: str | None,
        fmt: str,
    ) -> Answer:
        page = self._window(email, start, end, number)[offset : offset + limit]
        calls = [
            {
                "dest": call.dest,
                "src": call.src,
                # /api/all_logs gives start and end as strings (the docs say so).
                "start": str(call.start),
                "end": str(call.end),
                "session_id": call.session_id,
                "detail": call.entries if self.log_available(call) else [],
            }
            for call in page
        ]
        return Answer(200, encode({"calls": calls}, fmt), fmt)
