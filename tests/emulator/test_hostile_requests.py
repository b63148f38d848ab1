"""Requests no client library would send: the emulator answers like Fuse, never with a 500."""

from __future__ import annotations

import base64
import socket
from urllib.parse import urlsplit

import pytest

from fuse_tui.emulator import EmulatorServer


def raw_request(server: EmulatorServer, head: bytes) -> bytes:
    parts = urlsplit(server.base_url)
    assert parts.hostname is not None and parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "token",
    [
        b"!!!notbase64\xff",  # non-ASCII: base64 raised ValueError, not binascii.Error
        "é".encode(),
        base64.b64encode(b"\xff\xfe:\x00"),  # decodes, but not to UTF-8
        base64.b64encode(b"no-colon-here"),
    ],
)
def test_a_garbled_authorization_header_is_a_401(emulator: EmulatorServer, token: bytes) -> None:
    answer = raw_request(
        emulator,
        b"GET /api/calls/0/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
        + token
        + b"\r\nConnection: close\r\n\r\n",
    )
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.split()[1] == b"401", answer[:300]
    assert [record.status for record in emulator.requests] == [401]
