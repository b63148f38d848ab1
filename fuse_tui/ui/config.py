"""The TUI's own preferences: what the UI shows and remembers, nothing about Fuse.

Where the API is, who the user is, timeouts, retries and the archive belong to the
:class:`~fuse_tui.core.service.FuseService` the app is given (built from ``core.settings``).
``cli/tui.py`` builds both from the settings; tests build them directly, so no test ever reads
the user's real config file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fuse_tui.core.settings import Settings


@dataclass
class UiConfig:
    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    # The config's [ui] table as read at start (remembered preferences beyond the theme).
    ui_prefs: dict[str, Any] = field(default_factory=dict)
    # Where history is kept; None keeps it in memory only (tests).
    data_dir: Path | None = None
    # Whether theme changes and saved credentials are written to the config file.
    persist: bool = False
    # Open the calls browser right after start (``--demo``).
    open_browser: bool = False
    demo: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> UiConfig:
        """The UI's share of the settings (keymap, theme, [ui]); ``options`` set the rest."""
        return cls(
            keymap=dict(settings.keymap or {}),
            theme=settings.theme,
            ui_prefs=dict(settings.ui_prefs),
            **options,
        )
