"""What the TUI needs to know at start: where the API is, who the user is, archive, prefs.

``launch.py`` builds it from ``core.settings`` (flags > env > config file); tests build it
directly, so no test ever reads the user's real config file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_BASE_URL = "https://fuse.plumvoice.com/api"


@dataclass
class UiConfig:
    base_url: str = DEFAULT_BASE_URL
    email: str | None = None
    # A pydantic SecretStr (or anything with get_secret_value); never printed.
    developer_key: Any = field(default=None, repr=False)
    timeout: float = 30.0
    retries: int | None = None  # None: the client's one default (DEFAULT_RETRIES), as the CLI
    insecure_http: bool = False
    ca_bundle: str | None = None
    archive_path: Path | None = None
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

    @property
    def has_credentials(self) -> bool:
        return bool(self.email) and self.developer_key is not None
