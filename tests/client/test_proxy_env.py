"""Proxy settings from the environment that cannot be used: a sentence, not an ImportError."""

from __future__ import annotations

import importlib.util

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
