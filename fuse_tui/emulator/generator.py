"""A deterministic generator of realistic calls: the same seed gives the same calls."""

from __future__ import annotations

import random

from fuse_tui.emulator.builder import StoredCall
from fuse_tui.emulator.samples import DAY, MAIN_NUMBER, session_id
from fuse_tui.emulator.scenarios import (
    application_error_call,
    billing_ivr_call,
    email_test_call,
    long_hold_call,
    outbound_survey_call,
    random_phone,
    short_hangup_call,
)

# Generated calls spread over six days, so about one in six has an expired log.
SPREAD_SECONDS = 6 * DAY
FIRST_SEQ = 100


def generate_calls(
    count: int, *, seed: int, anchor: int, account_index: int = 0
) -> list[StoredCall]:
    rng = random.Random(f"fuse-emulator:{seed}:{account_index}")
    calls: list[StoredCall] = []
    for n in range(count):
        start = anchor - rng.randrange(60, SPREAD_SECONDS)
        sid = session_id(account_index, FIRST_SEQ + n, start)
        caller = random_phone(rng)
        roll = rng.random()
        if roll < 0.35:
            call = billing_ivr_call(
                sid,
                start,
                caller,
                MAIN_NUMBER,
                account_number=f"{rng.randrange(10**9, 10**10)}",
                lookup_fails=rng.random() < 0.3,
                unsafe_text=False,
            )
        elif roll < 0.55:
            comment = rng.choice(["great service", "he was late", "no comment", ""])
            call = outbound_survey_call(
                sid, start, caller, rating=rng.randint(1, 5), comment=comment
            )
        elif roll < 0.7:
            call = short_hangup_call(sid, start, caller, MAIN_NUMBER)
        elif roll < 0.85:
            call = email_test_call(sid, start, caller, MAIN_NUMBER)
        elif roll < 0.95:
            call = application_error_call(sid, start, caller, MAIN_NUMBER)
        else:
            call = long_hold_call(sid, start, caller, MAIN_NUMBER, iterations=rng.randint(5, 60))
        calls.append(call)
    return calls
