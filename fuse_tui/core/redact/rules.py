"""What redaction masks: the sensitive key words and extra patterns, from defaults and ``[redact]``.

A data key is sensitive when one of its *words* is a sensitive word: ``account_number``,
``cardNumber``, ``X-Auth-Token``, ``customer.DOB`` are; ``author``, ``prompt_id``, ``revision_id``
are not. A key is cut into words at ``_ - . space`` and at lower→upper case changes, and a word
matches with or without a plural ``s`` (``tokens``). A configured key of several words
(``member_id``) matches those words in a row (``primary_member_id``).

The config's ``[redact]`` table adds to the defaults (they cannot be switched off: a ticket is
the wrong place to find out one was)::

    [redact]
    keys = ["member_id", "policy"]
    patterns = ['\\bMRN-\\d+\\b']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# (words of the key, the token kind its values get). Phone and e-mail keys give the same kind
# as the text rules, so a number is one token whether found by key or by shape.
DEFAULT_KEYS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(words.split()), kind)
    for words, kind in (
        ("account", "account"),
        ("acct", "account"),
        ("iban", "account"),
        ("routing", "account"),
        ("pin", "pin"),
        ("passcode", "pin"),
        ("otp", "pin"),
        ("ssn", "ssn"),
        ("social security", "ssn"),
        ("card", "card"),
        ("cc", "card"),
        ("pan", "card"),
        ("cvv", "card"),
        ("cvc", "card"),
        ("cvv2", "card"),
        ("expiry", "card"),
        ("dob", "dob"),
        ("birth", "dob"),
        ("birthdate", "dob"),
        ("birthday", "dob"),
        ("password", "secret"),
        ("passwd", "secret"),
        ("pwd", "secret"),
        ("token", "secret"),
        ("secret", "secret"),
        ("auth", "secret"),
        ("authorization", "secret"),
        ("credential", "secret"),
        ("credentials", "secret"),
        ("cookie", "secret"),
        ("api key", "secret"),
        ("apikey", "secret"),
        ("phone", "phone"),
        ("ani", "phone"),
        ("caller id", "phone"),
        ("callerid", "phone"),
        ("email", "email"),
        ("e mail", "email"),
        ("utterance", "speech"),
        ("transcription", "speech"),
        ("transcript", "speech"),
    )
)

# Key words: an upper-case run before a capitalised word (XAuth → X, Auth), a capitalised or
# lower-case word, an upper-case run, or digits.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


class RedactConfigError(ValueError):
    """The ``[redact]`` table cannot be used; the message is one sentence saying what to fix."""


def key_words(key: str) -> tuple[str, ...]:
    """``x-auth-token`` → (x, auth, token); ``cardNumber`` → (card, number); lower case."""
    return tuple(word.lower() for word in _WORD.findall(key))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


@dataclass(frozen=True)
class RedactRules:
    """The sensitive keys (as word sequences with their token kind) and extra text patterns."""

    keys: tuple[tuple[tuple[str, ...], str], ...] = DEFAULT_KEYS
    patterns: tuple[re.Pattern[str], ...] = ()
    # The config's own text, for `config show`.
    extra_keys: tuple[str, ...] = field(default=(), compare=False)

    def kind_of_key(self, key: str) -> str | None:
        """The token kind of a sensitive key's values, or None when ``key`` is not sensitive."""
        words = tuple(_singular(word) for word in key_words(key))
        if not words:
            return None
        for wanted, kind in self.keys:
            size = len(wanted)
            wanted = tuple(_singular(word) for word in wanted)
            if any(words[i : i + size] == wanted for i in range(len(words) - size + 1)):
                return kind
        return None

    @classmethod
    def from_config(cls, table: Mapping[str, Any] | None) -> RedactRules:
        """The defaults plus the config's ``[redact]`` table; :class:`RedactConfigError` (one
        sentence) for a table that cannot be used, such as a pattern that is no regex."""
        if not table:
            return cls()
        unknown = sorted(str(name) for name in table if name not in ("keys", "patterns"))
        if unknown:
            raise RedactConfigError(
                f"The config's [redact] table has an unknown entry {unknown[0]!r}; "
                "it takes keys = [...] and patterns = [...]."
            )
        keys = _strings(table.get("keys", []), "keys")
        patterns = _strings(table.get("patterns", []), "patterns")
        extra: list[tuple[tuple[str, ...], str]] = []
        for key in keys:
            words = key_words(key)
            if not words:
                raise RedactConfigError(
                    f"The config's [redact] keys entry {key!r} has no letters or digits; "
                    'give a key name such as "member_id".'
                )
            extra.append((words, "_".join(words)))
        compiled = tuple(_compile(pattern) for pattern in patterns)
        return cls(keys=DEFAULT_KEYS + tuple(extra), patterns=compiled, extra_keys=tuple(keys))


def _strings(value: Any, name: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise RedactConfigError(
            f"The config's [redact] {name} must be a list of strings, such as "
            f'{name} = ["member_id"].'
        )
    if not all(isinstance(item, str) for item in value):
        raise RedactConfigError(f"The config's [redact] {name} must hold only strings.")
    return list(value)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise RedactConfigError(
            f"The config's [redact] pattern {pattern!r} is not a valid regular expression "
            f"({exc.msg}); fix or remove it."
        ) from None
    if compiled.match(""):
        raise RedactConfigError(
            f"The config's [redact] pattern {pattern!r} matches empty text, so it would mask "
            "nothing useful; make it match at least one character."
        )
    return compiled
