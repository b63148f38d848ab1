# ruff: noqa: RUF002, RUF003  (the tokens' own brackets, ‹ ›, are meant)
"""Mask what callers typed and said, phone numbers, e-mail addresses and sensitive values.

One :class:`Redactor` per output: the same value gets the same token everywhere in it
(``‹digits-1›`` in the ``User input`` line and in the REST URL that sent it on), different values
different tokens. Tokens are numbered in the order their values first appear in the document, so
copying two events of one log names the same account the same way.

Nothing is changed in place: the input log, its entries and their data are left as they are, and
new ones are built (an unchanged entry is shared, never modified). Entry count, order, classes,
timestamps, ``module_type`` and ``result_variable`` (they name the flow, not the caller), session
IDs and the call's start and end are kept, so a redacted dump opens wherever the original does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from fuse_tui.core.formats.document import CallListDocument, CallProblem, Document, LogsDocument
from fuse_tui.core.model import CallList, CallLog, CallSummary, LogEntry
from fuse_tui.core.phone import normalize_number
from fuse_tui.core.redact import pairs
from fuse_tui.core.redact import text as shapes
from fuse_tui.core.redact.rules import RedactRules
from fuse_tui.core.timestamps import epoch_seconds

OPEN, CLOSE = "\u2039", "\u203a"  # ‹ › : no JSON, XML, CSV or shell meaning, and rare in logs
# Data keys that name the flow, never the caller: kept as they are.
FLOW_KEYS = frozenset({"module_type", "result_variable"})
# Call metadata kept as it is (identity and times); src and dest are phone numbers.
KEPT_META = frozenset({"session_id", "start", "end", "type", "log"})
NUMBER_META = frozenset({"src", "dest"})
# A digit run within this many seconds of the log's own times is one of its times.
TIME_WINDOW_SECONDS = 7 * 86_400

EntryFilter = Callable[[LogEntry], bool]
_THREE_DIGITS = re.compile(r"[0-9]{3}")
_NOT_DIGITS = re.compile(r"[^0-9]+")
_ALL_DIGITS = re.compile(r"[0-9]+")
_DIGITS_AND_SEPARATORS = re.compile(r"[0-9]+(?:[ ,.-]+[0-9]+)*")
_SPACED_DIGIT = re.compile(r"[0-9][ ,.-]")
_DIGIT_RUN = re.compile(rf"(?<![0-9])[0-9]{{{shapes.MIN_LEARNED_LENGTH},}}(?![0-9])")
_FEWEST_NUMBER_DIGITS = 7  # the shortest phone number a rule masks (E.164's 7)
_TEXT_CACHE_SIZE = 50_000


class Redactor:
    """Masks values consistently within one output; build a new one for each output."""

    def __init__(self, rules: RedactRules | None = None) -> None:
        self.rules = rules or RedactRules()
        self._tokens: dict[str, str] = {}  # canonical value -> token
        self._counts: Counter[str] = Counter()
        self._learned: dict[str, str] = {}  # value learned from the log -> token kind
        self._learned_pattern: re.Pattern[str] | None = None
        self._learned_compiled = False  # whether _learned_pattern is up to date
        # Learned values that are digits and separators, by their digits -> (kind, value): found
        # read back spaced out (``2 0 4 8 1``, ``20,481``), given the value's own token.
        self._learned_digits: dict[str, tuple[str, str]] = {}
        self._longest_learned_digits = 0
        self._scanned: set[str] = set()  # texts already searched for sensitive pairs
        # Data keys known to be kept as they are (most: ``url``, ``body``), so an object whose
        # keys are all here is rebuilt without looking at any of them.
        self._plain_keys: set[Any] = set()
        self._window: tuple[int, int] | None = None
        self._key_kinds: dict[str, str | None] = {}
        # Logs repeat their texts ("en-US", the same prompt 30,000 times): each is scanned once
        # while what decides its masks (the learned values, the time window) stays the same.
        self._text_cache: dict[str, str] = {}

    def kind_of_key(self, key: object) -> str | None:
        """The rules' kind for a data key, looked up once per distinct key."""
        name = str(key)
        try:
            return self._key_kinds[name]
        except KeyError:
            kind = self._key_kinds[name] = self.rules.kind_of_key(name)
            return kind

    # ------------------------------------------------------------------ tokens

    def token(self, kind: str, value: str) -> str:
        """The token of ``value``: the one it already has (whatever kind found it first), or
        the next of ``kind``."""
        key = _canonical(value)
        token = self._tokens.get(key)
        if token is None:
            self._counts[kind] += 1
            token = f"{OPEN}{kind}-{self._counts[kind]}{CLOSE}"
            self._tokens[key] = token
        return token

    # ------------------------------------------------------------------ learning

    def learn(self, logs: Iterable[CallLog]) -> None:
        """Remember the caller inputs and sensitive values of ``logs``, so they are masked
        wherever else they appear (a URL, a header, a later prompt), before or after."""
        for log in logs:
            for entry in log.entries:
                found = shapes.caller_input(entry.event.line)
                if found is not None and not found.kept:
                    self._remember(found.value.strip(), found.kind)
                if entry.event.line not in self._scanned:
                    self._learn_text(entry.event.line)
                self._learn_value(entry.event.data, None)
                self._learn_value(entry.event.model_extra, None)
                self._learn_value(entry.model_extra, None)
        self._learned_pattern = None
        self._learned_compiled = False
        self._text_cache.clear()
        self._plain_keys.clear()

    def _learn_value(self, value: Any, kind: str | None) -> None:
        # Strings first: most leaves are (and a text is searched for its own pairs once).
        if isinstance(value, str):
            if kind is not None:
                self._remember(value.strip(), kind)
            elif value not in self._scanned:
                self._learn_text(value)
        elif isinstance(value, dict | Mapping):
            for key, item in value.items():
                self._learn_value(item, self.kind_of_key(key) or kind)
        elif isinstance(value, list | tuple):
            for item in value:
                self._learn_value(item, kind)
        elif kind is not None and isinstance(value, int | float) and not isinstance(value, bool):
            self._remember(str(value), kind)

    def _learn_text(self, text: str) -> None:
        """Remember the values of the sensitive pairs in ``text`` (``pin=4321`` in a URL)."""
        self._scanned.add(text)
        numbers = _THREE_DIGITS.search(text) is not None
        for key, start, end in pairs.sensitive_pairs(text, numbers=numbers):
            kind = self.kind_of_key(key)
            if kind is not None:
                self._remember(text[start:end].strip(), kind)

    def _remember(self, value: str, kind: str) -> None:
        if shapes.worth_finding_elsewhere(value):
            self._learned.setdefault(value, kind)

    def _learned_regex(self) -> re.Pattern[str] | None:
        """One pattern for the learned values that are not plain digit runs (those are looked
        up in a set instead: a log may teach thousands of them)."""
        if self._learned_compiled:
            return self._learned_pattern
        self._learned_compiled = True
        self._learned_digits = {}
        for value, kind in self._learned.items():
            if _DIGITS_AND_SEPARATORS.fullmatch(value):
                digits = shapes.digits_of(value)
                if len(digits) >= shapes.MIN_LEARNED_LENGTH:
                    self._learned_digits.setdefault(digits, (kind, value))
        self._longest_learned_digits = max(map(len, self._learned_digits), default=0)
        words = [value for value in self._learned if not _ALL_DIGITS.fullmatch(value)]
        if words:
            parts = []
            # Longest first, so a value is never cut short by one that starts it.
            for value in sorted(words, key=len, reverse=True):
                literal = re.escape(value)
                # Digits must not run on into other digits; words into other word characters.
                before = (
                    r"(?<!\d)" if value[0].isdigit() else (r"(?<!\w)" if value[0].isalnum() else "")
                )
                after = (
                    r"(?!\d)" if value[-1].isdigit() else (r"(?!\w)" if value[-1].isalnum() else "")
                )
                parts.append(before + literal + after)
            self._learned_pattern = re.compile("|".join(parts), re.IGNORECASE)
        return self._learned_pattern

    def _learned_kind(self, matched: str) -> str:
        kind = self._learned.get(matched)
        if kind is None:  # matched in another case
            folded = matched.casefold()
            kind = next((k for v, k in self._learned.items() if v.casefold() == folded), "speech")
        return kind

    # ------------------------------------------------------------------ text

    def text(self, text: str) -> str:
        """``text`` with every e-mail address, phone or card number, long digit run, learned
        value and configured pattern replaced by its token; session IDs and times kept."""
        if not text:
            return text
        cached = self._text_cache.get(text)
        if cached is not None:
            return cached
        if len(self._text_cache) >= _TEXT_CACHE_SIZE:
            self._text_cache.clear()
        masked = self._text_cache[text] = self._masked(text)
        return masked

    def _masked(self, text: str) -> str:
        spans = self._spans(text)
        if not spans:
            return text
        out: list[str] = []
        position = 0
        for start, end, kind, value in spans:
            if start < position:
                continue  # overlaps a span already taken (earlier, or the same start and first)
            out.append(text[position:start])
            matched = text[start:end]
            out.append(matched if kind is None else self.token(kind, value or matched))
            position = end
        out.append(text[position:])
        return "".join(out)

    def _spans(self, text: str) -> list[tuple[int, int, str | None, str | None]]:
        """(start, end, kind, value) of everything to mask — kind None: keep it whole (a
        session ID); value: whose token it gets when not its own text (a read-back number) —
        sorted so that at one start the highest-priority rule comes first."""
        # start, priority, end, kind, value
        found: list[tuple[int, int, int, str | None, str | None]] = []
        # Every digit rule needs three digits in a row (or a + for an international number).
        digit_rules = _THREE_DIGITS.search(text) is not None or "+" in text
        # ...and seven digits in all (a session ID needs none of this: it is kept anyway).
        long_rules = digit_rules and len(_NOT_DIGITS.sub("", text)) >= _FEWEST_NUMBER_DIGITS
        if digit_rules and ";" in text:
            for m in shapes.SESSION_ID.finditer(text):
                found.append((m.start(), 0, m.end(), None, None))
        if "@" in text:
            for m in shapes.EMAIL.finditer(text):
                found.append((m.start(), 1, m.end(), "email", None))
        for pattern in self.rules.patterns:
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    found.append((m.start(), 2, m.end(), "match", None))
        learned = self._learned_regex()
        if digit_rules and self._learned:
            for m in _DIGIT_RUN.finditer(text):  # a whole run equal to a learned number
                kind = self._learned.get(m.group())
                if kind is not None:
                    found.append((m.start(), 3, m.end(), kind, None))
                elif m.group() in self._learned_digits:  # 4155 entered as "4 1 5 5"
                    kind, value = self._learned_digits[m.group()]
                    found.append((m.start(), 3, m.end(), kind, value))
        if learned is not None:
            for m in learned.finditer(text):
                found.append((m.start(), 3, m.end(), self._learned_kind(m.group()), None))
        if self._learned_digits and _SPACED_DIGIT.search(text) is not None:
            spans = pairs.read_back_spans(text, self._learned_digits, self._longest_learned_digits)
            for start, end, digits in spans:  # 2 0 4 8 1, 20,481: the input read back
                kind, value = self._learned_digits[digits]
                found.append((start, 3, end, kind, value))
        if long_rules:
            for m in shapes.CARD.finditer(text):
                found.append((m.start(), 4, m.end(), "card", None))
            for m in shapes.PHONE.finditer(text):
                if shapes.phone_digit_count_ok(m.group()):
                    found.append((m.start(), 5, m.end(), "phone", None))
            for m in shapes.LONG_DIGITS.finditer(text):
                if not self._is_time(m.group()):
                    kind = "phone" if len(m.group()) <= 15 else "card"
                    found.append((m.start(), 6, m.end(), kind, None))
        # A sensitive pair's value last: at its start a card or phone number is told as one.
        for key, start, end in pairs.sensitive_pairs(text, numbers=digit_rules):
            kind = self.kind_of_key(key)
            if kind is not None:
                found.append((start, 7, end, kind, None))
        if digit_rules and ("code" in text or "Code" in text or "CODE" in text):
            for m in pairs.ONE_TIME_CODE.finditer(text):
                found.append((m.start(1), 7, m.end(1), "pin", None))
        # At one start the highest priority wins; a longer match of another rule starting
        # inside a taken span is skipped by text(), so a protected session ID stays whole.
        found.sort(key=lambda span: (span[0], span[1]))
        return [(start, end, kind, value) for start, _priority, end, kind, value in found]

    def _set_window(self, window: tuple[int, int] | None) -> None:
        if window != self._window:
            self._window = window
            self._text_cache.clear()  # a digit run's reading as a time depends on it
            self._plain_keys.clear()

    def _is_time(self, digits: str) -> bool:
        if self._window is None:
            return False
        seconds = epoch_seconds(int(digits))
        low, high = self._window
        return seconds is not None and low <= seconds <= high

    # ------------------------------------------------------------------ values

    def value(self, value: Any, kind: str | None = None) -> Any:
        """A data value with its keys kept and its values masked, at any depth. Under a
        sensitive key (``kind``) every string and number becomes a token; booleans and nulls
        stay (they hold no more than one bit)."""
        if isinstance(value, str) and kind is None:  # the usual leaf, first
            return self.text(value)
        if isinstance(value, dict | Mapping):
            if self._plain_keys.issuperset(value) or not self._keys_masked(value):
                return {
                    key: self.value(item, self.kind_of_key(key) or kind)
                    for key, item in value.items()
                }
            out: dict[Any, Any] = {}
            for key, item in value.items():
                out[self._key(key, out)] = self.value(item, self.kind_of_key(key) or kind)
            return out
        if isinstance(value, list | tuple):
            return [self.value(item, kind) for item in value]
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, str):
            if kind is not None and value.strip():
                return self.token(kind, value.strip())
            return self.text(value)
        if isinstance(value, int | float):
            if kind is not None:
                return self.token(kind, str(value))
            if isinstance(value, int):
                shown = str(value)
                masked = self.text(shown)
                return value if masked == shown else masked
            return value
        return value

    def data(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """An entry's ``data``: ``module_type`` and ``result_variable`` kept, the rest masked."""
        if self._plain_keys.issuperset(data) or not self._keys_masked(data):
            return {
                key: item if key in FLOW_KEYS else self.value(item, self.kind_of_key(key))
                for key, item in data.items()
            }
        out: dict[str, Any] = {}
        for key, item in data.items():
            if key in FLOW_KEYS:
                out[key] = item
            else:
                out[self._key(key, out)] = self.value(item, self.kind_of_key(key))
        return out

    def _keys_masked(self, mapping: Mapping[Any, Any]) -> bool:
        """Whether any key of ``mapping`` is masked; the kept ones join ``_plain_keys``."""
        masked = False
        for key in mapping:
            if key in self._plain_keys:
                continue
            if isinstance(key, str) and self.text(key) != key:
                masked = True
            else:
                self._plain_keys.add(key)
        return masked

    def _key(self, key: Any, taken: Mapping[Any, Any]) -> Any:
        """A data key masked like text (``{"4155550166": …}`` is a phone number too), kept
        distinct from the keys already in ``taken``, so the object keeps its size."""
        if not isinstance(key, str):
            return key
        masked = self.text(key)
        if masked is key or masked == key:
            return key
        unique, count = masked, 1
        while unique in taken:
            count += 1
            unique = f"{masked}#{count}"
        return unique

    def line(self, line: str) -> str:
        """A log line: a ``User input:`` value becomes its token, then the text rules apply."""
        found = shapes.caller_input(line)
        if found is None or found.kept:
            return self.text(line)
        token = self.token(found.kind, found.value.strip())
        return self.text(line[: found.start]) + token + self.text(line[found.end :])

    # ------------------------------------------------------------------ model objects

    def entry(self, entry: LogEntry) -> LogEntry:
        """A redacted copy of ``entry`` (``entry`` itself when nothing in it is sensitive)."""
        event = entry.event
        line = self.line(event.line)
        data = None if event.data is None else self.data(event.data)
        if event.model_extra or entry.model_extra:  # rare: the API's own shape, rebuilt
            return self._entry_with_extras(entry)
        if line == event.line and data == event.data:
            return entry
        # Copies (pydantic copies the fields-set too): the original and its event stay as
        # they are, shared bookkeeping included.
        new_event = event.model_copy(update={"line": line, "data": data})
        return entry.model_copy(update={"event": new_event})

    def _entry_with_extras(self, entry: LogEntry) -> LogEntry:
        api = entry.to_api()
        redacted = dict(api)
        event = api.get("event")
        if isinstance(event, Mapping):
            new_event: dict[str, Any] = {}
            for key, item in event.items():
                if key == "line" and isinstance(item, str):
                    new_event[key] = self.line(item)
                elif key == "data" and isinstance(item, Mapping):
                    new_event[key] = self.data(item)
                else:
                    new_event[key] = self.value(item, self.kind_of_key(key))
            redacted["event"] = new_event
        for key in entry.model_extra:
            redacted[key] = self.value(api[key], self.kind_of_key(key))
        if redacted == api:
            return entry
        return LogEntry.model_validate(redacted)

    def meta(self, meta: Mapping[str, Any]) -> dict[str, Any]:
        """Call metadata: identity and times kept, ``src``/``dest`` masked as phone numbers
        (``Outbound`` stays), anything else by the data rules."""
        out: dict[str, Any] = {}
        for key, item in meta.items():
            if key in KEPT_META:
                out[key] = item
            elif key in NUMBER_META:
                out[key] = self.number(item)
            else:
                out[key] = self.value(item, self.kind_of_key(key))
        return out

    def number(self, value: Any) -> Any:
        """A call's ``src``/``dest``: a phone token when it holds digits, else as it is."""
        if isinstance(value, bool) or value is None:
            return value
        text = str(value)
        if not any("0" <= ch <= "9" for ch in text):
            return value
        return self.token("phone", text.strip())

    def log(self, log: CallLog, *, keep: EntryFilter | None = None) -> CallLog:
        """A redacted copy of ``log``; with ``keep``, only the entries it accepts — decided on
        the original entries, so a filter can name real values."""
        self._set_window(_time_window(log))
        meta = self.meta(log.meta)  # first: the call's header is read before its entries
        entries = [self.entry(entry) for entry in log.entries if keep is None or keep(entry)]
        return CallLog(session_id=log.session_id, entries=entries, source=log.source, meta=meta)

    def call_list(self, calls: CallList) -> CallList:
        summaries = [self.summary(call) for call in calls.calls]
        return calls.model_copy(update={"calls": summaries})

    def summary(self, call: CallSummary) -> CallSummary:
        self._set_window(_window_of([call.start, call.end]))
        update: dict[str, Any] = {"src": self.number(call.src), "dest": self.number(call.dest)}
        for key, item in (call.model_extra or {}).items():
            update[key] = self.value(item, self.kind_of_key(key))
        return CallSummary.model_validate({**call.model_dump(), **update})

    def problem(self, problem: CallProblem) -> CallProblem:
        return CallProblem(
            problem.index, problem.session_id, self.text(problem.message), self.meta(problem.meta)
        )

    def document(self, document: Document, *, keep: EntryFilter | None = None) -> Document:
        """A redacted copy of ``document``: every log (learned from all of them first), a call
        list's numbers, and the notes on calls that could not be read."""
        if isinstance(document, CallListDocument):
            return CallListDocument(self.call_list(document.calls), document.format)
        self.learn(document.logs)
        return LogsDocument(
            [self.log(log, keep=keep) for log in document.logs],
            document.kind,
            document.format,
            [self.problem(problem) for problem in document.problems],
        )


def _canonical(value: str) -> str:
    """One key per value however it is written: a number by its digits (``+1 (415) 555-0123``
    is ``4155550123``; keys ending in the DTMF terminator ``#`` or ``*`` are the number they
    end), an e-mail address in lower case, other text case-folded."""
    stripped = value.strip()
    number = stripped.rstrip("#*").rstrip()
    if any("0" <= ch <= "9" for ch in number) and all(
        ch.isdigit() or ch in " ()+.-" for ch in number
    ):
        return "n:" + (normalize_number(number) or number)
    if "@" in stripped:
        return "e:" + stripped.lower()
    return "t:" + stripped.casefold()


def _time_window(log: CallLog) -> tuple[int, int] | None:
    stamps: list[Any] = [log.first_timestamp, log.last_timestamp]
    stamps += [log.meta.get("start"), log.meta.get("end")]
    return _window_of(stamps)


def _window_of(values: Sequence[Any]) -> tuple[int, int] | None:
    seconds = [
        s for value in values if value is not None and (s := epoch_seconds(value)) is not None
    ]
    if not seconds:
        return None
    return min(seconds) - TIME_WINDOW_SECONDS, max(seconds) + TIME_WINDOW_SECONDS


# ---------------------------------------------------------------------- the functions to call


def redact_log(log: CallLog, rules: RedactRules | None = None) -> CallLog:
    """A NEW, redacted copy of ``log`` (its own tokens: one output)."""
    redactor = Redactor(rules)
    redactor.learn([log])
    return redactor.log(log)


def redact_document(
    document: Document, rules: RedactRules | None = None, *, keep: EntryFilter | None = None
) -> Document:
    """A NEW, redacted copy of a whole document, tokens shared across its calls."""
    return Redactor(rules).document(document, keep=keep)


def redact_selection(
    log: CallLog, positions: Iterable[int], rules: RedactRules | None = None
) -> CallLog:
    """``log`` redacted, holding only its entries at ``positions`` (a selection, the filtered
    view; in the log's order), with the tokens the whole log gives them — learned from and
    numbered over every entry — so two copies from one log name a value alike.

    Positions, not the entries themselves: a log's entries may be built on each access (compact
    entries), so an entry object does not say which one it is."""
    wanted = sorted(set(positions))
    full = redact_log(log, rules)
    entries = full.entries
    picked = [entries[i] for i in wanted if 0 <= i < len(entries)]
    return CallLog(session_id=log.session_id, entries=picked, source=log.source, meta=full.meta)
