"""Build call logs entry by entry, in the shapes real Fuse logs have.

Data keys come first and ``module_type`` / ``result_variable`` last, as in the seed document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class StoredCall:
    """One call the emulator serves: what ``/api/calls`` lists plus its detailed log.

    ``raw`` holds bytes to replay verbatim (fixtures), keyed by format; otherwise the answer is
    serialised from ``entries``.
    """

    session_id: str
    src: str
    dest: str
    start: int
    end: int
    type: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, bytes] = field(default_factory=dict)

    def summary(self, log_available: bool) -> dict[str, Any]:
        # Key order of the reference's /api/calls example.
        return {
            "dest": self.dest,
            "src": self.src,
            "start": self.start,
            "end": self.end,
            "session_id": self.session_id,
            "type": self.type,
            "log": log_available,
        }


class LogBuilder:
    """Appends entries with a moving clock: ``after`` seconds pass before each entry."""

    def __init__(self, start: int, revision_id: str = "52691") -> None:
        self.clock = start
        self.entries: list[dict[str, Any]] = []
        self.revision_id = revision_id
        self._var = 0

    def next_var(self) -> str:
        name = f"var_{self._var}"
        self._var += 1
        return name

    def add(
        self,
        cls: str,
        line: str,
        module_type: str,
        result_variable: str,
        *,
        after: int = 0,
        **data: Any,
    ) -> None:
        self.clock += after
        payload = {**data, "module_type": module_type, "result_variable": result_variable}
        self.entries.append(
            {"event": {"line": line, "data": payload}, "class": cls, "timestamp": self.clock}
        )

    def start(self, app: str, version: str) -> None:
        self.add("info", f'Executing application "{app}" version "{version}"', "start", "start")

    def prompt(
        self,
        text: str,
        prompt_id: int,
        *,
        module_type: str = "prompt",
        result_variable: str | None = None,
        after: int = 0,
        has_audio: bool = False,
    ) -> str:
        variable = result_variable or self.next_var()
        self.add(
            "prompt",
            text,
            module_type,
            variable,
            after=after,
            type="static",
            has_audio=has_audio,
            revision_id=self.revision_id,
            prompt_id_type="module",
            prompt_id=str(prompt_id),
            language="en-US",
        )
        return variable

    def user_input(
        self, value: str, mode: str, module_type: str, variable: str, *, after: int = 0
    ) -> None:
        self.add("event", f"User input: {value} ({mode})", module_type, variable, after=after)

    def exit(self, *, after: int = 1, reason: str = "hangup") -> None:
        self.add("info", "Exiting application", "exit", reason, after=after)
        self.add("event", "Disconnecting call", "exit", reason, after=1)

    @property
    def end(self) -> int:
        return self.clock
