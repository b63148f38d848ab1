"""The emulator answers like Fuse: auth, the three endpoints, Accept, 404/5-day/405, paging; and
requests no client library would send get Fuse's answers, never a 500."""

from __future__ import annotations

import base64
import json
import math
import socket
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest

from fuse_tui.core.formats import CallListDocument, LogsDocument, load
from fuse_tui.emulator import EmulatorServer
from fuse_tui.emulator.encoding import to_xml
from fuse_tui.emulator.store import EXPIRED_MESSAGE, NOT_FOUND_MESSAGE

from .conftest import DEMO, NOW

WIDE = f"/calls/0/{NOW + 10**6}"


def enc(session_id: str) -> str:
    return quote(session_id, safe="")


def live_and_expired(server: EmulatorServer) -> tuple[str, str]:
    calls = server.calls_for(DEMO[0])
    live = next(c.session_id for c in calls if c.log)
    expired = next(c.session_id for c in calls if not c.log)
    return live, expired


def test_seed_examples_are_reproduced_byte_for_byte(data_dir: Path) -> None:
    seed_xml = (data_dir / "seed_call.xml").read_bytes()
    document = load(seed_xml, source="seed")
    assert isinstance(document, LogsDocument)
    assert to_xml([entry.to_api() for entry in document.logs[0].entries]) == seed_xml
    assert to_xml({"error": NOT_FOUND_MESSAGE}) == (data_dir / "seed_404.xml").read_bytes()


def test_404_answers_match_the_seed(
    emulator: EmulatorServer, http: httpx.Client, data_dir: Path
) -> None:
    answer = http.get(f"{emulator.base_url}/call/{enc('300060;999;1')}")
    assert answer.status_code == 404
    assert answer.content == (data_dir / "seed_404.json").read_bytes().strip()
    xml = http.get(f"{emulator.base_url}/call/nope", headers={"Accept": "application/xml"})
    assert xml.status_code == 404
    assert xml.content == (data_dir / "seed_404.xml").read_bytes()
    assert xml.headers["Content-Type"].startswith("application/xml")


def test_email_sample_is_the_seed_call_moved_in_time(
    emulator: EmulatorServer, http: httpx.Client, data_dir: Path
) -> None:
    seed = json.loads((data_dir / "seed_call.json").read_bytes())
    sid = next(c.session_id for c in emulator.calls_for(DEMO[0]) if ";001;" in c.session_id)
    served = http.get(f"{emulator.base_url}/call/{enc(sid)}").json()
    assert [e["event"] for e in served] == [e["event"] for e in seed]
    assert [e["class"] for e in served] == [e["class"] for e in seed]
    shifts = {s["timestamp"] - e["timestamp"] for s, e in zip(served, seed, strict=True)}
    assert len(shifts) == 1
    assert NOW - 6 * 3600 < served[0]["timestamp"] < NOW


@pytest.mark.parametrize(
    "auth",
    [
        None,
        ("demo@example.com", "wrong"),
        ("nobody@example.com", "demo-key"),
        ("demo@example.com", ""),
    ],
)
def test_bad_credentials_get_401_with_an_error_body(
    emulator: EmulatorServer, auth: tuple[str, str] | None
) -> None:
    with httpx.Client(auth=auth, trust_env=False) as client:
        for accept in ("application/json", "application/xml"):
            answer = client.get(f"{emulator.base_url}{WIDE}", headers={"Accept": accept})
            assert answer.status_code == 401
            body = answer.content
            assert b"error" in body
            assert body.startswith(b"<?xml") == (accept == "application/xml")


def test_garbage_authorization_headers_get_401(emulator: EmulatorServer) -> None:
    for header in ("Basic !!!", "Basic " + "ZGVtbw==", "Bearer demo-key", "Basic"):
        answer = httpx.get(f"{emulator.base_url}{WIDE}", headers={"Authorization": header})
        assert answer.status_code == 401, header


def test_each_account_sees_only_its_own_calls(start_emulator) -> None:  # type: ignore[no-untyped-def]
    server = start_emulator(accounts={"a@example.com": "ka", "b@example.com": "kb"})
    a_ids = {c.session_id for c in server.calls_for("a@example.com")}
    b_ids = {c.session_id for c in server.calls_for("b@example.com")}
    assert a_ids and b_ids and not a_ids & b_ids
    with httpx.Client(auth=("b@example.com", "kb"), trust_env=False) as b:
        listed = b.get(f"{server.base_url}{WIDE}").json()
        assert {c["session_id"] for c in listed["calls"]} == b_ids
        a_live = next(c.session_id for c in server.calls_for("a@example.com") if c.log)
        assert b.get(f"{server.base_url}/call/{enc(a_live)}").status_code == 404
    with httpx.Client(auth=("a@example.com", "kb"), trust_env=False) as wrong:
        assert wrong.get(f"{server.base_url}{WIDE}").status_code == 401


def test_expired_calls_get_the_five_day_answer(
    emulator: EmulatorServer, http: httpx.Client
) -> None:
    _, expired = live_and_expired(emulator)
    answer = http.get(f"{emulator.base_url}/call/{enc(expired)}")
    assert answer.status_code == 404
    assert answer.json() == {"error": EXPIRED_MESSAGE}
    xml = http.get(
        f"{emulator.base_url}/call/{enc(expired)}", headers={"Accept": "application/xml"}
    )
    assert f"<error>{EXPIRED_MESSAGE}</error>".encode() in xml.content


def test_the_five_day_limit_follows_the_emulator_clock(start_emulator) -> None:  # type: ignore[no-untyped-def]
    server = start_emulator()
    calls = server.calls_for(DEMO[0])
    for call in calls:
        assert call.log == (NOW - call.start <= 5 * 86400)
    # Just inside the window (5 days minus an hour) still has its log.
    edge = min((c for c in calls if c.log), key=lambda c: c.start or 0)
    assert NOW - (edge.start or 0) > 4 * 86400
    assert server.raw_call(DEMO[0], edge.session_id).startswith(b"[")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_any_method_but_get_is_405_with_an_error_body(
    emulator: EmulatorServer, http: httpx.Client, method: str
) -> None:
    live, _ = live_and_expired(emulator)
    answer = http.request(method, f"{emulator.base_url}/call/{enc(live)}", content=b'{"x": 1}')
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET"
    assert "error" in answer.json()
    # The connection is still usable afterwards (the request body was consumed).
    assert http.get(f"{emulator.base_url}/call/{enc(live)}").status_code == 200


def test_head_is_405_without_a_body(emulator: EmulatorServer, http: httpx.Client) -> None:
    answer = http.head(f"{emulator.base_url}{WIDE}")
    assert answer.status_code == 405 and answer.content == b""


@pytest.mark.parametrize(
    ("accept", "xml"),
    [
        (None, False),
        ("application/json", False),
        ("application/xml", True),
        ("text/xml", True),
        ("*/*", False),
        ("application/json, application/xml;q=0.5", False),
        ("application/json;q=0.4, application/xml", True),
        ("text/html", False),
    ],
)
def test_accept_negotiation(
    emulator: EmulatorServer, http: httpx.Client, accept: str | None, xml: bool
) -> None:
    headers = {"Accept": accept} if accept else {"Accept": ""}
    answer = http.get(f"{emulator.base_url}{WIDE}", headers=headers)
    assert answer.status_code == 200
    assert answer.content.startswith(b'<?xml version="1.0"?>\n<result>\n') == xml
    document = load(answer.content, source="answer")
    assert isinstance(document, CallListDocument)
    assert document.calls.total_calls == len(emulator.calls_for(DEMO[0]))


def test_call_log_in_xml_reads_back_to_the_json_entries(
    emulator: EmulatorServer, http: httpx.Client
) -> None:
    for call in emulator.calls_for(DEMO[0]):
        if not call.log:
            continue
        url = f"{emulator.base_url}/call/{enc(call.session_id)}"
        from_json = load(http.get(url).content, source="j")
        from_xml = load(http.get(url, headers={"Accept": "application/xml"}).content, source="x")
        assert isinstance(from_json, LogsDocument) and isinstance(from_xml, LogsDocument)
        json_entries, xml_entries = from_json.logs[0].entries, from_xml.logs[0].entries
        assert [e.event.line for e in xml_entries] == [
            # XML cannot carry control characters; the emulator drops them there.
            "".join(ch for ch in e.event.line if ch >= " ")
            for e in json_entries
        ]
        assert [e.timestamp for e in xml_entries] == [e.timestamp for e in json_entries]


def test_session_ids_are_percent_decoded_once(emulator: EmulatorServer, http: httpx.Client) -> None:
    live, _ = live_and_expired(emulator)
    assert http.get(f"{emulator.base_url}/call/{enc(live)}").status_code == 200
    assert http.get(f"{emulator.base_url}/call/{live}").status_code == 200  # raw ";" is fine too
    double = enc(enc(live))
    assert http.get(f"{emulator.base_url}/call/{double}").status_code == 404


def test_calls_window_is_start_inclusive_end_exclusive(
    emulator: EmulatorServer, http: httpx.Client
) -> None:
    call = emulator.calls_for(DEMO[0])[3]
    assert call.start is not None
    at = http.get(f"{emulator.base_url}/calls/{call.start}/{call.start + 1}").json()
    assert [c["session_id"] for c in at["calls"]] == [call.session_id]
    before = http.get(f"{emulator.base_url}/calls/{call.start - 10}/{call.start}").json()
    assert call.session_id not in [c["session_id"] for c in before["calls"]]


def test_calls_shape_matches_the_reference(emulator: EmulatorServer, http: httpx.Client) -> None:
    body = http.get(f"{emulator.base_url}{WIDE}").json()
    assert set(body) == {"calls", "total_calls"}
    first = body["calls"][0]
    assert list(first) == ["dest", "src", "start", "end", "session_id", "type", "log"]
    assert isinstance(first["start"], int) and isinstance(first["log"], bool)
    outbound = [c for c in body["calls"] if c["type"] == "outbound"]
    assert outbound and all(c["src"] == "Outbound" for c in outbound)


def test_paging_with_offset_and_limit(start_emulator) -> None:  # type: ignore[no-untyped-def]
    server = start_emulator(generated_calls=23)
    total = len(server.calls_for(DEMO[0]))
    seen: list[str] = []
    with httpx.Client(auth=DEMO, trust_env=False) as client:
        for page in range(math.ceil(total / 7)):
            body = client.get(
                f"{server.base_url}{WIDE}", params={"offset": page * 7, "limit": 7}
            ).json()
            assert body["total_calls"] == total
            assert len(body["calls"]) == min(7, total - page * 7)
            seen += [c["session_id"] for c in body["calls"]]
        beyond = client.get(f"{server.base_url}{WIDE}", params={"offset": total}).json()
    assert beyond == {"calls": [], "total_calls": total}
    assert seen == [c.session_id for c in server.calls_for(DEMO[0])]
    assert len(set(seen)) == total


def test_limit_is_clamped_and_defaults_to_1000(start_emulator) -> None:  # type: ignore[no-untyped-def]
    server = start_emulator(generated_calls=1100, samples=False)
    with httpx.Client(auth=DEMO, trust_env=False) as client:
        assert len(client.get(f"{server.base_url}{WIDE}", params={"limit": 0}).json()["calls"]) == 1
        assert len(client.get(f"{server.base_url}{WIDE}").json()["calls"]) == 1000
        big = client.get(f"{server.base_url}{WIDE}", params={"limit": 99999}).json()
        assert len(big["calls"]) == 1100 == big["total_calls"]
        bad = client.get(f"{server.base_url}{WIDE}", params={"limit": "ten"})
        assert bad.status_code == 400 and "error" in bad.json()


def test_number_filters_by_deployment_number(emulator: EmulatorServer, http: httpx.Client) -> None:
    body = http.get(f"{emulator.base_url}{WIDE}", params={"number": "800-995-7586"}).json()
    assert body["total_calls"] > 0
    assert all("8009957586" in (c["dest"], c["src"]) for c in body["calls"])
    assert body["total_calls"] < len(emulator.calls_for(DEMO[0]))


def test_all_logs_carries_detail_for_live_calls_only(
    emulator: EmulatorServer, http: httpx.Client
) -> None:
    body = http.get(f"{emulator.base_url}/all_logs/0/{NOW + 10}").json()
    calls = body["calls"]
    assert len(calls) == len(emulator.calls_for(DEMO[0]))
    for call, summary in zip(calls, emulator.calls_for(DEMO[0]), strict=True):
        assert isinstance(call["start"], str) and isinstance(call["end"], str)
        assert bool(call["detail"]) == bool(summary.log)
    xml = http.get(
        f"{emulator.base_url}/all_logs/0/{NOW + 10}", headers={"Accept": "application/xml"}
    )
    document = load(xml.content, source="all_logs.xml")
    assert isinstance(document, LogsDocument) and document.kind == "all_logs"
    assert len(document.logs) == len(calls)


def test_unknown_paths_and_bad_numbers(emulator: EmulatorServer, http: httpx.Client) -> None:
    assert http.get(f"{emulator.base_url}/nothing").status_code == 404
    assert http.get(f"{emulator.base_url}/calls/yesterday/today").status_code == 400


def test_raw_call_is_what_the_endpoint_serves(emulator: EmulatorServer, http: httpx.Client) -> None:
    live, expired = live_and_expired(emulator)
    for sid in (live, expired, "nope"):
        for fmt, accept in (("json", "application/json"), ("xml", "application/xml")):
            served = http.get(f"{emulator.base_url}/call/{enc(sid)}", headers={"Accept": accept})
            assert served.content == emulator.raw_call(DEMO[0], sid, fmt)


def test_request_log_records_every_request(emulator: EmulatorServer, http: httpx.Client) -> None:
    emulator.clear_requests()
    http.get(f"{emulator.base_url}{WIDE}")
    http.post(f"{emulator.base_url}{WIDE}")
    records = emulator.requests
    assert [(r.method, r.status, r.email) for r in records] == [
        ("GET", 200, DEMO[0]),
        ("POST", 405, None),
    ]
    assert DEMO[1] not in repr(records)


def test_start_stop_and_restart(start_emulator) -> None:  # type: ignore[no-untyped-def]
    server = EmulatorServer()
    with server:
        url = server.base_url
        assert httpx.get(f"{url}{WIDE}", auth=DEMO).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}{WIDE}", auth=DEMO, timeout=2)
    server.stop()  # idempotent


# Requests no client library would send: the emulator answers like Fuse, never with a 500.


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
