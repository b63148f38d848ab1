"""The rules in effect: the defaults plus the user's ``[redact]`` table."""

from __future__ import annotations

from fuse_tui.core.redact.rules import RedactRules


def configured_rules() -> RedactRules:
    """The defaults plus the config file's ``[redact]`` table.

    Raises ``SettingsError`` (an unreadable config) or ``RedactConfigError`` (a bad table), each
    one sentence saying what to fix. The developer key command is not run: redaction needs no key.
    """
    from fuse_tui.core.settings import load_settings

    settings = load_settings(resolve_key_command=False)
    return RedactRules.from_config(settings.redact)
