# ruff: noqa: RUF002, RUF003  (the tokens' own brackets, ‹ ›, are meant)
"""Redaction of call logs for tickets: caller inputs, phone numbers, e-mail addresses and the
values of sensitive keys become tokens (``‹digits-1›``, ``‹phone-2›``, ``‹email-1›``,
``‹account-1›``), the same value the same token within one output.

Public API: ``redact_log``, ``redact_document``, ``redact_selection``, ``Redactor``,
``RedactRules`` (``RedactRules.from_config(settings.redact)``), ``RedactConfigError``.
"""

from __future__ import annotations

from fuse_tui.core.redact.redactor import (
    Redactor,
    redact_document,
    redact_log,
    redact_selection,
)
from fuse_tui.core.redact.rules import RedactConfigError, RedactRules

__all__ = [
    "RedactConfigError",
    "RedactRules",
    "Redactor",
    "redact_document",
    "redact_log",
    "redact_selection",
]
