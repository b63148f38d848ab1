"""Sensitive keys inside free text, and numbers read back with separators.

A log's lines and string values carry their own key/value pairs — a REST URL's query
(``?pin=4321&acct=99887766``), a header (``X-Auth-Token: abc``), a JSON body held as a string
(``{"pin":"4321"}``, escaped or not), a note (``acct 99887766``, ``dob 01/02/1990``) — and IVR
prompts read a caller's digits back spaced out (``2 0 4 8 1``, ``20,481``, ``2-0-4-8-1``).
These are the shapes; ``Redactor`` decides what they mask.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator

# A key followed by = or : (the key maybe quoted, its quote maybe escaped as in JSON held in a
# string). Only the key and separator: the value is read after a sensitive key only, so a key
# that is not sensitive (``https:``) never swallows the pairs after it.
KEY_THEN_SEPARATOR = re.compile(r"""(?<!\w)([A-Za-z][\w.-]*)\\?["']?[ \t]*[=:][ \t]*""")
# The value after it: quoted (up to its closing quote), an HTTP scheme and its credentials, or
# one bare word up to a space, quote, &, ;, comma or bracket.
PAIR_VALUE = re.compile(
    r"""\\?"((?:[^"\\]|\\(?!"))*)\\?\""""
    r"""|\\?'((?:[^'\\]|\\(?!'))*)\\?'"""
    r"""|((?:(?:Bearer|Basic|Digest)[ \t]+)?[^\s"'&;,<>{}\[\]()]+)""",
    re.IGNORECASE,
)
# A key word then a number with no separator but spaces: ``acct 99887766``, ``dob 01/02/1990``.
KEY_THEN_NUMBER = re.compile(r"(?<!\w)([A-Za-z][\w-]*)[ \t]+(\d[\d/.-]*\d)(?![\w])")
MIN_KEYED_NUMBER_DIGITS = 3  # ``cvv 123``; ``pin 3 tries`` is no PIN

# A one-time code in a message: ``Your code is 83920``, ``verification code: 123456``.
ONE_TIME_CODE = re.compile(
    r"\b(?:(?:your|verification|security|one[- ]time|access|confirmation|login|sms)\s+code\b"
    r"(?:\s+is)?|code\s+is)\s*:?\s*(\d{4,8})(?!\d)",
    re.IGNORECASE,
)

# Digits in groups joined by one space, or a comma, dot or dash (and maybe a space): the forms a
# number is read back in. An ISO date's groups are a date, never searched inside.
SEPARATED_DIGITS = re.compile(r"(?<!\d)\d+(?:(?:[,.-] ?| )\d+)+(?!\d)")
_GROUP = re.compile(r"\d+")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d(?!\d)")


def sensitive_pairs(text: str, *, numbers: bool = True) -> Iterator[tuple[str, int, int]]:
    """(key, start, end) of the value of every ``key=value`` / ``key: value`` /
    ``"key":"value"`` / ``key 1234`` pair in ``text``, any key; the caller keeps the sensitive
    ones. A quoted value's span is inside its quotes. ``numbers=False``: the text has no three
    digits in a row, so no ``key 1234`` pair is looked for."""
    if "=" in text or ":" in text:
        for m in KEY_THEN_SEPARATOR.finditer(text):
            value = PAIR_VALUE.match(text, m.end())
            if value is None:
                continue
            group = value.lastindex or 3
            if value.end(group) > value.start(group):
                yield m.group(1), value.start(group), value.end(group)
    if not numbers:
        return
    for m in KEY_THEN_NUMBER.finditer(text):
        if sum(ch.isdigit() for ch in m.group(2)) >= MIN_KEYED_NUMBER_DIGITS:
            yield m.group(1), m.start(2), m.end(2)


def read_back_spans(
    text: str, known: Container[str], longest: int
) -> Iterator[tuple[int, int, str]]:
    """(start, end, digits) of every run of separated digit groups whose digits, over whole
    groups, are one of ``known`` (digit strings of at most ``longest`` digits)."""
    for run in SEPARATED_DIGITS.finditer(text):
        groups = [(m.start(), m.end(), m.group()) for m in _GROUP.finditer(run.group())]
        whole = "".join(g[2] for g in groups)
        base = run.start()
        if whole in known:
            yield base, run.end(), whole
            continue
        if _ISO_DATE.match(run.group()):
            continue
        first = 0
        while first < len(groups):
            digits = ""
            found = False
            for last in range(first, len(groups)):
                digits += groups[last][2]
                if len(digits) > longest:
                    break
                if last > first and digits in known:
                    yield base + groups[first][0], base + groups[last][1], digits
                    first = last + 1
                    found = True
                    break
            if not found:
                first += 1
