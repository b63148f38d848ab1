"""The bundled sample calls of one account, placed relative to the emulator's clock.

Most are inside the 5-day window; a few are older, so their logs have expired. Each account gets
its own application ID (and so its own session IDs): accounts never see each other's calls.
"""

from __future__ import annotations

from fuse_tui.emulator.builder import StoredCall
from fuse_tui.emulator.scenarios import (
    application_error_call,
    billing_ivr_call,
    email_test_call,
    long_hold_call,
    outbound_survey_call,
    short_hangup_call,
)

HOUR = 3600
DAY = 24 * HOUR
MAIN_NUMBER = "8009957586"


def app_id(account_index: int) -> int:
    """Fuse-style application ID of an account; the first is the seed document's ``300060``."""
    return 300060 + 17 * account_index


def session_id(account_index: int, seq: int, start: int) -> str:
    # Real IDs end with a timestamp a little before the call's first log entry.
    return f"{app_id(account_index)};{seq:03d};{start - 111}"


def sample_calls(anchor: int, account_index: int = 0) -> list[StoredCall]:
    """The hand-written sample set, newest first."""
    at = {
        "billing_fail": anchor - 40 * 60,
        "email": anchor - 2 * HOUR,
        "survey": anchor - 3 * HOUR,
        "app_error": anchor - 5 * HOUR,
        "billing_ok": anchor - 26 * HOUR,
        "long": anchor - 30 * HOUR,
        "edge": anchor - 5 * DAY + HOUR,
        "expired_email": anchor - 6 * DAY,
        "expired_billing": anchor - 8 * DAY,
        "expired_survey": anchor - 12 * DAY,
    }

    def sid(seq: int, key: str) -> str:
        return session_id(account_index, seq, at[key])

    calls = [
        billing_ivr_call(sid(7, "billing_fail"), at["billing_fail"], "6175550142", MAIN_NUMBER),
        email_test_call(sid(1, "email"), at["email"], "2125551234", MAIN_NUMBER),
        outbound_survey_call(sid(3, "survey"), at["survey"], "9175550107"),
        application_error_call(sid(4, "app_error"), at["app_error"], "7185550199", MAIN_NUMBER),
        billing_ivr_call(
            sid(5, "billing_ok"),
            at["billing_ok"],
            "4155550188",
            MAIN_NUMBER,
            account_number="4155550188",
            lookup_fails=False,
            unsafe_text=False,
        ),
        long_hold_call(sid(6, "long"), at["long"], "6465550123", MAIN_NUMBER),
        short_hangup_call(sid(8, "edge"), at["edge"], "2125550111", MAIN_NUMBER),
        email_test_call(sid(9, "expired_email"), at["expired_email"], "2125551234", MAIN_NUMBER),
        billing_ivr_call(
            sid(10, "expired_billing"),
            at["expired_billing"],
            "6175550100",
            MAIN_NUMBER,
            unsafe_text=False,
        ),
        outbound_survey_call(
            sid(11, "expired_survey"), at["expired_survey"], "9175550155", comment="all good"
        ),
    ]
    return calls
