"""Typed errors of the Fuse client. Each ``str()`` is one sentence a person can act on.

Messages never contain the developer key: they are built from the e-mail, the host, the
session ID and Fuse's own (escaped) error text only.

Every error carries ``kind`` (a short stable name: "server", "network", "expired" …) and
``retryable`` (whether asking again could give another answer). Callers decide by these two,
never by class names: the client alone retries (its one budget, ``retries``), and callers such
as the archive sync only report what is left.
"""

from __future__ import annotations

from fuse_tui.core.textsafe import escape_control


def clip_message(text: str, limit: int = 200) -> str:
    one_line = escape_control(" ".join(text.split()))
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


# The client's one retry budget: a logical request costs at most 1 + DEFAULT_RETRIES requests.
DEFAULT_RETRIES = 3


def attempts_text(attempts: int) -> str:
    """ "after 4 attempts (3 retries)": the wording agrees with the README's "Retries: 3"."""
    if attempts <= 1:
        return "on the first attempt (no retries)"
    retries = attempts - 1
    return f"after {attempts} attempts ({retries} retr{'ies' if retries != 1 else 'y'})"


class FuseError(Exception):
    """Base class of every failure talking to Fuse."""

    kind: str = "error"
    # Whether the client's retry policy applies: another attempt could get another answer.
    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        fuse_message: str | None = None,
        attempts: int = 1,
        retryable: bool | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.fuse_message = fuse_message
        self.attempts = attempts
        if retryable is not None:  # this one instance differs from its class
            self.retryable = retryable
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(FuseError):
    """401: bad e-mail or developer key, or the account is inactive."""

    kind = "auth"

    def __init__(self, email: str | None, *, fuse_message: str | None = None) -> None:
        who = f"for {clip_message(email)} " if email else ""
        super().__init__(
            f"Fuse rejected the credentials {who}(HTTP 401): check the e-mail and developer key "
            "(FUSE_EMAIL, FUSE_DEVELOPER_KEY or the config file) and that the account is active.",
            status=401,
            fuse_message=fuse_message,
        )


class MissingCredentialsError(FuseError):
    """No e-mail or no developer key was configured."""

    kind = "credentials"

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"No Fuse {missing} is configured: set FUSE_EMAIL and FUSE_DEVELOPER_KEY, or run "
            "`fuse-tui config set-credentials`."
        )


class UnusableCredentialsError(FuseError):
    """The e-mail or developer key holds undecodable bytes (a wrong locale, a binary file)."""

    kind = "credentials"

    def __init__(self, what: str) -> None:
        super().__init__(
            f"The Fuse {what} holds bytes that are not valid text: set it again with FUSE_EMAIL "
            "/ FUSE_DEVELOPER_KEY or `fuse-tui config set-credentials`."
        )


class NotFoundError(FuseError):
    """404 ``No call log was found.``"""

    kind = "not_found"

    def __init__(
        self, session_id: str | None, *, fuse_message: str | None = None, url: str | None = None
    ) -> None:
        if session_id:
            message = (
                f"Fuse has no call log for session {clip_message(session_id)} (HTTP 404): check "
                "the session ID and that it belongs to this account."
            )
        else:
            # Listings have no ID to get wrong: a 404 there means the address is not Fuse's API.
            where = f"The address {clip_message(url)}" if url else "The server"
            message = (
                f"{where} answered 404 Not Found: check the base URL (Fuse's is "
                "https://fuse.plumvoice.com/api; it ends in /api)."
            )
        super().__init__(message, status=404, fuse_message=fuse_message)
        self.session_id = session_id


class ExpiredError(FuseError):
    """The 5-day answer: ``There are no call log details available for this call.``"""

    kind = "expired"

    def __init__(
        self, session_id: str | None, *, status: int | None = None, fuse_message: str | None = None
    ) -> None:
        what = f"session {clip_message(session_id)}" if session_id else "this call"
        super().__init__(
            f"The detailed log of {what} is no longer available: Fuse keeps call logs for "
            "5 days only, so open a saved copy from the archive or a dump file instead.",
            status=status,
            fuse_message=fuse_message,
        )


class MethodNotAllowedError(FuseError):
    """405: only GET is allowed (something between us and Fuse changed the request)."""

    kind = "method_not_allowed"

    def __init__(self, *, fuse_message: str | None = None) -> None:
        super().__init__(
            "Fuse refused the request method (HTTP 405): a proxy may be rewriting requests; "
            "check the base URL and proxy settings.",
            status=405,
            fuse_message=fuse_message,
        )


class ServerError(FuseError):
    """5xx from Fuse, still failing after the retries."""

    kind = "server"
    retryable = True

    def __init__(self, status: int, fuse_message: str | None, attempts: int) -> None:
        detail = f": {clip_message(fuse_message)}" if fuse_message else ""
        super().__init__(
            f"Fuse had a server error (HTTP {status}{detail}) {attempts_text(attempts)}; try "
            "again in a few minutes.",
            status=status,
            fuse_message=fuse_message,
            attempts=attempts,
        )


class RateLimitedError(FuseError):
    """429 that outlasted the retries (or asked for too long a wait)."""

    kind = "rate_limited"
    retryable = True

    def __init__(
        self, retry_after: float | None, attempts: int, *, retryable: bool | None = None
    ) -> None:
        wait = f"wait {retry_after:g} seconds" if retry_after is not None else "wait a minute"
        self.retry_after = retry_after
        super().__init__(
            f"Fuse is rate-limiting these requests (HTTP 429); {wait} and try again.",
            status=429,
            attempts=attempts,
            retryable=retryable,
        )


class NetworkError(FuseError):
    """The server could not be reached: connection refused or reset, DNS, TLS, proxy."""

    kind = "network"
    retryable = True


class FuseTimeoutError(NetworkError):
    """No answer within the configured timeout."""

    kind = "timeout"


class NotFuseAnswerError(FuseError):
    """The server answered something that is not a Fuse answer (an HTML page, a cut body…)."""

    kind = "bad_answer"


class InsecureTransportError(FuseError):
    """Refused: credentials would go over plain http:// to a host that is not loopback."""

    kind = "insecure"


class UnexpectedStatusError(FuseError):
    """Any other HTTP status (400, 403, …)."""

    kind = "unexpected_status"


class InvalidRequestError(FuseError):
    """No request could be built (a session ID too long for a URL, say): asking again won't help."""

    kind = "invalid_request"
