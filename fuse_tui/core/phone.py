"""What a typed phone number becomes before it is sent as ``/api/calls?number=``.

Fuse lists a call's ``src`` and ``dest`` as bare 10-digit North American numbers
(``"8009957586"``, ``"6175550142"``: the API docs and every sample of the emulator) and matches
``number`` against them whole. What people type or paste is rarely that: ``+1 (617) 555-0142``,
``617.555.0142``, ``1-800-995-7586``. So:

* everything but digits goes (``+``, spaces, brackets, dashes, dots);
* an 11-digit number that starts with ``1`` is a NANP number with its country code: the ``1`` goes,
  because Fuse lists the 10 digits after it. Any other length is left as typed (a short code,
  an international number), so nothing the user meant is ever cut.

The TUI's calls browser and the ``calls --number`` command both call :func:`normalize_number`, so
the same text finds the same calls in both.
"""

from __future__ import annotations

# The North American Numbering Plan: country code 1, then 10 digits.
NANP_COUNTRY_CODE = "1"
NANP_DIGITS = 10


def normalize_number(typed: str) -> str | None:
    """The number as Fuse lists it (``+1 (617) 555-0142`` → ``6175550142``), or None if no digits.

    Only ASCII digits count: a full-width or Arabic-Indic digit is not something Fuse stores.
    """
    digits = "".join(ch for ch in typed if "0" <= ch <= "9")
    if len(digits) == NANP_DIGITS + 1 and digits.startswith(NANP_COUNTRY_CODE):
        digits = digits[1:]
    return digits or None
