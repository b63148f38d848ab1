"""The TUI runs on the core FuseService built from the settings: one default per setting (the
retries, the timeout, the base URL, the archive path) for the CLI and the TUI alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

import fuse_tui.ui.config
from fuse_tui.cli.tui import build_parser, load_config
from fuse_tui.core.archive import default_archive_path
from fuse_tui.core.client import DEFAULT_BASE_URL, DEFAULT_RETRIES
from fuse_tui.core.limits import DEFAULT_TIMEOUT_SECONDS
from fuse_tui.core.service import FuseService
from fuse_tui.ui.app import FuseApp


@pytest.fixture
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(tmp_path / "config.toml"))
    for name in ("FUSE_EMAIL", "FUSE_DEVELOPER_KEY", "FUSE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_the_tui_gets_the_core_defaults(no_config: None) -> None:
    settings, _config = load_config(build_parser().parse_args([]))
    service = FuseService(settings.model_copy(update={"email": "me@example.com"}))
    # A key no log text holds: the key is scrubbed from every later record of this process
    # (a key "k" turned "developer_key" and "backoff" in tests/cli/test_diagnostics.py to ***).
    service.set_credentials("me@example.com", SecretStr("one-service-test-key"))
    client = service.client()
    assert client.retries == DEFAULT_RETRIES  # the TUI once used 2, the CLI 3
    assert settings.timeout == DEFAULT_TIMEOUT_SECONDS
    assert settings.base_url == DEFAULT_BASE_URL
    assert service.archive_path == default_archive_path()


def test_the_ui_config_holds_no_connection_settings() -> None:
    fields = set(fuse_tui.ui.config.UiConfig.__dataclass_fields__)
    assert fields.isdisjoint(
        {"base_url", "email", "developer_key", "timeout", "retries", "archive_path"}
    )
    assert not hasattr(fuse_tui.ui.config, "DEFAULT_BASE_URL")


def test_an_app_without_a_service_has_no_credentials_and_no_archive() -> None:
    app = FuseApp()
    assert not app.service.has_credentials
    assert app.service.archive_path is None  # never the user's real archive by accident
