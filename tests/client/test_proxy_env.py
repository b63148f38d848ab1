"""Proxy settings from the environment that cannot be used: a sentence, not an ImportError."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pydantic import SecretStr

from fuse_tui.core.client import Credentials, FuseClient, NetworkError


@pytest.mark.skipif(
    importlib.util.find_spec("socksio") is not None, reason="socksio installed: SOCKS works"
)
@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "ALL_PROXY"])
def test_a_socks_proxy_without_socksio_is_a_network_error(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "socks5://user:SEKRIT-PROXY@127.0.0.1:1080")
    credentials = Credentials(email="a@example.com", developer_key=SecretStr("k"))
    with pytest.raises(NetworkError) as caught:
        FuseClient("https://fuse.example.com/api", credentials)
    message = str(caught.value)
    assert "SOCKS" in message and "httpx[socks]" in message
    assert "SEKRIT" not in message


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("HTTPS_PROXY", "http://[::1", "proxy"),
        ("SSL_CERT_FILE", "/nonexistent/ca.pem", "SSL_CERT_FILE"),
    ],
)
def test_unusable_proxy_or_ca_settings_are_a_network_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(variable, value)
    credentials = Credentials(email="a@example.com", developer_key=SecretStr("k"))
    with pytest.raises(NetworkError) as caught:
        FuseClient("https://fuse.example.com/api", credentials)
    assert fragment in str(caught.value)


def test_a_ca_file_that_is_not_pem_is_a_network_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    garbage = tmp_path / "ca.pem"
    garbage.write_text("not a certificate\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(garbage))
    credentials = Credentials(email="a@example.com", developer_key=SecretStr("k"))
    with pytest.raises(NetworkError, match="SSL_CERT_FILE"):
        FuseClient("https://fuse.example.com/api", credentials)
