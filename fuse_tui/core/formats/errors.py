"""Typed errors raised by the readers. Each message is one sentence a person can act on."""

from __future__ import annotations


class ReadError(Exception):
    """Base class: the content could not be used as a Fuse answer."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")


class FormatError(ReadError):
    """The content is not a valid Fuse answer (malformed, truncated, wrong shape, hostile…)."""

    def __init__(
        self, source: str, message: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.line = line
        self.column = column
        known = line is not None and column is not None
        where = f" (line {line}, column {column})" if known else ""
        super().__init__(source, f"{message}{where}")


class DeclaredEncodingError(FormatError):
    """The document declares an encoding that cannot carry it (unknown, not a text codec, or
    contradicting its byte-order mark). Unlike a cut-short answer, asking again gives the same."""


class FuseErrorAnswer(ReadError):
    """The content is a Fuse error answer such as ``{"error": "No call log was found."}``."""

    EXPIRED_MESSAGE = "There are no call log details available for this call."

    def __init__(self, source: str, fuse_message: str) -> None:
        self.fuse_message = fuse_message
        if _is_expired(fuse_message):
            message = (
                "this is Fuse's answer for a call whose detailed log had expired (Fuse keeps "
                f'detailed logs for 5 days), not a log: "{fuse_message}"; if the call was '
                "fetched before, its copy is in the local archive: `fuse-tui archive list`"
            )
        else:
            message = f"Fuse answered with an error: {fuse_message}"
        super().__init__(source, message)

    @property
    def is_expired(self) -> bool:
        return _is_expired(self.fuse_message)


def _is_expired(fuse_message: str) -> bool:
    return "no call log details available" in fuse_message.lower()
