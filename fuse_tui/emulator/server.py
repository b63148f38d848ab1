"""The emulator's HTTP server: stdlib ``http.server`` on loopback, one thread per connection."""

from __future__ import annotations

import base64
import contextlib
import hmac
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fuse_tui.core.model import CallSummary
from fuse_tui.emulator.config import EmulatorConfig
from fuse_tui.emulator.encoding import CONTENT_TYPES
from fuse_tui.emulator.faults import FaultInjector, FaultPlan
from fuse_tui.emulator.store import Answer, CallStore, clamp_limit, error_answer

# Messages of undocumented answers [guess]; the documented ones live in store.py.
AUTH_MESSAGE = "Authentication failed: invalid credentials or inactive account."
METHOD_MESSAGE = "Invalid HTTP method supplied: only GET is allowed."
DATABASE_MESSAGE = "database error"
RATE_MESSAGE = "Rate limit exceeded."
BAD_PATH_MESSAGE = "Unknown API endpoint."
BAD_ARGUMENT_MESSAGE = "Invalid parameter: start, end, offset and limit must be integers."


MAX_RECORDS = 100_000


@dataclass(frozen=True)
class RequestRecord:
    """One request as the emulator saw it (for tests counting attempts)."""

    method: str
    path: str
    status: int
    email: str | None
    fault: str | None
    accept: str | None


def wants_xml(accept: str | None) -> bool:
    """``application/xml`` (or ``text/xml``) preferred over JSON → XML; anything else → JSON."""
    if not accept:
        return False
    best_xml = best_json = -1.0
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        media = media.lower()
        if media in ("application/xml", "text/xml"):
            best_xml = max(best_xml, q)
        elif media in ("application/json", "*/*", "application/*"):
            best_json = max(best_json, q)
    return best_xml > 0 and best_xml >= best_json


# The largest request body read (and dropped) to keep a connection open for the next request.
MAX_DISCARDED_BODY = 1 << 20


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "FuseEmulator/1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is kept in memory instead of printed."""

    def do_GET(self) -> None:
        try:
            self.server.emulator.handle_get(self)
        except (ConnectionError, TimeoutError):
            raise
        except Exception:
            # An emulator bug answers like Fuse's documented failure instead of hanging up.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.send_answer(error_answer(500, DATABASE_MESSAGE, "json"))
            raise

    def _not_allowed(self) -> None:
        self.server.emulator.handle_other(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_HEAD = _not_allowed

    # -- response helpers used by EmulatorServer ---------------------------------------------
    def send_answer(
        self,
        answer: Answer,
        *,
        headers: dict[str, str] | None = None,
        plan: FaultPlan | None = None,
        body_allowed: bool = True,
    ) -> None:
        body = answer.body
        declared = len(body)
        if plan is not None and plan.truncate:
            body = body[: int(len(body) * plan.keep_fraction)]
            declared = len(body)
        elif plan is not None and plan.drop:
            body = body[: int(len(body) * plan.keep_fraction)]
        self.send_response(answer.status)
        self.send_header("Content-Type", f"{CONTENT_TYPES[answer.fmt]}; charset=utf-8")
        self.send_header("Content-Length", str(declared))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if plan is not None and plan.drop:
            self.send_header("Connection", "close")
        self.end_headers()
        if body_allowed:
            self.wfile.write(body)
        self.wfile.flush()
        if plan is not None and plan.drop:
            # Close mid-body: the client sees a connection reset before Content-Length bytes.
            self.close_connection = True

    def discard_body(self) -> None:
        """Read and drop a request body (Fuse's GET-only API has no use for one).

        A body over MAX_DISCARDED_BODY, or of no declared length (chunked), is not waited
        for: the answer goes out and the connection closes, as the rest would otherwise be
        read as the next request.
        """
        length = self.headers.get("Content-Length", "").strip()
        if length.isdigit() and int(length) <= MAX_DISCARDED_BODY:
            self.rfile.read(int(length))
        elif length or self.headers.get("Transfer-Encoding"):
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: EmulatorServer) -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up (timeouts, dropped-connection tests) is not an emulator error.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class EmulatorServer:
    """A local stand-in for the Fuse API. Use ``start()``/``stop()`` or ``with``."""

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        on_request: Callable[[RequestRecord], None] | None = None,
    ) -> None:
        """``on_request`` is called with every request's record (from the serving thread)."""
        self.config = config or EmulatorConfig()
        self.on_request = on_request
        self.store = CallStore(self.config)
        self.faults = FaultInjector(self.config, time.time)
        # Bounded, so a long demo session does not grow without limit.
        self._records: deque[RequestRecord] = deque(maxlen=MAX_RECORDS)
        self._records_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def bind(self) -> None:
        if self._server is None:
            self._server = _Server((self.config.host, self.config.port), self)

    def start(self) -> EmulatorServer:
        """Serve in a background thread (on a free port unless ``config.port`` is set)."""
        self.bind()
        assert self._server is not None
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="fuse-emulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` (or KeyboardInterrupt)."""
        self.bind()
        assert self._server is not None
        self._server.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        if thread is not None:
            server.shutdown()
            thread.join(timeout=5)
        server.server_close()
        self._server = None
        self._thread = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not bound yet; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        host = self.config.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/api"

    # -- what it serves (for tests and the demo) ----------------------------------------------
    def calls_for(self, email: str) -> list[CallSummary]:
        return [
            CallSummary.model_validate(call.summary(self.store.log_available(call)))
            for call in self.store.calls(email)
        ]

    def raw_call(self, email: str, session_id: str, fmt: str = "json") -> bytes:
        """The body ``/api/call/{session_id}`` answers for this account, whatever the status."""
        return self.store.call_log(email, session_id, fmt).body

    @property
    def requests(self) -> list[RequestRecord]:
        with self._records_lock:
            return list(self._records)

    def clear_requests(self) -> None:
        with self._records_lock:
            self._records.clear()

    def _record(self, handler: _Handler, status: int, email: str | None, fault: str | None) -> None:
        record = RequestRecord(
            handler.command, handler.path, status, email, fault, handler.headers.get("Accept")
        )
        with self._records_lock:
            self._records.append(record)
        if self.on_request is not None:
            self.on_request(record)

    # -- request handling ----------------------------------------------------------------------
    def _account(self, handler: _Handler) -> str | None:
        header = handler.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic" or not token:
            return None
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except ValueError:  # binascii.Error, UnicodeDecodeError, and non-ASCII header text
            return None
        email, sep, key = decoded.partition(":")
        expected = self.config.accounts.get(email)
        if not sep or expected is None:
            return None
        if not hmac.compare_digest(key.encode("utf-8"), expected.encode("utf-8")):
            return None
        return email

    def handle_other(self, handler: _Handler) -> None:
        fmt = "xml" if wants_xml(handler.headers.get("Accept")) else "json"
        handler.discard_body()
        answer = error_answer(405, METHOD_MESSAGE, fmt)
        # Recorded before answering, so a client that got its answer sees the record.
        self._record(handler, 405, None, None)
        handler.send_answer(
            answer, headers={"Allow": "GET"}, body_allowed=handler.command != "HEAD"
        )

    def handle_get(self, handler: _Handler) -> None:
        fmt = "xml" if wants_xml(handler.headers.get("Accept")) else "json"
        email = self._account(handler)
        decision = self.faults.admit()
        if decision is not None and not decision.allowed:
            headers = {
                "Retry-After": str(decision.retry_after),
                "X-RateLimit-Limit": str(decision.limit),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(decision.reset_epoch),
            }
            self._record(handler, 429, email, "rate_limit")
            handler.send_answer(error_answer(429, RATE_MESSAGE, fmt), headers=headers)
            return
        if self.config.latency_ms:
            time.sleep(self.config.latency_ms / 1000)
        if email is None:
            self._record(handler, 401, None, None)
            handler.send_answer(
                error_answer(401, AUTH_MESSAGE, fmt),
                headers={"WWW-Authenticate": 'Basic realm="Fuse API"'},
            )
            return
        plan = self.faults.plan()
        if plan.fail:
            self._record(handler, 500, email, "fail")
            handler.send_answer(error_answer(500, DATABASE_MESSAGE, fmt))
            return
        answer = self._route(handler.path, email, fmt)
        headers = {}
        if decision is not None:
            headers = {
                "X-RateLimit-Limit": str(decision.limit),
                "X-RateLimit-Remaining": str(decision.remaining),
                "X-RateLimit-Reset": str(decision.reset_epoch),
            }
        fault = "drop" if plan.drop else "truncate" if plan.truncate else None
        self._record(handler, answer.status, email, fault)
        handler.send_answer(answer, headers=headers, plan=plan)

    def _route(self, target: str, email: str, fmt: str) -> Answer:
        parts = urlsplit(target)
        # Split the raw path first, then decode each segment: an encoded "/" stays in its segment.
        segments = [unquote(segment) for segment in parts.path.split("/")[1:]]
        if segments and segments[-1] == "" and len(segments) > 1:
            segments.pop()
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        if len(segments) == 3 and segments[:2] == ["api", "call"] and segments[2]:
            return self.store.call_log(email, segments[2], fmt)
        if len(segments) == 4 and segments[0] == "api" and segments[1] in ("calls", "all_logs"):
            try:
                start, end = int(segments[2]), int(segments[3])
                offset = max(0, int(query.get("offset") or 0))
                limit = clamp_limit(query.get("limit"))
            except ValueError:
                return error_answer(400, BAD_ARGUMENT_MESSAGE, fmt)
            number = query.get("number") or None
            if segments[1] == "calls":
                return self.store.call_list(email, start, end, offset, limit, number, fmt)
            return self.store.all_logs(email, start, end, offset, limit, number, fmt)
        return error_answer(404, BAD_PATH_MESSAGE, fmt)
