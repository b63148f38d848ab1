# ruff: noqa: RUF001, RUF003  (the tokens' own brackets, ‹ ›, are meant)
"""core.redact inside text: inputs read back spaced out, sensitive pairs in lines, URLs and JSON
held in strings, data keys that are numbers or addresses, and what must stay readable."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.redact import redact_log

T0 = 1_764_190_000  # 2025-11-26 22:46:40 UTC
SID = "300060;001;1764189889"


def entry(line: str, ts: int = T0, **data: Any) -> dict[str, Any]:
    payload = {**data, "module_type": "prompt", "result_variable": "v"}
    return {"event": {"line": line, "data": payload}, "class": "info", "timestamp": ts}


_TOKEN = re.compile(r"‹[a-z]+-\d+›")


def digits_left(text: str) -> bool:
    """Whether ``text`` holds a digit outside its tokens."""
    return any(ch.isdigit() for ch in _TOKEN.sub("", text))


def redacted(*entries: dict[str, Any]) -> CallLog:
    log = CallLog(session_id=SID, entries=[LogEntry.model_validate(e) for e in entries])
    return redact_log(log)


def lines(log: CallLog) -> list[str]:
    return [e.event.line for e in log.entries]


def data(log: CallLog, index: int) -> dict[str, Any]:
    found = log.entries[index].event.data
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("20481", "You entered 2 0 4 8 1, that is 20,481 or 20-481 or 2-0-4-8-1"),
        ("1234", "lookup 1,234 and 1.234 and 1 2 3 4 and 12-34"),
        ("98765", "you said 9 8 7 6 5, press 1 if that is right"),
        ("7777", "later 7 777 and 7777"),
    ],
)
def test_an_input_read_back_spaced_out_gets_the_inputs_token(typed: str, said: str) -> None:
    out = redacted(entry(f"User input: {typed} (dtmf)"), entry(said))
    token = lines(out)[0].removeprefix("User input: ").removesuffix(" (dtmf)")
    assert token == "‹digits-1›"
    assert not digits_left(lines(out)[1].replace("press 1", ""))
    assert token in lines(out)[1]
    assert "‹digits-2›" not in lines(out)[1]


def test_an_input_said_apart_is_found_whole_elsewhere() -> None:
    out = redacted(entry("User input: 4 1 5 5 (voice)"), entry("Looking up 4155 now"))
    assert lines(out) == ["User input: ‹digits-1› (voice)", "Looking up ‹digits-1› now"]


def test_sensitive_pairs_in_a_url_a_line_and_json_held_in_a_string() -> None:
    out = redacted(
        entry("User input: 20481 (dtmf)"),
        entry("REST", url="https://h/api?member=20481&pin=4321&acct=99887766&lang=en"),
        entry("failed: HTTP 503 for pin=4321 acct 99887766 token=abcdef123456"),
        entry("body", response='{"pin":"4321","phone":"4155550123","status":"ok"}'),
        entry('raw {\\"pin\\":\\"4321\\"} and X-Auth-Token: Bearer abc.def-1'),
    )
    assert data(out, 1)["url"] == (
        "https://h/api?member=‹digits-1›&pin=‹pin-1›&acct=‹account-1›&lang=en"
    )
    assert lines(out)[2] == "failed: HTTP 503 for pin=‹pin-1› acct ‹account-1› token=‹secret-1›"
    assert data(out, 3)["response"] == '{"pin":"‹pin-1›","phone":"‹phone-1›","status":"ok"}'
    assert lines(out)[4] == 'raw {\\"pin\\":\\"‹pin-1›\\"} and X-Auth-Token: ‹secret-2›'


def test_a_pair_value_is_masked_wherever_else_it_appears() -> None:
    out = redacted(entry("later 99887766 again"), entry("REST", url="https://h/?acct=99887766"))
    assert lines(out)[0] == "later ‹account-1› again"


def test_data_keys_that_are_numbers_or_addresses_are_masked_and_stay_distinct() -> None:
    keys = {"4155550166": "x", "(415) 555-0166": "y", "a@b.com": "z", "zip": "94110"}
    out = redacted(entry("keys", nested={"inner": dict(keys)}, **keys))
    top = data(out, 0)
    assert set(top) == {
        "‹phone-1›",
        "‹phone-1›#2",
        "‹email-1›",
        "zip",
        "nested",
        "module_type",
        "result_variable",
    }
    assert list(top["nested"]["inner"]) == ["‹phone-1›", "‹phone-1›#2", "‹email-1›", "zip"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("call 020 7946 0958 today", "phone"),
        ("call 0161 496 0000 today", "phone"),
        ("extension 555 0199 today", "phone"),
        ("extension 555-0199 today", "phone"),
        ("dob 01/02/1990 today", "dob"),
        ("date of birth: 1990-01-02 today", "dob"),
        ("Your code is 83920 today", "pin"),
        ("verification code: 123456 today", "pin"),
    ],
)
def test_uk_and_local_numbers_dates_of_birth_and_one_time_codes(line: str, kind: str) -> None:
    masked = lines(redacted(entry(line)))[0]
    assert masked.endswith(f"‹{kind}-1› today")
    assert not digits_left(masked)


def test_times_module_names_status_codes_and_durations_stay_readable() -> None:
    """Even with inputs learned whose digits a time or a count holds (1126, 2246, 4040)."""
    kept = [
        "2025-11-26 22:46:40 GET /api/v2 -> HTTP 200 in 1234 ms",
        "2025-11-26T22:46:41Z module_type: prompt status=503 duration: 4040 ms",
        "Error: timeout after 30000 ms (code 503), retry 2 of 3, version 1.2.3",
        "status_code=200 elapsed_ms=250 module=digits_collect count: 12",
    ]
    out = redacted(
        entry("User input: 1126 (dtmf)"),
        entry("User input: 2246 (dtmf)"),
        entry("User input: 40 40 (voice)"),
        *(entry(line, ts=T0 + 1) for line in kept[:2]),
        *(entry(line, ts=T0 + 2, note=line) for line in kept[2:]),
    )
    assert lines(out)[3:5] == [
        "2025-11-26 22:46:40 GET /api/v2 -> HTTP 200 in 1234 ms",
        "2025-11-26T22:46:41Z module_type: prompt status=503 duration: ‹digits-3› ms",
    ]
    assert lines(out)[5:] == kept[2:]
    assert [data(out, i)["note"] for i in (5, 6)] == kept[2:]
