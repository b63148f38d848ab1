"""The filter language shared by the TUI, ``fuse-tui show --grep`` and archive search.

Syntax (the grammar is :mod:`fuse_tui.core.query_syntax`; terms are AND-ed):

- ``word`` / ``"a phrase"``: case-insensitive substring of the class, module, result variable,
  line, or any data key or value at any depth;
- ``field:value`` (``status:500``, ``request.url:billing``, ``class:error``), ``field:re:…``,
  and numeric ``field>N`` ``>=`` ``<`` ``<=`` ``=`` (:mod:`fuse_tui.core.query_fields`);
- ``re:PATTERN`` / ``re:"a b"``: a Python regular expression, case-insensitive (``(?-i:…)``
  makes part of it case-sensitive), ``^``/``$`` at each field's edges;
- a leading ``!`` negates one term; ``\\!`` or ``\\re:`` at a term's start means the literal text.

An entry is searched in what a person sees of it in the list and the detail pane: its class,
module type, result variable, line, and every key and value of its ``data`` at any depth (one
``path: value`` field each), each made one display line by :func:`escape_control`. ``matches``,
``select`` and ``spans`` use the same compiled patterns over the same text, so highlighting and
"next match" never disagree.

A query of one word or one regex is itself the term (``pattern``, ``inverted``, ``is_regex``);
a longer one holds its terms in ``terms``, each such a one-term ``Query`` or a ``FieldTerm``.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, filterfalse, repeat
from typing import Any

# User regexes run on the `regex` module: it resists catastrophic backtracking far better than
# `re`, and it takes a timeout, so `re:(a|aa)+$` on a hostile line cannot freeze the TUI or hang
# `show --grep` (stdlib `re` holds the GIL and cannot be interrupted).
import regex

from fuse_tui.core.model import LogEntry
from fuse_tui.core.query_fields import (
    FieldTerm,
    compile_user_regex,
    lowered_texts,
    read_keys_ahead,
    take_census,
)
from fuse_tui.core.query_regex import RegexPlan, case_matters, case_sensitive_plan, plan_of
from fuse_tui.core.query_syntax import (
    ParsedTerm,
    QueryError,
    SearchCancelled,
    compared_names,
    field_names,
    parse_terms,
)
from fuse_tui.core.query_values import AsciiFlags, all_ascii
from fuse_tui.core.search_index import SearchIndex
from fuse_tui.core.textsafe import escape_control, is_printable_but_newlines

__all__ = [
    "Query",
    "QueryError",
    "SearchCancelled",
    "SearchIndex",
    "entry_texts",
    "prepare",
    "read_fields_ahead",
    "search_text",
    "take_census",
]

# Fields are joined with a newline: escaped text never contains one, and with re.MULTILINE
# ``^``/``$`` anchor at each field's start and end, as they would when searching a field alone.
FIELD_SEPARATOR = "\n"


# How long one regex search may take on one entry. Ordinary searches take microseconds.
REGEX_TIMEOUT = 0.25
# Entries longer than this are checked for the literals a regex needs before it runs on them.
_LONG_TEXT = 65_536

# Query.select searches the entries joined into texts of about CHUNK_CHARS. Each chunk gets its
# share of JOINED_TIMEOUT (at least CHUNK_MIN_BUDGET, at most REGEX_TIMEOUT); a chunk over its
# budget sends it and the rest to the entry-by-entry search. Ordinary regexes take ~1 ms a
# chunk. Chunks keep a regex that is slow only over joined text from costing much: a leading
# [^;]* scans from every position to the end of the text, which alone is one entry.
CHUNK_CHARS = 256 * 1024

# A cancellable select asks ``cancelled()`` before each step of this many entries (a step of a
# word or a field term takes ~5-30 ms), and every FALLBACK_STEP entries searched one by one.
SELECT_STEP = 65_536
FALLBACK_STEP = 256
JOINED_TIMEOUT = 1.0
CHUNK_MIN_BUDGET = 0.05

# Entries are joined with a newline, a NUL and a newline. An entry's edges then look, to ^ $ \b
# \B, the same as the edges of the entry searched alone (a newline is neither a word character
# nor text), and the NUL, which escaped text never holds, marks where the next entry begins.
ENTRY_SEPARATOR = "\n\x00\n"
# Appended to a joined search's regex as its last group: once an entry matches, the match runs
# on to the next entry's start, so one pass over the joined text yields one match per matching
# entry and never tries the positions between entries.
_REST_OF_ENTRY = r"([^\x00]*(?:\x00\n)?)"

# Constructs whose outcome can change when more text follows the entry: \A \Z \G \K, \X (a
# grapheme can take in the separator), control verbs, possessive repeats, fuzzy or \p{…}
# braces. Over-broad on purpose (an escaped "\\A" is caught too): a false alarm only costs
# the entry-by-entry search.
_EDGE_SENSITIVE = regex.compile(r"\\[AZzGKX]|\(\*|[*+?}]\+|\{[^}]*[a-zA-Z]")
# The "(?" openings that are safe: non-capturing, named group or reference, comment, branch
# reset, and turning on the flags a i L m s u for a group, or for the whole pattern at its very
# start. Lookarounds, atomic groups, conditionals, recursion, turning a flag off, the x r b e p
# f V flags, and whole-pattern flags further on (the regex module applies some of those to
# what precedes them and some not) are not.
_SAFE_GROUP = regex.compile(r"\(\?(?:[:#|]|P?<[^\W\d]|P=|[aiLmsu]+:)")
_LEADING_FLAGS = regex.compile(r"\(\?[aiLmsu]+\)")


# An entry this long makes even a plain regex slow (a search from each of its positions): the
# refusal then blames its size, not backtracking.
_BIG_ENTRY = 1_000_000


def _too_slow(source: str, entry_size: int = 0) -> QueryError:
    if entry_size >= _BIG_ENTRY:
        return QueryError(
            f"the regular expression {source!r} takes too long on an entry of "
            f"{entry_size / 1_000_000:.0f} million characters; make it more specific, e.g. with "
            "a literal it must contain or a field (line:re:…)"
        )
    return QueryError(
        f"the regular expression {source!r} takes too long on this log "
        "(it backtracks catastrophically); simplify it, e.g. avoid nested repeats like (a+)+"
    )


def _joinable(source: str) -> bool:
    """Whether searching joined entries gives, for ``source``, what searching each one does."""
    if _EDGE_SENSITIVE.search(source):
        return False
    leading = _LEADING_FLAGS.match(source)
    return all(
        _SAFE_GROUP.match(source, opening.start())
        for opening in regex.finditer(r"\(\?", source, pos=leading.end() if leading else 0)
    )


# A log has a handful of classes: escape each once, not once per entry.
_escaped_kind = functools.lru_cache(maxsize=1024)(escape_control)


def search_text(entry: LogEntry) -> str:
    """The text of ``entry`` that a query searches: class, module, result variable, line, and
    every key and value of the event's ``data`` at any depth — why a call failed is almost always
    there (a REST URL, a status, a response body), so a search that skipped it would say
    "nothing" with the answer on screen in the detail pane.

    Each data value is one field ``path: value`` (``response.status: 503``), numbers and booleans
    as JSON writes them; keys and values are escaped like everything shown.
    """
    event = entry.event
    # Most entries hold nothing to escape: their fields joined as they are, checked once (a
    # newline in a field, or anything else escape_control changes, takes the escaping road).
    fields = [entry.kind, event.module_type or "", event.result_variable or "", event.line or ""]
    if event.data:
        append = fields.append
        for key, value in event.data.items():  # _data_fields, inlined for flat data
            kind = type(value)
            if kind is str or kind is int or kind is float:
                append(f"{key}: {value}")
            else:
                _data_fields(value, str(key), fields, _as_is)
    text = FIELD_SEPARATOR.join(fields)
    if is_printable_but_newlines(text) and text.count(FIELD_SEPARATOR) == len(fields) - 1:
        return text
    return escaped_search_text(entry)


def entry_texts(
    entries_of: Callable[[], Sequence[LogEntry]],
) -> Callable[[int, int], list[str]]:
    """``texts_of(start, stop)``: the search texts of entries ``start .. stop`` of the sequence
    ``entries_of()`` gives (a log that grows may hold a new list), for a :class:`SearchIndex`.
    Compact entries give theirs without building a model (~4 µs an entry, where a model costs
    ~15); other sequences give models."""

    def texts_of(start: int, stop: int) -> list[str]:
        entries = entries_of()
        from_columns = getattr(entries, "search_texts", None)  # core.entries
        if from_columns is not None:
            texts: list[str] = from_columns(start, stop)
            return texts
        return [search_text(entries[i]) for i in range(start, stop)]

    return texts_of


def escaped_search_text(entry: LogEntry) -> str:
    """:func:`search_text` with every field escaped on its own (what it gives when a field
    holds anything to escape; the reference its fast road is tested against)."""
    event = entry.event
    fields = [
        _escaped_kind(entry.kind),
        escape_control(event.module_type or ""),
        escape_control(event.result_variable or ""),
        escape_control(event.line or ""),
    ]
    if event.data:
        _data_fields(event.data, "", fields)
    return FIELD_SEPARATOR.join(fields)


def _as_is(text: str) -> str:
    return text


def _data_fields(
    value: Any, path: str, out: list[str], escape: Callable[[str], str] = escape_control
) -> None:
    """``path: value`` for every leaf of ``value`` (list items share their list's path)."""
    if isinstance(value, dict):
        if not value:
            out.append(f"{path}: {{}}" if path else "{}")
        for key, item in value.items():
            name = escape(str(key))
            _data_fields(item, f"{path}.{name}" if path else name, out, escape)
    elif isinstance(value, list):
        if not value:
            out.append(f"{path}: []")
        for item in value:
            _data_fields(item, path, out, escape)
    else:
        out.append(f"{path}: {_scalar_text(value, escape)}")


def _scalar_text(value: Any, escape: Callable[[str], str] = escape_control) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return escape(str(value))


@dataclass(frozen=True)
class Query:
    """A parsed filter expression. ``Query.parse("")`` matches everything."""

    text: str = ""
    # A compiled `re` pattern for literal text, a `regex` pattern for ``re:`` queries.
    pattern: Any = None
    inverted: bool = False
    is_regex: bool = False
    _literal: str = field(default="", repr=False)
    # For a regex that can be searched over joined entries: it, followed by _REST_OF_ENTRY.
    _joined: Any = field(default=None, repr=False)
    # What a regex must contain, read from its source (query_regex), when that could be read.
    _plan: RegexPlan | None = field(default=None, repr=False)
    # A regex that may answer otherwise on a lowered text (query_regex.case_matters): over a
    # SearchIndex it searches the original texts.
    _case_matters: bool = field(default=False, repr=False)
    # For such a regex that is "(?-i)" and a case-blind rest: the plan of that rest, whose
    # required literals any match of the whole holds too (query_regex.case_sensitive_plan).
    _sensitive_plan: RegexPlan | None = field(default=None, repr=False)
    # Several terms (all must hold), cheapest first: one-term Queries and FieldTerms.
    terms: tuple[Any, ...] = ()

    @classmethod
    def parse(cls, text: str, *, strict: bool = False) -> Query:
        """Parse ``text``; raise :class:`QueryError` (with its ``column``) when it is not a
        query: bad syntax or an invalid regular expression; with ``strict``, also a term that
        says nothing (a lone ``!``, ``re:``, ``""``: see ``parse_terms``)."""
        parsed = parse_terms(text, strict=strict)
        if not parsed:
            return cls(text=text)
        if len(parsed) == 1 and parsed[0].field is None:
            only = parsed[0]
            return cls._simple(text, only.value, only.negated, only.is_regex, only.value_column)
        return cls.of_terms(text, parsed)

    @classmethod
    def of_terms(cls, text: str, parsed: Sequence[ParsedTerm]) -> Query:
        """A query of these terms of ``text`` (all must hold), e.g. the part of a query that
        SQL could not answer. Raises :class:`QueryError` for an invalid regex among them."""
        built = [cls._term(term, _shown(term)) for term in parsed]
        built.sort(key=_cost)  # stable: equal costs keep the typed order
        return cls(text=text, terms=tuple(built))

    @classmethod
    def _term(cls, term: ParsedTerm, text: str) -> Any:
        if term.field is not None:
            return FieldTerm.build(
                text,
                term.field,
                term.op,
                term.value,
                term.negated,
                term.is_regex,
                term.value_column,
            )
        return cls._simple(text, term.value, term.negated, term.is_regex, term.value_column)

    @classmethod
    def _simple(cls, text: str, body: str, inverted: bool, is_regex: bool, column: int) -> Query:
        """One word, phrase or ``re:`` term."""
        if is_regex:
            pattern = compile_user_regex(body, column)
            joined = None
            if _joinable(body):
                try:
                    # pattern.flags: global inline flags ("(?a)") act on the whole pattern
                    # only at its top level, so they must be passed on, not left in the group.
                    joined = regex.compile(f"(?:{body}){_REST_OF_ENTRY}", pattern.flags)
                except (regex.error, ValueError, OverflowError):
                    joined = None  # e.g. too many groups: the entry-by-entry search still works
            return cls(
                text=text,
                pattern=pattern,
                inverted=inverted,
                is_regex=True,
                _joined=joined,
                _plan=plan_of(body),
                _case_matters=case_matters(body),
                _sensitive_plan=case_sensitive_plan(body),
            )
        # A literal is searched in the text as shown, where a newline reads "\\n".
        body = escape_control(body)
        literal = body.lower()
        pattern = re.compile(re.escape(body), re.IGNORECASE)
        return cls(text=text, pattern=pattern, inverted=inverted, _literal=literal)

    @property
    def is_empty(self) -> bool:
        return self.pattern is None and not self.terms

    def matches_text(self, haystack: str) -> bool:
        """Whether a :func:`search_text` string passes the filter (the fast path for big lists)."""
        if self.terms:
            return all(term.matches_text(haystack) for term in self.terms)
        if self.pattern is None:
            return True
        return self._found_in(haystack) != self.inverted

    def matches_at(self, texts: Sequence[str], index: int) -> bool:
        """``matches_text(texts[index])``; for a :class:`SearchIndex`, on the text it keeps when
        that answers the same (no text is made again: what a search entry by entry, such as the
        next match, wants)."""
        if isinstance(texts, SearchIndex) and not self.case_matters:
            return self.matches_text(texts.stored[index])
        return self.matches_text(texts[index])

    @functools.cached_property
    def case_matters(self) -> bool:
        """Whether a regex of the query may answer otherwise on a lowered text (asked for
        every row matches_at tries: worked out once)."""
        return self._case_matters or any(
            term.case_matters if isinstance(term, FieldTerm) else term._case_matters
            for term in self.terms
        )

    def select(
        self,
        texts: Sequence[str],
        indices: Iterable[int] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[int]:
        """Which of ``indices`` (default: all) have a :func:`search_text` that passes, in order.

        The same answers as :meth:`matches_text` for each, faster: terms run cheapest first,
        each on what the ones before kept; words compare with a lowered copy of the texts kept
        between calls (``texts`` must not change in place), or, for a :class:`SearchIndex`, with
        the texts it keeps lowered; a regex that can tell case apart searches its original texts,
        made again a step at a time (``query_regex.case_matters``). A regex's per-search
        timeout costs more than most searches, so the texts are joined and searched in a few
        passes, each under one timeout. Where a pass cannot be trusted to answer the same (a
        match runs from one entry into the next) the entry's own search decides; from a pass
        over its budget on, the entries are searched one by one. Raises :class:`QueryError` like
        :meth:`matches_text`.

        With ``cancelled``, it is asked between steps (:data:`SELECT_STEP` entries, a joined
        chunk, :data:`FALLBACK_STEP` entries searched one by one, a step of lowering the texts,
        :data:`ORIGINALS_STEP` original texts made again):
        once it is true the select stops there and raises :class:`SearchCancelled`.
        """
        chosen: Sequence[int]
        if indices is None:
            chosen = range(len(texts))
        else:  # a range stays one: a step of it is a slice of the lowered copy
            chosen = indices if isinstance(indices, range) else list(indices)
        if self.terms:
            kept: Sequence[int] = chosen
            for term in self.terms:
                if not kept:
                    break
                if isinstance(term, FieldTerm):
                    kept = _select_field(term, texts, kept, cancelled)
                else:
                    kept = term.select(texts, kept, cancelled)
            return list(kept)
        if self.pattern is None:
            return list(chosen)
        # What is searched: a search index's own texts answer as the originals do unless the
        # regex can tell case apart; then the originals, made again a step at a time.
        searched: Sequence[str] = texts
        if isinstance(texts, SearchIndex):
            if self._case_matters:
                return self._select_originals(texts, chosen, cancelled)
            searched = texts.stored
        if not self.is_regex and self._literal.isascii():
            return self._select_literal(texts, searched, chosen, cancelled)
        plan = self._plan
        if plan is not None and (plan.everything or plan.any_char):
            return _in_steps(lambda part: self._select_planned(part, searched), chosen, cancelled)
        if plan is not None and (plan.exact is not None or plan.required):
            # Lowered once for all the steps (kept for the next select when most are chosen).
            lowered, ascii_ = lowered_texts(texts, chosen, cancelled)
            return _in_steps(
                lambda part: self._select_planned(part, searched, lowered, ascii_, cancelled),
                chosen,
                cancelled,
            )
        return self._select_regex(searched, chosen, cancelled)

    def _select_regex(
        self,
        texts: Mapping[int, str] | Sequence[str],
        chosen: Sequence[int],
        cancelled: Callable[[], bool] | None,
    ) -> list[int]:
        """:meth:`select` for a regex: joined searches, and entry by entry where they can't."""
        decided = 0
        selected: list[int] = []
        if self._joined is not None:
            found, decided = self._joined_search([texts[i] for i in chosen], cancelled)
            inverted = self.inverted
            selected = [
                i
                for i, hit in zip(chosen[:decided], found[:decided], strict=True)
                if hit != inverted
            ]
        matches = self.matches_text
        return selected + _in_steps(
            lambda part: [i for i in part if matches(texts[i])],
            chosen[decided:],
            cancelled,
            FALLBACK_STEP,
        )

    def _select_originals(
        self,
        index: SearchIndex,
        chosen: Sequence[int],
        cancelled: Callable[[], bool] | None,
    ) -> list[int]:
        """:meth:`select` for a regex that can tell case apart over a search index: on the
        original texts, made again a step at a time; only for the entries whose kept lowered
        text holds the literals a match needs when that is known (``_sensitive_plan``)."""
        positive = dataclasses.replace(self, inverted=False)  # the same text: same messages
        plan = self._sensitive_plan
        part = chosen
        if plan is not None:
            lowered, ascii_ = lowered_texts(index, chosen, cancelled)
            part = _in_steps(
                lambda step: _holding_required(plan, step, lowered, ascii_), chosen, cancelled
            )
        hits = _by_originals(
            lambda found, step: positive._select_regex(found, step, cancelled),
            index,
            part,
            cancelled,
        )
        if not self.inverted:
            return hits
        return list(filterfalse(set(hits).__contains__, chosen))

    def _select_literal(
        self,
        texts: Sequence[str],
        searched: Sequence[str],
        chosen: Sequence[int],
        cancelled: Callable[[], bool] | None,
    ) -> list[int]:
        """:meth:`_found_in` for an ASCII word over many texts, on their kept lowered copy
        (``searched``: ``texts``, or a search index's own texts)."""
        lowered, ascii_ = lowered_texts(texts, chosen, cancelled)
        literal, inverted, search = self._literal, self.inverted, self.pattern.search
        if all_ascii(ascii_, chosen):
            return _in_steps(
                lambda part: [i for i in part if (literal in lowered[i]) != inverted],
                chosen,
                cancelled,
            )
        assert ascii_ is not None
        # A plain loop: as fast here as map/compress (the substring search dominates).
        return _in_steps(
            lambda part: [
                i
                for i in part
                if ((literal in lowered[i]) if ascii_[i] else (search(searched[i]) is not None))
                != inverted
            ],
            chosen,
            cancelled,
        )

    def _select_planned(
        self,
        part: Sequence[int],
        texts: Sequence[str],
        lowered: Mapping[int, str] | Sequence[str] = (),
        ascii_: AsciiFlags = (),
        cancelled: Callable[[], bool] | None = None,
    ) -> list[int]:
        """:meth:`select` for a regex with a plan (:mod:`fuse_tui.core.query_regex`): what the
        plan answers exactly by string operations, the rest by the regex."""
        plan = self._plan
        assert plan is not None
        hits: Sequence[int]
        if plan.everything:
            hits = part
        elif plan.any_char:  # a character other than "\n" (no DOTALL: "." never matches it)
            hits = list(compress(part, map(str.strip, map(texts.__getitem__, part), repeat("\n"))))
        else:
            hits = self._planned_hits(texts, part, plan, lowered, ascii_, cancelled)
        if not self.inverted:
            return hits if isinstance(hits, list) else list(hits)
        if not hits:
            return list(part)
        return list(filterfalse(set(hits).__contains__, part))

    def _planned_hits(
        self,
        texts: Sequence[str],
        part: Sequence[int],
        plan: RegexPlan,
        lowered: Mapping[int, str] | Sequence[str],
        ascii_: AsciiFlags,
        cancelled: Callable[[], bool] | None,
    ) -> list[int]:
        """Which of ``part`` the regex (not inverted) matches: ASCII texts by the plan on their
        lowered copy, the others (where case-blind matching reaches past ASCII) by the regex."""
        positive = dataclasses.replace(self, inverted=False)  # the same text: same messages
        plain, others = _split_ascii(part, ascii_)
        lows = _lows(lowered, plain)
        if plan.exact is not None:
            checks = _exact_checks(plan.exact)
            passing = _passing(lows, range(len(lows)), checks)
            if isinstance(plain, range) and plain.step == 1 and plain.start == 0:
                hits = passing  # positions are the indices: no lookup per hit
            else:
                hits = list(map(plain.__getitem__, passing))
        else:
            # Longest literals first: they are the likeliest to leave few entries.
            clauses = sorted(plan.required, key=lambda clause: -min(map(len, clause)))
            positions: Sequence[int] = range(len(lows))
            for clause in clauses[:3]:
                checks = [(operator.contains, literal) for literal in clause]
                positions = _passing(lows, positions, checks)
            candidates = list(map(plain.__getitem__, positions))
            hits = positive._select_regex(texts, candidates, cancelled) if candidates else []
        if others:
            found = set(hits).union(positive._select_regex(texts, others, cancelled))
            hits = [i for i in part if i in found]
        return hits

    def _joined_search(
        self, parts: list[str], cancelled: Callable[[], bool] | None = None
    ) -> tuple[bytearray, int]:
        """Per part, whether the regex finds a match in it, for the parts before the second
        value: a chunk over its budget leaves it and the rest undecided (see select)."""
        found = bytearray(len(parts))
        gap = len(ENTRY_SEPARATOR)
        total = sum(map(len, parts)) + gap * len(parts)
        first = 0
        while first < len(parts):
            last, size = first, 0
            while last < len(parts) and (last == first or size < CHUNK_CHARS):
                size += len(parts[last]) + gap
                last += 1
            if cancelled is not None and cancelled():
                raise SearchCancelled
            share = JOINED_TIMEOUT * size / total
            budget = min(REGEX_TIMEOUT, max(CHUNK_MIN_BUDGET, share))
            if not self._search_chunk(parts, first, last, found, budget):
                return found, first
            first = last
        return found, len(parts)

    def _search_chunk(
        self, parts: list[str], first: int, last: int, found: bytearray, budget: float
    ) -> bool:
        """Set ``found`` for ``parts[first:last]`` searched joined; False if over ``budget``."""
        chunk = parts[first:last]
        joined = ENTRY_SEPARATOR.join(chunk)
        gap = len(ENTRY_SEPARATOR)
        # starts[k], ends[k]: where chunk part k begins and ends (where its separator begins).
        ends = [end - gap for end in accumulate(len(part) + gap for part in chunk)]
        starts = [0, *(end + gap for end in ends[:-1])]
        rest = self._joined.groups  # the _REST_OF_ENTRY group
        deadline = time.monotonic() + budget
        pos = part = 0
        try:
            while pos <= len(joined):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                resume = None
                for match in self._joined.finditer(joined, pos, timeout=remaining):
                    start = match.start()
                    if ends[part] < start:  # matches come in order: most land in the next part
                        part += 1
                        if ends[part] < start:
                            part = bisect_left(ends, start, part)
                    # `part` now holds `start`, or follows the gap `start` is in.
                    part_start = starts[part]
                    if start < part_start:
                        # Between two entries, where no entry's own search looks; and the
                        # rest-of-entry group may have run into the next one: search it afresh.
                        resume = part_start
                        break
                    if match.start(rest) <= ends[part]:
                        found[first + part] = 1
                        continue
                    # It runs into the next entry: the entry's own search decides for it.
                    found[first + part] = self._found_in(chunk[part])
                    resume = ends[part] + gap
                    break
                if resume is None:
                    return True
                pos = resume
        except TimeoutError:
            return False
        return True

    def _found_in(self, haystack: str) -> bool:
        """Whether the pattern occurs in ``haystack`` (not inverted); QueryError if too slow."""
        if self._literal and haystack.isascii() and self._literal.isascii():
            return self._literal in haystack.lower()
        if not self.is_regex:
            return self.pattern.search(haystack) is not None
        if len(haystack) > _LONG_TEXT and self._lacks_a_required_literal(haystack):
            return False
        try:
            return self.pattern.search(haystack, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError as exc:
            raise _too_slow(self.text, len(haystack)) from exc

    def _lacks_a_required_literal(self, haystack: str) -> bool:
        """Whether an ASCII ``haystack`` holds none of the literals of one of the plan's clauses,
        so no match can be in it (what select checks first). The regex module's timeout is
        not checked inside some of its scans: re:A+B on 10 million A's ran 4.5 s a search."""
        plan = self._plan
        if plan is None or not plan.required or not haystack.isascii():
            return False
        lowered = haystack.lower()
        return any(not any(literal in lowered for literal in clause) for clause in plan.required)

    def matches(self, entry: LogEntry) -> bool:
        """Whether ``entry`` passes the filter."""
        return self.matches_text(search_text(entry))

    def spans(self, text: str, field: str | None = None) -> list[tuple[int, int]]:
        """Where ``text`` matches, as sorted, non-overlapping ``(start, end)`` pairs to highlight.

        Without ``field``, ``text`` is any displayed text and the words, phrases and regexes
        apply. With ``field`` (``"class"``, ``"module"``, ``"var"``, ``"line"`` or a data
        path such as ``"response.status"``), ``text`` is that field's value and the field terms
        naming it apply too (a comparison that holds marks the whole value). Nothing for a
        negated term (the entries it keeps are those that do not match) nor for zero-width
        regex matches.
        """
        if not self.terms:
            return self._own_spans(text)
        found: list[tuple[int, int]] = []
        for term in self.terms:
            if isinstance(term, FieldTerm):
                if field is not None and term.names(field):
                    found += term.spans(text)
            else:
                found += term._own_spans(text)
        return _merged(found)

    def key_matches(self, path: str) -> bool:
        """Whether a (not negated) field term names the data ``path``, to highlight its key."""
        return any(
            isinstance(term, FieldTerm)
            and not term.negated
            and term.builtin is None
            and term.names(path)
            for term in self.terms
        )

    def _own_spans(self, text: str) -> list[tuple[int, int]]:
        if self.pattern is None or self.inverted:
            return []
        if not self.is_regex:
            return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]
        try:
            found = self.pattern.finditer(text, timeout=REGEX_TIMEOUT)
            return [m.span() for m in found if m.end() > m.start()]
        except TimeoutError:  # drawing must not fail: no highlight rather than a frozen row
            return []


def prepare(texts: Sequence[str]) -> None:
    """Do now, e.g. in the thread that builds the search texts, the work the first
    :meth:`Query.select` over ``texts`` would do: their lowered copy (~0.4 s at 1M texts, and
    as much memory again as the texts). Only what was added since is done when ``texts`` grew.
    A :class:`SearchIndex` needs none (it holds its texts lowered)."""
    lowered_texts(texts, range(len(texts)))


def read_fields_ahead(
    texts: Sequence[str], text: str, cancelled: Callable[[], bool] | None = None
) -> None:
    """Read now the values of the data fields a filter ``text`` names, finished or not, that a
    comparison or substring term on them keeps (~0.4 s for a key in 300k of 1M texts): e.g. in
    the filter's thread once ``revision_id>`` is typed (it does not parse yet), so that the
    next keystroke's ``revision_id>5`` compares kept values (~20 ms) instead of reading them.
    Lowers the texts first when they are not (as :func:`prepare`); between steps, raises
    :class:`SearchCancelled` once ``cancelled()`` is true (what was read is kept)."""
    read_keys_ahead(texts, field_names(text), cancelled, compared_names(text))


def _in_steps(
    select: Callable[[Sequence[int]], Sequence[int]],
    chosen: Sequence[int],
    cancelled: Callable[[], bool] | None,
    step: int = SELECT_STEP,
) -> list[int]:
    """``select(chosen)``, a step of ``chosen`` at a time when ``cancelled`` is given: raises
    :class:`SearchCancelled` before a step once ``cancelled()`` is true."""
    if cancelled is None:
        return list(select(chosen))
    kept: list[int] = []
    for start in range(0, len(chosen), step):
        if cancelled():
            raise SearchCancelled
        kept += select(chosen[start : start + step])
    return kept


def _select_field(
    term: FieldTerm,
    texts: Sequence[str],
    chosen: Sequence[int],
    cancelled: Callable[[], bool] | None,
) -> list[int]:
    """Which of ``chosen`` pass the field term (the texts of a search index as
    :meth:`Query.select` searches them)."""
    lowered, ascii_ = lowered_texts(texts, chosen, cancelled)
    searched: Sequence[str] = texts
    if isinstance(texts, SearchIndex):
        if term.case_matters:
            return _by_originals(
                lambda found, part: term.select(found, part, lowered, ascii_),
                texts,
                chosen,
                cancelled,
            )
        searched = texts.stored
    values = term.kept_values(texts, lowered, chosen, cancelled)
    select = functools.partial(term.select, searched, lowered=lowered, ascii_=ascii_, values=values)
    return _in_steps(select, chosen, cancelled)


# Entries whose original texts a search makes again at a time (~40 ms at 4 µs a text).
ORIGINALS_STEP = 8192


def _by_originals(
    select: Callable[[Mapping[int, str], Sequence[int]], Sequence[int]],
    index: SearchIndex,
    chosen: Sequence[int],
    cancelled: Callable[[], bool] | None,
) -> list[int]:
    """``select(originals, part)`` for a step of ``chosen`` at a time (``originals``: the
    original texts of ``part``, by index), so that they are never all held at once; raises
    :class:`SearchCancelled` before a step once ``cancelled()`` is true."""
    kept: list[int] = []
    for start in range(0, len(chosen), ORIGINALS_STEP):
        if cancelled is not None and cancelled():
            raise SearchCancelled
        part = chosen[start : start + ORIGINALS_STEP]
        kept += select(index.originals(part), part)
    return kept


def _split_ascii(part: Sequence[int], ascii_: AsciiFlags) -> tuple[Sequence[int], Sequence[int]]:
    """``part``'s ASCII texts and the others, each in order."""
    if ascii_ is None or all_ascii(ascii_, part):
        return part, []
    flags = list(map(ascii_.__getitem__, part))
    return list(compress(part, flags)), list(compress(part, map(operator.not_, flags)))


def _holding_required(
    plan: RegexPlan,
    part: Sequence[int],
    lowered: Mapping[int, str] | Sequence[str],
    ascii_: AsciiFlags,
) -> list[int]:
    """Those of ``part`` whose lowered text holds a literal of each of the plan's first three
    required clauses (longest literals first), and the texts not ASCII, in order."""
    plain, others = _split_ascii(part, ascii_)
    lows = _lows(lowered, plain)
    clauses = sorted(plan.required, key=lambda clause: -min(map(len, clause)))
    positions: Sequence[int] = range(len(lows))
    for clause in clauses[:3]:
        positions = _passing(lows, positions, [(operator.contains, lit) for lit in clause])
    kept = list(map(plain.__getitem__, positions))
    if others:
        found = set(kept).union(others)
        kept = [i for i in part if i in found]
    return kept


def _lows(lowered: Mapping[int, str] | Sequence[str], part: Sequence[int]) -> Sequence[str]:
    """The lowered texts of ``part``, in its order."""
    if isinstance(lowered, list) and isinstance(part, range) and part.step == 1:
        return lowered[part.start : part.stop]
    return list(map(lowered.__getitem__, part))


# A check: a function of (lowered text, argument) that is true where the regex matches.
_Check = tuple[Callable[[str, Any], bool], Any]


def _exact_checks(exact: tuple[tuple[str, bool, bool], ...]) -> list[_Check]:
    """Checks that one of ``exact``'s literals occurs where its anchors say (MULTILINE: ``^``
    at the text's start or after a "\n", ``$`` at its end or before one), likeliest first."""
    checks: list[_Check] = []
    checks += [(operator.contains, lit) for lit, start, end in exact if not start and not end]
    starts = tuple(lit for lit, start, end in exact if start and not end)
    if starts:
        checks.append((str.startswith, starts))
        checks += [(operator.contains, "\n" + lit) for lit in starts]
    ends = tuple(lit for lit, start, end in exact if end and not start)
    if ends:
        checks.append((str.endswith, ends))
        checks += [(operator.contains, lit + "\n") for lit in ends]
    for lit in (lit for lit, start, end in exact if start and end):
        checks += [
            (operator.eq, lit),
            (str.startswith, lit + "\n"),
            (str.endswith, "\n" + lit),
            (operator.contains, "\n" + lit + "\n"),
        ]
    return checks


def _passing(lows: Sequence[str], positions: Sequence[int], checks: list[_Check]) -> list[int]:
    """Those of ``positions`` (into ``lows``) where some check holds, in order: a pass of
    each check, in C, over the texts no check before it held for. Those texts are kept as a
    list of their own (no lookup per check), made again only after a check that held for
    some (a line-start literal of an exact plan is most often nowhere but at the start)."""
    todo = positions
    todo_lows: Sequence[str]
    if isinstance(positions, range) and positions.step == 1 and len(positions) == len(lows):
        todo_lows = lows
    else:
        todo_lows = list(map(lows.__getitem__, positions))
    found: list[list[int]] = []
    for number, (check, argument) in enumerate(checks, 1):
        if not todo:
            break
        flags = list(map(check, todo_lows, repeat(argument)))
        if True not in flags:
            continue
        found.append(list(compress(todo, flags)))
        if number < len(checks):  # what is left for the next check
            left = list(map(operator.not_, flags))
            todo = list(compress(todo, left))
            todo_lows = list(compress(todo_lows, left))
    if len(found) == 1:
        return found[0]
    return sorted(chain.from_iterable(found))


def _shown(term: ParsedTerm) -> str:
    """A term as it reads in messages."""
    sign = "!" if term.negated else ""
    name = "" if term.field is None else f"{term.field}{term.op}"
    return f"{sign}{name}{'re:' if term.is_regex else ''}{term.value}"


def _cost(term: Any) -> int:
    if isinstance(term, FieldTerm):
        return int(term.cost)
    if term.is_regex:
        return 3
    return 0 if term._literal.isascii() else 1


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
