"""core.story: the story of a call, built from its log (the seed's call, the emulator's calls,
odd and hostile logs) and told as text, markdown, JSON and HTML."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.story import Story, build_story
from fuse_tui.core.story.render_html import stories_html
from fuse_tui.core.story.render_json import stories_json
from fuse_tui.core.story.render_markdown import md_escape, stories_markdown
from fuse_tui.core.story.render_text import stories_text
from fuse_tui.emulator.builder import LogBuilder, StoredCall
from fuse_tui.emulator.generator import generate_calls
from fuse_tui.emulator.scenarios import (
    ANSI_BODY,
    application_error_call,
    billing_ivr_call,
    long_hold_call,
    outbound_survey_call,
    short_hangup_call,
)
from tests.core.log_strategies import ODD_TEXTS, json_timestamps, json_values

SEED = Path(__file__).parents[1] / "data" / "seed_call.json"
T0 = 1_764_190_000


def _log(entries: list[dict[str, Any]], **fields: Any) -> CallLog:
    return CallLog(entries=[LogEntry.model_validate(e) for e in entries], **fields)


def _stored(call: StoredCall) -> CallLog:
    return _log(call.entries, session_id=call.session_id, meta=call.summary(True))


def _all_notes(story: Story) -> dict[str, list[Any]]:
    kinds = ("heard", "entered", "data_calls", "transfers", "errors", "waits")
    return {k: [item for step in story.steps for item in getattr(step, k)] for k in kinds}


# --- the seed's call ---------------------------------------------------------------------------


def test_the_seed_call_tells_its_application_prompts_email_and_exit() -> None:
    story = build_story(_log(json.loads(SEED.read_text())))
    assert (story.application, story.version) == ("email test", "0.2")
    assert (story.start, story.end, story.duration) == (1529552692, 1529552697, 5)
    assert [s.label for s in story.steps][:3] == ["start", "prompt (var_0)", "email (var_1)"]
    notes = _all_notes(story)
    assert [h.text for h in notes["heard"]] == ["Sending email", "message sent! goodbye!"]
    (email,) = notes["data_calls"]
    assert (email.kind, email.target, email.outcome) == ("email", "tests@plumgroup.com", "ok")
    assert story.ending.kind == "exit" and story.ending.entry == 5
    assert notes["waits"] == [] and notes["errors"] == []


def test_steps_carry_offsets_and_durations_from_core_steps() -> None:
    story = build_story(_log(json.loads(SEED.read_text())))
    assert [(s.offset, s.duration) for s in story.steps] == [
        (0, 0),
        (0, 2),
        (2, 0),
        (2, 2),
        (4, 1),
    ]


# --- the emulator's calls: every kind of module it writes --------------------------------------


def test_billing_call_with_a_failed_lookup_then_a_transfer() -> None:
    story = build_story(_stored(billing_ivr_call("s", T0, "2125551234", "8005550100")))
    assert (story.caller, story.called, story.direction) == ("2125551234", "8005550100", "inbound")
    notes = _all_notes(story)
    assert [(e.value, e.mode) for e in notes["entered"]] == [("1", "dtmf"), ("4155550123", "dtmf")]
    (rest,) = notes["data_calls"]
    assert (rest.method, rest.status, rest.outcome, rest.latency_ms) == (
        "GET",
        "503",
        "failed",
        10004,
    )
    assert rest.target is not None and rest.target.startswith("https://billing.")
    (error,) = notes["errors"]
    assert error.text.startswith("REST request failed")
    assert [s.label for s in story.steps if s.errors] == ["rest (balance_lookup)"]
    (transfer,) = notes["transfers"]
    assert (transfer.destination, transfer.outcome) == ("8005550199", "Transfer connected")
    assert story.ending.kind == "transfer" and "8005550199" in story.ending.text
    # 6 s before the menu input, 9 s before the digits, 10 s for the REST call.
    assert [w.seconds for w in notes["waits"]] == [6, 9, 10]


def test_billing_call_with_a_good_lookup_is_ok_with_its_latency() -> None:
    call = billing_ivr_call("s", T0, "2125551234", "8005550100", lookup_fails=False)
    (rest,) = _all_notes(build_story(_stored(call)))["data_calls"]
    assert (rest.status, rest.outcome, rest.latency_ms) == ("200", "ok", 412)


def test_survey_call_voice_input_and_a_recording() -> None:
    story = build_story(
        _stored(outbound_survey_call("s", T0, "2125551234", rating=2, comment="ok"))
    )
    entered = [(e.value, e.mode) for e in _all_notes(story)["entered"]]
    assert entered == [("yes", "voice"), ("2", "dtmf"), ("ok", "recording")]
    assert story.caller == "Outbound" and story.ending.kind == "exit"


def test_application_error_ends_on_the_error() -> None:
    story = build_story(_stored(application_error_call("s", T0, "a", "b")))
    (js,) = _all_notes(story)["data_calls"]
    assert (js.kind, js.outcome) == ("evaluate_js", "failed")
    assert story.ending.kind == "error" and "no error handler" in story.ending.text
    assert story.error_count == 2


@pytest.mark.parametrize(
    "call",
    [long_hold_call("s", T0, "a", "b", iterations=3), short_hangup_call("s", T0, "a", "b")],
    ids=["hold", "greeting"],
)
def test_caller_hang_up_is_the_ending(call: StoredCall) -> None:
    assert build_story(_stored(call)).ending.kind == "caller_hangup"


def test_every_generated_call_tells_a_story_in_every_format() -> None:
    calls = generate_calls(60, seed=7, anchor=T0)
    logs = [_stored(call) for call in calls]
    stories = [build_story(log) for log in logs]
    assert {s.ending.kind for s in stories} >= {"exit", "transfer", "error", "caller_hangup"}
    assert all(s.application for s in stories)
    assert all("\x1b" not in line for line in stories_text(stories))
    json.loads(stories_json(stories, 5))
    assert "".join(stories_markdown(stories))
    _check_html("".join(stories_html(stories, logs)))


def _module_call(module: str, **data: Any) -> CallLog:
    log = LogBuilder(T0)
    log.start("kinds", "1")
    log.add("info", "Calling", module, "v", after=1)
    log.add("debug", "Done", module, "v", after=1, **data)
    log.exit()
    return _log(log.entries)


@pytest.mark.parametrize(
    ("module", "data", "expected"),
    [
        (
            "soap",
            {"wsdl": "https://x/s?wsdl", "http_status": 500},
            ("https://x/s?wsdl", "500", "failed"),
        ),
        ("sms", {"to": "+15550001", "status": "delivered"}, ("+15550001", "delivered", "ok")),
        (
            "REST",
            {"url": "https://x/a", "status": "201", "latency_ms": "87"},
            ("https://x/a", "201", "ok"),
        ),
        ("Evaluate JS", {"script": "1+1"}, (None, None, "ok")),
        ("dynamodb", {"table": "users", "response_code": 200}, ("users", "200", "ok")),
        ("aws_s3", {"bucket": "b", "code": "AccessDenied"}, ("b", "AccessDenied", "failed")),
        # A module nobody listed that reports a URL and a status is still a back-end call.
        ("webhook_v9", {"url": "https://h", "status_code": 404}, ("https://h", "404", "failed")),
    ],
)
def test_data_calls_of_every_kind_with_tolerant_field_names(
    module: str, data: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    (call,) = _all_notes(build_story(_module_call(module, **data)))["data_calls"]
    assert (call.target, call.status, call.outcome) == expected


def test_latency_in_seconds_is_read_as_milliseconds() -> None:
    (call,) = _all_notes(build_story(_module_call("rest", url="u", elapsed=1.5)))["data_calls"]
    assert call.latency_ms == 1500


def test_unknown_modules_and_missing_fields_make_generic_steps() -> None:
    log = _log(
        [
            {"event": {"line": "hello"}},
            {"event": {"line": "x", "data": {"module_type": "teleport"}}, "timestamp": 10**25},
            {"class": "error"},
            {},
        ]
    )
    story = build_story(log)
    assert story.application is None and story.start is None and story.duration is None
    assert [s.label for s in story.steps] == ["(no module)", "teleport"]
    assert story.ending.kind == "error"  # the log stops on an error, with no exit


def test_a_log_cut_short_says_so() -> None:
    log = _log([{"event": {"line": "x", "data": {"module_type": "menu"}}, "timestamp": T0}])
    ending = build_story(log).ending
    assert ending.kind == "unknown" and "cut short" in ending.text


def test_an_empty_log_has_an_empty_story() -> None:
    story = build_story(CallLog())
    assert story.steps == () and story.ending.kind == "unknown"
    assert list(stories_text([story]))


def test_the_gap_decides_what_is_a_long_wait() -> None:
    log = _stored(billing_ivr_call("s", T0, "a", "b"))
    assert len(_all_notes(build_story(log, gap_seconds=10))["waits"]) == 1
    assert len(_all_notes(build_story(log, gap_seconds=1))["waits"]) > 3


def test_milliseconds_timestamps_are_read_in_their_unit() -> None:
    entries = json.loads(SEED.read_text())
    for entry in entries:
        entry["timestamp"] *= 1000
    story = build_story(_log(entries))
    assert (story.start, story.duration) == (1529552692, 5)


def test_no_input_and_data_first_input() -> None:
    log = _log(
        [
            {"event": {"line": "No input", "data": {"module_type": "digits"}}, "class": "event"},
            {
                "event": {
                    "line": "User input: 9 (dtmf)",  # the data says otherwise: it wins
                    "data": {"module_type": "digits", "user_input": "42", "input_mode": "voice"},
                },
                "class": "event",
            },
        ]
    )
    entered = [(e.value, e.mode) for e in _all_notes(build_story(log))["entered"]]
    assert entered == [(None, "noinput"), ("42", "voice")]


# --- outputs: log content is data -------------------------------------------------------------


HOSTILE = "*bold* [link](http://x) <script>alert(1)</script> | \x1b[31mred\x1b]52;c;aGk=\x07"


def _hostile_story() -> tuple[Story, CallLog]:
    log = _log(
        [
            {
                "event": {
                    "line": HOSTILE,
                    "data": {"module_type": "prompt", "result_variable": "v"},
                },
                "class": "prompt",
                "timestamp": T0,
            },
            {"event": {"line": ANSI_BODY}, "class": "error", "timestamp": T0 + 1},
        ],
        session_id="1;2;3",
    )
    return build_story(log), log


def test_text_output_escapes_control_sequences() -> None:
    text = "\n".join(stories_text([_hostile_story()[0]]))
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[31mred" in text


def test_markdown_escapes_its_metacharacters() -> None:
    text = "\n".join(stories_markdown([_hostile_story()[0]]))
    assert "\\*bold\\*" in text and "\\[link\\]" in text and "\\<script\\>" in text
    assert "*bold*" not in text.replace("\\*bold\\*", "") and "\x1b" not in text
    assert md_escape("a|b") == "a\\|b"


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag not in ("meta", "br", "link", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def _check_html(page: str) -> None:
    """Well-formed (every tag closed in order), no script, no external resource."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert "script" not in checker.tags and "link" not in checker.tags
    assert checker.urls == []
    assert "http://" not in page.split("<body>")[0] and "@import" not in page


def test_html_is_one_self_contained_page_with_everything_escaped() -> None:
    story, log = _hostile_story()
    page = "".join(stories_html([story], [log]))
    _check_html(page)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'class="c-prompt"' in page and 'class="c-error"' in page
    assert "\x1b" not in page


def test_json_is_versioned_and_escapes_control_characters() -> None:
    story = _hostile_story()[0]
    text = stories_json([story], 5)
    assert "\x1b" not in text
    document = json.loads(text)
    assert document["version"] == 1 and document["gap_seconds"] == 5
    (one,) = document["stories"]
    assert one["session_id"] == "1;2;3"
    assert one["steps"][0]["heard"][0]["text"] == HOSTILE
    assert one["ending"]["kind"] == "error"


# --- odd logs never make it raise --------------------------------------------------------------

_MODULES = [
    "start",
    "prompt",
    "menu",
    "digits",
    "rest",
    "soap",
    "sms",
    "email",
    "transfer",
    "exit",
    "evaluate_js",
    "Record",
    "",
    "ключ",
    None,
]
_LINES = [
    *ODD_TEXTS,
    "User input: ",
    "User input: 5 (dtmf",
    "Transferring call to",
    "Transferring call to \x1b[31m",
    "HTTP 999",
    "Caller hung up",
    'Executing application "x version "',
    "No match",
]
_DATA_KEYS = [
    "status",
    "status_code",
    "elapsed_ms",
    "elapsed",
    "latency_ms",
    "url",
    "to",
    "destination",
    "user_input",
    "transcription",
    "mode",
    "reason",
    "application",
]


@st.composite
def _odd_entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    entries = []
    for _ in range(draw(st.integers(0, 8))):
        data: dict[str, Any] = draw(
            st.dictionaries(st.sampled_from(_DATA_KEYS), json_values, max_size=4)
        )
        module = draw(st.sampled_from(_MODULES))
        if module is not None:
            data["module_type"] = module
            data["result_variable"] = draw(
                st.sampled_from(["v", "hangup", "caller_hangup", "error"])
            )
        entry: dict[str, Any] = {
            "event": {"line": draw(st.sampled_from(_LINES)), "data": data or None},
            "class": draw(
                st.sampled_from(["info", "event", "error", "prompt", "debug", "x", None])
            ),
            "timestamp": draw(st.one_of(json_timestamps, st.sampled_from([10**18, -5, 2**70]))),
        }
        entries.append(entry)
    return entries


@settings(max_examples=300, deadline=None)
@given(_odd_entries(), st.integers(1, 100))
def test_odd_logs_never_make_summary_raise(entries: list[dict[str, Any]], gap: int) -> None:
    log = CallLog(entries=[LogEntry.model_validate(e) for e in entries], meta={"src": {"a": 1}})
    story = build_story(log, gap_seconds=gap)
    assert len(story.steps) <= len(entries)
    for line in stories_text([story]):
        assert "\x1b" not in line and "\n" not in line
    json.loads(stories_json([story], gap))
    list(stories_markdown([story]))
    _check_html("".join(stories_html([story], [log])))


def test_a_transfer_to_words_names_no_destination_and_a_failed_one_is_not_the_ending() -> None:
    log = LogBuilder(T0)
    log.start("queue", "1")
    log.add("info", "Transferring to an agent", "transfer", "xfer", after=1)
    log.add("error", "Agent queue closed", "transfer", "xfer", after=1)
    log.exit()
    story = build_story(_log(log.entries))
    (transfer,) = _all_notes(story)["transfers"]
    assert transfer.destination is None
    assert story.ending.kind == "exit"


def test_a_transfer_line_in_another_module_names_its_number() -> None:
    log = LogBuilder(T0)
    log.add("info", "Transferring the call to +1 (800) 555-0199.", "custom_xfer", "x")
    (transfer,) = _all_notes(build_story(_log(log.entries)))["transfers"]
    assert transfer.destination == "+1 (800) 555-0199"


def test_a_read_log_tells_the_same_story_as_its_models() -> None:
    """Stories of compact entries are built from field views (no models): the same story."""
    import json as _json

    from fuse_tui.core.entries import CompactEntries
    from fuse_tui.core.formats import load
    from fuse_tui.core.model import CallLog as _CallLog
    from fuse_tui.emulator.generator import generate_calls

    odd = [
        {"event": {"line": "x", "data": {"module_type": "rest", "status_code": 503}}},
        {"class": "error", "timestamp": 1529552700, "event": {"line": "User input: 42 (dtmf)"}},
        {},
        {"class": "unknown", "timestamp": 1529552701},
    ]
    for call in [*generate_calls(40, seed=3, anchor=1_750_000_000), None]:
        entries = odd if call is None else call.entries
        log = load(_json.dumps(entries).encode(), source="t").logs[0]  # type: ignore[union-attr]
        assert isinstance(log.entries, CompactEntries)
        models = _CallLog(entries=list(log.entries), meta=log.meta)
        assert build_story(log) == build_story(models)
