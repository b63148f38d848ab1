"""The Fuse API client: one ``httpx.AsyncClient`` per app run, typed errors, bounded retries.

Endpoints (see the reference): ``/call/{session_id}``, ``/calls/{start}/{end}``,
``/all_logs/{start}/{end}``. Answers go through the core readers. Retries (exponential backoff
with jitter) cover connection failures, 429 (honouring ``Retry-After``) and 500/502/503/504, and
never 401/404/405. This is the one retry budget: a logical request costs at most ``1 + retries``
HTTP requests, and callers (sync, listings) never retry on top; they read ``kind`` and
``retryable`` from the error. This module sends, retries and pages; what a status, an error body
or an httpx exception means (which error, which sentence) is decided in ``client_interpret``.
The developer key is sent only in the Basic auth header: it is never logged, never in an
exception message, and hidden in every repr (``SecretStr``). Basic credentials travel only over
TLS, or in clear text straight to a loopback address: a plain-http base URL never goes through a
proxy (it would read the key), whatever ``HTTP_PROXY`` says.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import socket
import ssl
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr

from fuse_tui import __version__
from fuse_tui.core.client_errors import (
    DEFAULT_RETRIES,
    AuthError,
    ExpiredError,
    FuseError,
    FuseTimeoutError,
    InsecureTransportError,
    InvalidRequestError,
    MethodNotAllowedError,
    MissingCredentialsError,
    NetworkError,
    NotFoundError,
    NotFuseAnswerError,
    RateLimitedError,
    ServerError,
    UnexpectedStatusError,
    UnusableCredentialsError,
)
from fuse_tui.core.client_interpret import Interpreter
from fuse_tui.core.formats import (
    CallListDocument,
    FormatError,
    LogsDocument,
    load,
    load_call_log,
)
from fuse_tui.core.limits import DEFAULT_BASE_URL, DEFAULT_TIMEOUT_SECONDS
from fuse_tui.core.model import CallList, CallLog, CallSummary
from fuse_tui.core.session_id import encode_session_id, normalize_session_id

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_RETRIES",
    "AuthError",
    "Credentials",
    "ExpiredError",
    "FetchedCall",
    "FuseClient",
    "FuseError",
    "FuseTimeoutError",
    "InsecureTransportError",
    "InvalidRequestError",
    "MethodNotAllowedError",
    "MissingCredentialsError",
    "NetworkError",
    "NotFoundError",
    "NotFuseAnswerError",
    "RateLimitedError",
    "ServerError",
    "UnexpectedStatusError",
    "UnusableCredentialsError",
]

ACCEPT = {"json": "application/json", "xml": "application/xml"}
DEFAULT_PAGE_SIZE = 1000

log = logging.getLogger("fuse_tui.client")
T = TypeVar("T")


class Credentials(BaseModel):
    """Fuse login e-mail and developer key; the key is a ``SecretStr``, hidden in every repr."""

    model_config = ConfigDict(frozen=True)

    email: str
    # None (or empty) is accepted so a half-configured app can build one; the first request then
    # raises MissingCredentialsError, which says what to set.
    developer_key: SecretStr | None = None

    @property
    def missing(self) -> str | None:
        """What is missing to authenticate ("e-mail", "developer key", both), or None."""
        gaps = [
            name
            for name, present in (
                ("e-mail", bool(self.email.strip())),
                (
                    "developer key",
                    bool(self.developer_key and self.developer_key.get_secret_value()),
                ),
            )
            if not present
        ]
        return " and ".join(gaps) or None

    @property
    def undecodable(self) -> str | None:
        """Which credential is not valid text ("e-mail", "developer key"), or None."""
        key = self.developer_key.get_secret_value() if self.developer_key else ""
        for name, value in (("e-mail", self.email), ("developer key", key)):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return name
        return None


@dataclass(frozen=True)
class FetchedCall:
    """One ``/api/call`` answer exactly as served, plus the log read from it."""

    raw: bytes
    format: str
    content_type: str
    log: CallLog
    session_id: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def _loggable(url: str, params: dict[str, str | int] | None = None) -> str:
    """``url`` (with ``params``) without any user name or password (the base URL refuses them;
    belt and braces)."""
    try:
        parsed = httpx.URL(url, params=params)
    except (httpx.InvalidURL, TypeError, UnicodeError):
        return "(an unreadable URL)"
    return str(parsed.copy_with(userinfo=b"")) if parsed.userinfo else str(parsed)


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _log_route(url: httpx.URL, *, trust_env: bool, own_transport: bool) -> None:
    """Say whether requests go through a proxy from the environment, and which (no password)."""
    if not log.isEnabledFor(logging.INFO) or own_transport or not trust_env:
        return
    proxies = urllib.request.getproxies()
    if url.scheme == "http":
        if any(proxies.get(name) for name in ("http", "all")):
            log.info(
                "plain http:// to %s: the proxy set in the environment is skipped (it would "
                "read the key in the Authorization header)",
                url.host,
            )
        return
    proxy = proxies.get("https") or proxies.get("all")
    if not proxy:
        log.info("no proxy in the environment: connecting to %s directly", url.host)
    elif urllib.request.proxy_bypass(url.host):
        log.info(
            "%s is in NO_PROXY: connecting directly, not through %s", url.host, _loggable(proxy)
        )
    else:
        log.info("connecting to %s through the proxy %s (CONNECT)", url.host, _loggable(proxy))


def _is_loopback_address(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # fe80::1%lo: drop the zone
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback  # ::ffff:127.0.0.1
    return address.is_loopback


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this machine, decided on addresses, never on the name alone.

    A literal loopback address (127.0.0.0/8, ::1, bracketed or not) qualifies, and ``localhost``
    when every address it resolves to is loopback. ``foo.localhost`` and other names do not:
    DNS could send them anywhere.
    """
    name = host.strip("[]").lower().rstrip(".")
    if _is_loopback_address(name):
        return True
    if name != "localhost":
        return False
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(_is_loopback_address(str(info[4][0])) for info in found)


class FuseClient:
    """Async client of the Fuse call-log API. Use as ``async with FuseClient(...) as client``."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        credentials: Credentials | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        connect_timeout: float | None = None,
        answer_deadline: float | None = None,
        retries: int = DEFAULT_RETRIES,
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
        max_retry_after: float = 60.0,
        insecure_http: bool = False,
        ca_bundle: str | Path | None = None,
        trust_env: bool = True,
        rng: random.Random | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        # ``timeout`` bounds each read; a server trickling a byte at a time never trips it.
        # The whole answer gets this long (default: 4 reads' worth, at least two minutes).
        self.answer_deadline = answer_deadline if answer_deadline else max(120.0, 4 * timeout)
        self.retries = max(0, retries)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self._rng = rng or random.Random()
        url = self._check_base_url(self.base_url, insecure_http)
        self.host = url.host
        # host:port for connection errors (a wrong port is as likely as a wrong host).
        port = url.port or (443 if url.scheme == "https" else 80)
        self.address = f"[{url.host}]:{port}" if ":" in url.host else f"{url.host}:{port}"
        verify: ssl.SSLContext | bool = True
        if ca_bundle is not None:
            try:
                verify = ssl.create_default_context(cafile=str(ca_bundle))
            except (OSError, ssl.SSLError) as exc:
                raise NetworkError(
                    f"Cannot use the CA bundle {ca_bundle}: {exc.strerror or 'not a PEM file'}; "
                    "pass a readable PEM file to --ca-bundle."
                ) from None
        auth = None
        if (
            credentials is not None
            and credentials.developer_key is not None
            and credentials.undecodable is None  # else the first request says what is wrong
        ):
            auth = httpx.BasicAuth(credentials.email, credentials.developer_key.get_secret_value())
        # Said in connection errors: a user behind a mandatory proxy learns why it was not used.
        proxy_skipped = (
            url.scheme == "http"
            and trust_env
            and transport is None
            and any(urllib.request.getproxies().get(name) for name in ("http", "all"))
        )
        _log_route(url, trust_env=trust_env, own_transport=transport is not None)
        log.debug(
            "client for %s: timeout %gs per read, answer deadline %gs, %d retries",
            self.base_url,
            timeout,
            self.answer_deadline,
            self.retries,
        )
        self._interpreter = Interpreter(
            host=self.host,
            address=self.address,
            timeout=timeout,
            answer_deadline=self.answer_deadline,
            max_retry_after=max_retry_after,
            email=credentials.email if credentials else None,
            proxy_skipped=proxy_skipped,
        )
        try:
            if url.scheme == "http" and transport is None:
                # Clear text goes straight to the host, never to a proxy: the Basic header
                # carries the key. An explicit transport makes httpx ignore HTTP_PROXY,
                # ALL_PROXY and their lowercase twins. (https keeps its proxies: CONNECT
                # tunnels TLS, so a proxy never sees the header.)
                transport = httpx.AsyncHTTPTransport(trust_env=False)
            self._http = httpx.AsyncClient(
                auth=auth,
                headers={"User-Agent": f"fuse-tui/{__version__}"},
                timeout=httpx.Timeout(timeout, connect=connect_timeout or min(timeout, 10.0)),
                verify=verify,
                trust_env=trust_env,
                follow_redirects=False,
                transport=transport,
            )
        except ImportError:  # httpx builds the proxy transports from the environment here
            raise NetworkError(
                "A SOCKS proxy is set (HTTPS_PROXY or ALL_PROXY) but SOCKS support is not "
                "installed: pip install 'httpx[socks]', or use an http:// proxy."
            ) from None
        except httpx.InvalidURL:
            raise NetworkError(
                "The proxy in HTTPS_PROXY, HTTP_PROXY or ALL_PROXY is not a valid URL; fix or "
                "unset it (e.g. http://proxy.example.com:3128)."
            ) from None
        except OSError as exc:  # the default SSL context reads SSL_CERT_FILE / SSL_CERT_DIR
            ssl_error = isinstance(exc, ssl.SSLError)
            reason = "not PEM certificates" if ssl_error else exc.strerror or "unreadable"
            raise NetworkError(
                f"Cannot use the CA certificates named by SSL_CERT_FILE or SSL_CERT_DIR "
                f"({reason}); fix or unset them, or pass --ca-bundle PEM."
            ) from None

    def __repr__(self) -> str:
        email = self.credentials.email if self.credentials else None
        return f"FuseClient(base_url={self.base_url!r}, email={email!r})"

    @staticmethod
    def _check_base_url(base_url: str, insecure_http: bool) -> httpx.URL:
        try:
            url = httpx.URL(base_url)
            url.host  # noqa: B018 - decodes the host: a broken xn-- label raises here
        except (httpx.InvalidURL, TypeError, UnicodeError):
            raise FuseError(
                "The Fuse base URL is not a valid URL; use e.g. https://fuse.plumvoice.com/api."
            ) from None
        if url.scheme not in ("http", "https") or not url.host:
            raise FuseError(
                "The Fuse base URL must start with https:// (e.g. https://fuse.plumvoice.com/api)."
            )
        if url.userinfo:
            raise FuseError(
                "The Fuse base URL must not contain a user name or key; set the credentials "
                "with FUSE_EMAIL and FUSE_DEVELOPER_KEY or the config file instead."
            )
        if url.scheme == "http" and not insecure_http and not is_loopback_host(url.host):
            if url.host.lower().rstrip(".") == "localhost":
                raise InsecureTransportError(
                    "Refusing to send Fuse credentials over plain http:// to localhost: here it "
                    "does not resolve to loopback addresses only; use http://127.0.0.1:PORT or "
                    "https://."
                )
            raise InsecureTransportError(
                f"Refusing to send Fuse credentials over plain http:// to {url.host}; use "
                "https://, or pass --insecure-http if you accept that anyone on the path can "
                "read the key."
            )
        return url

    # -- lifecycle -------------------------------------------------------------------------------
    async def __aenter__(self) -> FuseClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The one httpx client, for event hooks (e.g. a rate gate shared by several workers)."""
        return self._http

    # -- endpoints -------------------------------------------------------------------------------
    async def fetch_call(self, session_id: str, fmt: str = "json") -> FetchedCall:
        """``GET /call/{session_id}``: the answer exactly as served, and the log read from it."""
        if fmt not in ACCEPT:
            raise ValueError(f"fmt must be 'json' or 'xml', not {fmt!r}")
        sid = normalize_session_id(session_id)
        url = f"{self.base_url}/call/{encode_session_id(sid)}"

        def parse(response: httpx.Response) -> FetchedCall:
            body = response.content
            call_log = load_call_log(body, source=f"Fuse session {sid}")
            call_log.session_id = sid
            call_log.source = "api"
            served = "xml" if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" else "json"
            return FetchedCall(
                raw=body,
                format=served,
                content_type=response.headers.get("Content-Type", ""),
                log=call_log,
                session_id=sid,
                status=response.status_code,
                headers=dict(response.headers),
            )

        return await self._get(url, fmt=fmt, session_id=sid, params=None, parse=parse)

    async def list_calls_page(
        self,
        start: int,
        end: int,
        *,
        offset: int = 0,
        limit: int = DEFAULT_PAGE_SIZE,
        number: str | None = None,
    ) -> CallList:
        """One page of ``GET /calls/{start}/{end}``."""
        params: dict[str, str | int] = {"offset": offset, "limit": limit}
        if number:
            try:
                number.encode("utf-8")
            except UnicodeEncodeError:
                raise FuseError(
                    "The phone number filter holds bytes that are not valid text; type it again."
                ) from None
            params["number"] = number
        url = f"{self.base_url}/calls/{int(start)}/{int(end)}"

        def parse(response: httpx.Response) -> CallList:
            document = load(response.content, source="Fuse call list")
            if not isinstance(document, CallListDocument):
                raise FormatError("Fuse call list", "this is not a call list")
            return document.calls

        return await self._get(url, fmt="json", session_id=None, params=params, parse=parse)

    async def list_calls(
        self,
        start: int,
        end: int,
        number: str | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[CallSummary]:
        """Every call whose start is in ``[start, end)``, paging invisibly up to ``total_calls``."""
        offset = 0
        seen: set[str] = set()
        while True:
            page = await self.list_calls_page(
                start, end, offset=offset, limit=page_size, number=number
            )
            log.debug(
                "listing page at offset %d: %d calls (total_calls %s)",
                offset,
                len(page.calls),
                page.total_calls if "total_calls" in page.model_fields_set else "not given",
            )
            if not page.calls:
                return
            new = {call.session_id for call in page.calls} - seen
            if not new:  # the server ignores offset (a proxy or cache dropped the query?)
                log.warning("Fuse answered the same calls again at offset %d; stopping", offset)
                return
            seen |= new
            for call in page.calls:
                if call.session_id in new:  # a call listed on an earlier page is not repeated
                    new.discard(call.session_id)
                    yield call
            offset += len(page.calls)
            if "total_calls" in page.model_fields_set:
                if offset >= page.total_calls:
                    return
            elif len(page.calls) < page_size:  # no total given: a short page is the last
                return

    async def all_logs(
        self,
        start: int,
        end: int,
        number: str | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> list[CallLog]:
        """``GET /all_logs/{start}/{end}``: calls with their detailed logs, every page."""
        url = f"{self.base_url}/all_logs/{int(start)}/{int(end)}"

        def parse(response: httpx.Response) -> list[CallLog]:
            document = load(response.content, source="Fuse all_logs answer")
            if isinstance(document, CallListDocument):
                if document.calls.calls:
                    raise FormatError("Fuse all_logs answer", "these calls carry no detail")
                return []
            if not isinstance(document, LogsDocument):
                raise FormatError("Fuse all_logs answer", "this is not an all_logs answer")
            for item in document.logs:
                item.source = "api"
            return document.logs

        logs: list[CallLog] = []
        offset = 0
        while True:
            params: dict[str, str | int] = {"offset": offset, "limit": page_size}
            if number:
                params["number"] = number
            page = await self._get(url, fmt="json", session_id=None, params=params, parse=parse)
            log.debug("all_logs page at offset %d: %d calls", offset, len(page))
            logs.extend(page)
            offset += len(page)
            if len(page) < page_size:
                return logs

    # -- the one request loop --------------------------------------------------------------------
    async def _get(
        self,
        url: str,
        *,
        fmt: str,
        session_id: str | None,
        params: dict[str, str | int] | None,
        parse: Callable[[httpx.Response], T],
    ) -> T:
        if self.credentials is None:
            raise MissingCredentialsError("e-mail and developer key")
        missing = self.credentials.missing
        if missing:
            raise MissingCredentialsError(missing)
        undecodable = self.credentials.undecodable
        if undecodable:
            raise UnusableCredentialsError(undecodable)
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return await self._attempt(url, fmt, session_id, params, parse, attempt)
            except FuseError as error:
                error.attempts = attempt
                if not error.retryable or attempt >= attempts:
                    if isinstance(error, ServerError):  # its sentence counts the attempts
                        error = ServerError(error.status or 500, error.fuse_message, attempt)
                    raise error from None
                wait = getattr(error, "retry_after", None)
                delay = wait if wait is not None else self._backoff(attempt)
                log.info(
                    "attempt %d of %d failed (%s: %s); retrying in %.2fs (%s)",
                    attempt,
                    attempts,
                    error.kind,
                    error,
                    delay,
                    "Retry-After" if wait is not None else "backoff",
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** (attempt - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    async def _attempt(
        self,
        url: str,
        fmt: str,
        session_id: str | None,
        params: dict[str, str | int] | None,
        parse: Callable[[httpx.Response], T],
        attempt: int,
    ) -> T:
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.answer_deadline):
                response = await self._http.get(
                    url, params=params, headers={"Accept": ACCEPT.get(fmt, ACCEPT["json"])}
                )
        except TimeoutError:
            log.info(
                "GET %s: no whole answer within the %gs deadline (attempt %d)",
                _loggable(url, params),
                self.answer_deadline,
                attempt,
            )
            raise self._interpreter.deadline_passed() from None
        except (httpx.InvalidURL, httpx.HTTPError, UnicodeError, ValueError) as exc:
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "GET %s failed after %d ms: %s (attempt %d)",
                    _loggable(url, params),
                    _elapsed_ms(started),
                    type(exc).__name__,
                    attempt,
                )
            raise self._interpreter.request_failure(exc, session_id) from None
        if log.isEnabledFor(logging.INFO):
            log.info(
                "GET %s -> HTTP %d, %d bytes in %d ms (attempt %d)",
                _loggable(str(response.request.url)),
                response.status_code,
                len(response.content),
                _elapsed_ms(started),
                attempt,
            )
        return self._interpreter.answer(response, session_id, parse)
