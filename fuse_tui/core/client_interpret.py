"""What an answer or a failure from Fuse means: HTTP statuses, error bodies and httpx's
exceptions read as the typed errors of ``client_errors``.

``FuseClient`` sends requests, retries and pages; every decision about what came back (or what
went wrong on the way) is made here, once. The sentences name the host and address the client
talks to, never the developer key.
"""

from __future__ import annotations

import math
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import NoReturn, TypeVar

import httpx

from fuse_tui.core.client_errors import (
    AuthError,
    ExpiredError,
    FuseError,
    FuseTimeoutError,
    InvalidRequestError,
    MethodNotAllowedError,
    NetworkError,
    NotFoundError,
    NotFuseAnswerError,
    RateLimitedError,
    ServerError,
    UnexpectedStatusError,
    clip_message,
)
from fuse_tui.core.formats import FormatError, FuseErrorAnswer, load
from fuse_tui.core.formats.errors import DeclaredEncodingError

RETRY_STATUSES = frozenset({500, 502, 503, 504})
EXPIRED_MARKER = "no call log details available"

T = TypeVar("T")

# Words of a name-resolution failure, across platforms and resolvers.
_DNS_MARKERS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo",
    "name resolution",
    "no address associated",
)


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds; None when unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:  # "nan"/"inf" say nothing usable: the caller falls back to its own backoff
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _reset_in_seconds(value: str | None) -> float | None:
    """``X-RateLimit-Reset`` (epoch seconds of the next window) as a wait, when no Retry-After."""
    try:
        reset = float(value) if value else None
    except ValueError:
        return None
    if reset is None or not math.isfinite(reset):
        return None
    return max(0.0, reset - time.time())


def rate_limit_wait(headers: httpx.Headers) -> float | None:
    """How long a 429 asks us to wait: ``Retry-After``, else ``X-RateLimit-Reset``; else None.

    The one reading of it, shared by the client's retry and the sync's pause gate.
    """
    wait = retry_after_seconds(headers.get("Retry-After"))
    return wait if wait is not None else _reset_in_seconds(headers.get("X-RateLimit-Reset"))


def _fuse_error_message(body: bytes) -> str | None:
    """Fuse's ``{"error": "…"}`` (or its XML twin) message, if the body is one."""
    try:
        load(body, source="answer")
    except FuseErrorAnswer as exc:
        return exc.fuse_message
    except Exception:  # not an error answer: the caller decides what it is
        return None
    return None


def _looks_like_html(response: httpx.Response) -> bool:
    content_type = response.headers.get("Content-Type", "").lower()
    if "html" in content_type:
        return True
    head = response.content[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _cause_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


@dataclass(frozen=True)
class Interpreter:
    """One client's reading of answers and failures: the facts its sentences need."""

    host: str
    # host:port, for connection errors (a wrong port is as likely as a wrong host).
    address: str
    timeout: float
    answer_deadline: float
    max_retry_after: float
    email: str | None
    # Plain http:// skipped a proxy set in the environment: connection errors say why.
    proxy_skipped: bool

    def answer(
        self, response: httpx.Response, session_id: str | None, parse: Callable[[httpx.Response], T]
    ) -> T:
        """``parse(response)`` for a good answer; else the FuseError the answer means."""
        status = response.status_code
        if status == 200:
            return self._ok_answer(response, session_id, parse)
        self._raise_for_error_answer(response, session_id)

    def _ok_answer(
        self, response: httpx.Response, session_id: str | None, parse: Callable[[httpx.Response], T]
    ) -> T:
        status = response.status_code
        if _looks_like_html(response):
            raise self._not_fuse(response, "an HTML page")
        try:
            # Read once: a big log is not parsed a second time to look for an error answer.
            return parse(response)
        except FuseErrorAnswer as answer:
            if answer.is_expired or EXPIRED_MARKER in answer.fuse_message.lower():
                raise ExpiredError(
                    session_id, status=status, fuse_message=answer.fuse_message
                ) from None
            raise UnexpectedStatusError(
                f"Fuse answered with an error: {clip_message(answer.fuse_message)}; check the "
                "request.",
                status=status,
                fuse_message=answer.fuse_message,
            ) from None
        except DeclaredEncodingError as exc:
            # Decided by the document's first bytes: asking again gives the same answer.
            what = f"session {clip_message(session_id)}" if session_id else "this request"
            raise NotFuseAnswerError(
                f"The answer from {self.host} for {what} cannot be read "
                f"({clip_message(exc.message, 160)}); asking again gives the same, so report it "
                "with the session ID.",
                status=status,
            ) from None
        except FormatError:
            # A JSON/XML answer that does not read is most likely cut short: try again.
            raise self._malformed(status) from None
        except Exception as exc:  # a reader failing some other way: the same next time
            what = f"session {clip_message(session_id)}" if session_id else "this request"
            raise NotFuseAnswerError(
                f"The answer from {self.host} for {what} cannot be read "
                f"({type(exc).__name__}: {clip_message(str(exc), 120)}); if it keeps "
                "happening, report it with the session ID.",
                status=status,
            ) from None

    def _raise_for_error_answer(self, response: httpx.Response, session_id: str | None) -> NoReturn:
        status = response.status_code
        # Error answers are small: reading them twice costs nothing.
        fuse_message = _fuse_error_message(response.content)
        if fuse_message is not None and EXPIRED_MARKER in fuse_message.lower():
            raise ExpiredError(session_id, status=status, fuse_message=fuse_message)
        if fuse_message is None and status in (401, 404, 405) and _looks_like_html(response):
            raise self._not_fuse(response, f"an HTML page with HTTP {status}")
        if status == 401:
            raise AuthError(self.email)
        if status == 404:
            raise NotFoundError(
                session_id, fuse_message=fuse_message, url=str(response.url.copy_with(query=None))
            )
        if status == 405:
            raise MethodNotAllowedError(fuse_message=fuse_message)
        if status == 429:
            retry_after = rate_limit_wait(response.headers)
            # A wait longer than we would sleep is not retried: reported at once.
            too_long = retry_after is not None and retry_after > self.max_retry_after
            raise RateLimitedError(retry_after, 1, retryable=False if too_long else None)
        if status in RETRY_STATUSES:
            if fuse_message is None and _looks_like_html(response):
                error_5xx = self._not_fuse(response, f"an HTML page with HTTP {status}")
                error_5xx.retryable = True  # a gateway's error page: worth asking again
                raise error_5xx
            raise ServerError(status, fuse_message, 1)
        if 300 <= status < 400:
            target = httpx.URL(response.headers.get("Location", "")).host or "another address"
            raise NotFuseAnswerError(
                f"{self.host} redirected the request to {target} (HTTP {status}), which is not "
                "a Fuse answer; check the base URL.",
                status=status,
            )
        detail = f": {clip_message(fuse_message)}" if fuse_message else ""
        raise UnexpectedStatusError(
            f"Fuse answered HTTP {status}{detail}; check the base URL and the request.",
            status=status,
            fuse_message=fuse_message,
        )

    def deadline_passed(self) -> FuseTimeoutError:
        """The whole answer took longer than ``answer_deadline`` (a server trickling bytes)."""
        # Not retried: a server that trickles once will most likely trickle again.
        return FuseTimeoutError(
            f"{self.host} took more than {self.answer_deadline:g} seconds to send its answer; "
            "try again later or raise --timeout.",
            retryable=False,
        )

    def request_failure(self, exc: Exception, session_id: str | None) -> FuseError:
        """What an exception raised while sending the request or reading the answer means."""
        if isinstance(exc, httpx.TimeoutException):
            return self._timeout_error(exc)
        if isinstance(exc, httpx.TransportError):
            return self._network_error(exc)
        if isinstance(exc, httpx.DecodingError):
            # A compressed body that does not inflate: most likely cut short, like a bad JSON.
            return self._malformed(None)
        # No request could be made of it (httpx.InvalidURL "URL too long" for a huge ID).
        return self._unaskable(session_id, exc)

    def _not_fuse(self, response: httpx.Response, what: str) -> NotFuseAnswerError:
        return NotFuseAnswerError(
            f"The server at {self.host} answered with {what}, not a Fuse answer; check the base "
            "URL and any proxy or captive portal in between.",
            status=response.status_code,
        )

    def _malformed(self, status: int | None) -> NotFuseAnswerError:
        return NotFuseAnswerError(
            f"The answer from {self.host} was cut short or malformed; try again, and check any "
            "proxy in between if it keeps happening.",
            status=status,
            retryable=True,
        )

    def _unaskable(self, session_id: str | None, exc: Exception) -> InvalidRequestError:
        reason = clip_message(str(exc), 80) or type(exc).__name__
        if session_id:
            return InvalidRequestError(
                f"Cannot ask Fuse for session {clip_message(session_id, 60)} ({len(session_id)} "
                f"characters): no request URL can carry it ({reason}); check the session ID."
            )
        return InvalidRequestError(
            f"Cannot build the request to {self.host} ({reason}); check the base URL and the "
            "filters."
        )

    def _timeout_error(self, exc: httpx.TimeoutException) -> FuseTimeoutError:
        if isinstance(exc, httpx.ConnectTimeout):
            return FuseTimeoutError(
                f"{self.address} did not accept a connection within the timeout; check the "
                "network and proxy settings, or raise --timeout."
            )
        return FuseTimeoutError(
            f"{self.host} did not answer within {self.timeout:g} seconds; try again or raise "
            "--timeout."
        )

    def _network_error(self, exc: httpx.TransportError) -> NetworkError:
        chain = _cause_chain(exc)
        text = " ".join(str(item) for item in chain).lower()
        if any(isinstance(item, ssl.SSLCertVerificationError) for item in chain) or (
            "certificate verify failed" in text
        ):
            return NetworkError(
                f"TLS certificate verification failed for {self.host}; if a proxy or jump host "
                "inspects TLS, pass its CA certificate with --ca-bundle.",
                retryable=False,
            )
        if any(isinstance(item, ssl.SSLError) for item in chain):
            return NetworkError(
                f"The TLS handshake with {self.address} failed; check the base URL (https:// to "
                "an https server) and any proxy in between.",
                retryable=False,
            )
        if isinstance(exc, httpx.ProxyError):
            return NetworkError(
                f"The proxy refused to connect to {self.address}; check HTTPS_PROXY / HTTP_PROXY "
                "and NO_PROXY."
            )
        skipped = (
            " (plain http:// never goes through the proxy in HTTP_PROXY / ALL_PROXY: it would "
            "read the key)"
            if self.proxy_skipped
            else ""
        )
        if any(marker in text for marker in _DNS_MARKERS):
            return NetworkError(
                f"Cannot resolve the host name {self.host}{skipped}; check the base URL and your "
                "DNS or proxy settings.",
                retryable=False,
            )
        if isinstance(exc, httpx.ConnectError):
            return NetworkError(
                f"Cannot connect to {self.address}{skipped}; check the base URL, the network and "
                "any proxy settings."
            )
        return NetworkError(
            f"The connection to {self.address} broke before the answer was complete; try again."
        )
