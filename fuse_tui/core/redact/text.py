"""The shapes redaction finds in free text: e-mail addresses, phone and card numbers, long digit
runs, and the caller inputs of ``User input: … (dtmf)`` lines.

Which digit runs go, exactly (the rule the README states):

* a run of **10 to 19 digits** (a phone number without punctuation, an account or card number)
  goes, *unless*, read as a time (seconds, ms, µs or ns: ``core.timestamps``), it falls within a
  week of the log's own timestamps: then it is a time (``1529552581``) and stays;
* digits joined by ``;`` (``300060;001;1529552581``) are a session ID and stay whole;
* phone numbers with punctuation go whatever their length: ``+15551234567``, ``+44 20 7946 0958``,
  ``(555) 123-4567``, ``555-123-4567``, ``555.123.4567``, ``1-800-555-0199``; card numbers in groups
  of four (``4111 1111 1111 1111``) too; so do national numbers with a trunk ``0``
  (``020 7946 0958``) and seven-digit local ones (``555 0199``, ``555-0199``);
* a run of **4 to 9 digits** stays (counts, durations, status codes, ms latencies, revision and
  prompt ids, years), unless it is a value learned from the log itself — a caller's input or the
  value of a sensitive key — which goes wherever it appears (``Redactor.learn``);
* runs of 1 to 3 digits always stay (``200``, ``503``, menu choices).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SESSION_ID = re.compile(r"\d+(?:;\d+)+")
EMAIL = re.compile(
    r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
)
# Groups of four (and Amex's 4-6-5), separated by one space or dash.
CARD = re.compile(
    r"(?<!\d)(?:\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{5})(?!\d)"
)
PHONE = re.compile(
    r"(?<![\d+])(?:"
    # International: + then 7 to 15 digits, optionally grouped by spaces, dots, dashes, brackets.
    r"\+\d(?:[ .-]?\(?\d+\)?){1,7}"
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, with 1- before.
    r"|(?:1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]?\d{4}"
    r"|(?:1[ .-])?\d{3}[.-]\d{3}[.-]\d{4}"
    r"|(?:1 )?\d{3} \d{3} \d{4}"
    # National with a trunk 0 (the UK's 020 7946 0958, 0161 496 0000), and a local 555 0199.
    r"|0\d{2,4}[ -]\d{3,4}[ -]\d{3,4}"
    r"|[2-9]\d{2}[ -]\d{4}"
    r")(?!\d)"
)
LONG_DIGITS = re.compile(r"(?<!\d)\d{10,19}(?!\d)")
MIN_LEARNED_LENGTH = 4
MIN_LEARNED_WORD_LENGTH = 8

# "User input: 6 (dtmf)": the value and, when present, the mode in brackets.
USER_INPUT = re.compile(
    r"^(?P<head>\s*user input:\s*)(?P<value>.*?)(?P<tail>\s*\((?P<mode>[^()]*)\)\s*)?$",
    re.IGNORECASE | re.DOTALL,
)
_DTMF_KEYS = re.compile(r"[0-9*#ABCDabcd\s-]+")
# A DTMF entry of at most this many keys is a menu choice or a rating, kept: it cannot be a
# PIN, a CVV, an account or card number or a date.
MAX_KEPT_DTMF_KEYS = 2


@dataclass(frozen=True)
class CallerInput:
    """The value of a ``User input:`` line, where it sits in the line, and its token kind."""

    value: str
    start: int
    end: int
    kind: str  # "digits" (keys pressed) or "speech" (anything else)
    kept: bool  # a short DTMF entry (a menu choice), left as it is


def caller_input(line: str) -> CallerInput | None:
    """The caller's input in a ``User input: VALUE (MODE)`` line, or None for any other line."""
    match = USER_INPUT.match(line)
    if match is None:
        return None
    value = match.group("value")
    if not value.strip():
        return None
    mode = (match.group("mode") or "").strip().lower()
    keys = _DTMF_KEYS.fullmatch(value) is not None
    kind = "digits" if keys else "speech"
    pressed = sum(not ch.isspace() and ch != "-" for ch in value)
    kept = keys and mode in ("", "dtmf") and pressed <= MAX_KEPT_DTMF_KEYS
    return CallerInput(value, match.start("value"), match.end("value"), kind, kept)


def worth_finding_elsewhere(value: str) -> bool:
    """Whether a caller input or sensitive value is masked wherever else it appears, not only
    where it was found: 4+ characters holding a digit, several words (``john smith``) or 8+
    characters (a password, a token). A single short word (``billing`` said at a menu, ``visa``
    under ``card_type``) would otherwise blank that word out of every prompt of the log."""
    if len(value) < MIN_LEARNED_LENGTH:
        return False
    return (
        any("0" <= ch <= "9" for ch in value)
        or len(value.split()) > 1
        or len(value) >= MIN_LEARNED_WORD_LENGTH
    )


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def phone_digit_count_ok(text: str) -> bool:
    """A phone-shaped match is a phone number when it has 7 to 15 digits (E.164's limit)."""
    return 7 <= len(digits_of(text)) <= 15
