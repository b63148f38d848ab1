"""Requests no client library would send: the emulator answers like Fuse, never with a 500."""

from __future__ import annotations

import base64
import socket
import time
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


@pytest.mark.parametrize(
    "head",
    [
        # Declares 10 GB and sends 5 bytes: answered at once, not after waiting for the rest.
        b"POST /api/calls/0/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\nhello",
        b"POST /api/calls/0/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhe",
    ],
)
def test_a_huge_or_unsized_body_gets_its_405_at_once(emulator: EmulatorServer, head: bytes) -> None:
    started = time.monotonic()
    answer = raw_request(emulator, head)  # returns when the server closes the connection
    assert answer.startswith(b"HTTP/1.1 405 ")
    assert time.monotonic() - started < 5


def test_a_small_body_is_read_and_the_connection_serves_the_next_request(
    emulator: EmulatorServer,
) -> None:
    token = base64.b64encode(b"demo@example.com:demo-key")
    answer = raw_request(
        emulator,
        b"POST /api/calls/0/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        b"GET /api/calls/0/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
        + token
        + b"\r\nConnection: close\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 405 ") and answer.count(b"HTTP/1.1 200 ") == 1
