"""The archive's one error type: ``str(exc)`` is a sentence a user can act on."""

from __future__ import annotations


class ArchiveError(Exception):
    """The archive cannot be opened, read or written (corrupt, foreign, busy, unwritable…)."""
