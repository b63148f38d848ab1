# ruff: noqa: RUF001, RUF003  (the tokens' own brackets, ‹ ›, are meant)
"""core.redact: each kind of mask, what must stay, determinism, and never changing the input."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from fuse_tui.core.formats import LogsDocument, dump_json, load
from fuse_tui.core.formats.document import CallListDocument, CallProblem
from fuse_tui.core.model import CallList, CallLog, CallSummary, LogEntry
from fuse_tui.core.redact import (
    RedactConfigError,
    Redactor,
    RedactRules,
    redact_document,
    redact_log,
    redact_selection,
)
from fuse_tui.emulator.scenarios import billing_ivr_call, email_test_call

T0 = 1_764_190_000  # 2025-11-26: the log's own times
SID = "300060;001;1764189889"


def entry(line: str, cls: str = "info", ts: int = T0, **data: Any) -> dict[str, Any]:
    payload = {**data, "module_type": data.pop("module_type", "prompt"), "result_variable": "v"}
    return {"event": {"line": line, "data": payload}, "class": cls, "timestamp": ts}


def log_of(*entries: dict[str, Any], **meta: Any) -> CallLog:
    return CallLog(session_id=SID, entries=[LogEntry.model_validate(e) for e in entries], meta=meta)


def lines(log: CallLog) -> list[str]:
    return [e.event.line for e in log.entries]


def data(log: CallLog, index: int = 0) -> dict[str, Any]:
    found = log.entries[index].event.data
    assert found is not None
    return found


def text(value: str, log: CallLog | None = None) -> str:
    redactor = Redactor()
    if log is not None:
        redactor.learn([log])
        redactor.log(log)  # sets the log's time window
    return redactor.text(value)


# ------------------------------------------------------------------------------ caller inputs


def test_a_dtmf_input_becomes_a_digits_token_and_its_echo_elsewhere_the_same_token() -> None:
    log = log_of(
        entry("User input: 4155550123 (dtmf)", "event", module_type="digits"),
        entry("Sending REST request", url="https://x.example/accounts/4155550123/balance"),
        entry("Account 4155550123 not found", "error"),
    )
    out = redact_log(log)
    assert lines(out)[0] == "User input: ‹digits-1› (dtmf)"
    assert data(out, 1)["url"] == "https://x.example/accounts/‹digits-1›/balance"
    assert lines(out)[2] == "Account ‹digits-1› not found"


def test_an_input_is_masked_where_it_appears_before_the_input_line_too() -> None:
    log = log_of(entry("Prefilled 83726", "debug"), entry("User input: 83726 (dtmf)", "event"))
    out = redact_log(log)
    assert lines(out) == ["Prefilled ‹digits-1›", "User input: ‹digits-1› (dtmf)"]


def test_a_short_pin_or_cvv_input_is_masked_but_a_menu_choice_is_kept() -> None:
    log = log_of(
        entry("User input: 1 (dtmf)", "event", module_type="menu"),
        entry("User input: 0# (dtmf)", "event", module_type="menu"),
        entry("User input: 123 (dtmf)", "event", module_type="digits"),
        entry("User input: 4321 (dtmf)", "event", module_type="digits"),
    )
    assert lines(redact_log(log)) == [
        "User input: 1 (dtmf)",
        "User input: 0# (dtmf)",
        "User input: ‹digits-1› (dtmf)",
        "User input: ‹digits-2› (dtmf)",
    ]


def test_speech_is_masked_whatever_it_says_and_its_echo_in_a_prompt_too() -> None:
    log = log_of(
        entry("User input: john smith (voice)", "event", module_type="name"),
        entry("Thank you, John Smith.", "prompt"),
        entry("User input: yes (voice)", "event", module_type="yes_no"),
    )
    out = redact_log(log)
    assert lines(out) == [
        "User input: ‹speech-1› (voice)",
        "Thank you, ‹speech-1›.",
        "User input: ‹speech-2› (voice)",
    ]


def test_a_learned_value_is_not_cut_out_of_a_longer_number() -> None:
    log = log_of(entry("User input: 2581 (dtmf)", "event"), entry("order 25810 and x2581y", "info"))
    assert lines(redact_log(log))[1] == "order 25810 and x‹digits-1›y"


def test_input_values_under_data_keys_are_masked_too() -> None:
    log = log_of(
        entry("User input: 19800115 (dtmf)", "event", module_type="date"),
        entry("Variable set", "debug", module_type="set_variable", value="19800115"),
        entry("Recording saved", "debug", transcription="my name is Ann Lee", duration=11),
    )
    out = redact_log(log)
    assert data(out, 1)["value"] == "‹digits-1›"
    assert data(out, 2) == {
        "transcription": "‹speech-1›",
        "duration": 11,
        "module_type": "prompt",
        "result_variable": "v",
    }


# ------------------------------------------------------------------------------ phones, e-mails


@pytest.mark.parametrize(
    "number",
    [
        "+15551234567",
        "+44 20 7946 0958",
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "1-800-555-0199",
        "5551234567",
        "445551234567",
        "441234567890123",
    ],
)
def test_phone_numbers_in_every_common_shape_become_a_phone_token(number: str) -> None:
    assert text(f"call {number} now") == "call ‹phone-1› now"


def test_the_same_phone_number_written_two_ways_is_one_token() -> None:
    assert text("+1 (415) 555-0123 or 4155550123, not 6175550142") == (
        "‹phone-1› or ‹phone-1›, not ‹phone-2›"
    )


def test_card_numbers_become_card_tokens() -> None:
    assert text("card 4111 1111 1111 1111 / 4111111111111111 / 3782 822463 10005") == (
        "card ‹card-1› / ‹card-1› / ‹card-2›"
    )


def test_email_addresses_become_email_tokens_case_folded() -> None:
    assert text("to Ann.Lee+x@Example.co.uk, cc ann.lee+x@example.co.uk; b@c.io") == (
        "to ‹email-1›, cc ‹email-1›; ‹email-2›"
    )


# ------------------------------------------------------------------------------ what stays


def test_session_ids_times_status_codes_and_short_numbers_stay() -> None:
    log = log_of(entry("x"))
    kept = (
        f"session {SID} at {T0} ({T0 * 1000} ms): HTTP 200, 503 after 10004 ms, "
        "revision 61204, prompt 910002, 3 tries, year 2026, due 2026-12-04"
    )
    assert text(kept, log) == kept


def test_a_ten_digit_run_far_from_the_logs_times_is_a_phone_number() -> None:
    log = log_of(entry("x"))  # 2025: 2125551234 would be 2037
    assert text("from 2125551234", log) == "from ‹phone-1›"


def test_without_any_time_in_the_log_every_long_digit_run_goes() -> None:
    assert text("at 1764190000") == "at ‹phone-1›"


def test_numbers_in_data_stay_numbers_unless_sensitive() -> None:
    log = log_of(
        entry(
            "REST",
            status_code=503,
            elapsed_ms=10004,
            timeout_ms=10000,
            started=T0,
            caller=4155550123,
            ok=True,
            none=None,
            ratio=0.5,
        )
    )
    got = data(redact_log(log))
    assert got["status_code"] == 503 and got["elapsed_ms"] == 10004 and got["started"] == T0
    assert got["caller"] == "‹phone-1›"  # a number became a string token: still valid JSON
    assert got["ok"] is True and got["none"] is None and got["ratio"] == 0.5


def test_module_type_and_result_variable_are_kept_even_when_they_look_sensitive() -> None:
    log = log_of(entry("x", module_type="digits"))
    log = log_of(
        {
            "event": {
                "line": "x",
                "data": {"module_type": "pin", "result_variable": "account_number"},
            },
            "class": "event",
            "timestamp": T0,
        }
    )
    assert data(redact_log(log)) == {"module_type": "pin", "result_variable": "account_number"}


# ------------------------------------------------------------------------------ sensitive keys


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("account_number", "account"),
        ("AccountNumber", "account"),
        ("cardNumber", "card"),
        ("x-auth-token", "secret"),
        ("X-Auth-Token", "secret"),
        ("PIN", "pin"),
        ("ssn", "ssn"),
        ("customer.DOB", "dob"),
        ("date_of_birth", "dob"),
        ("cvv", "card"),
        ("password", "secret"),
        ("client_secret", "secret"),
        ("Authorization", "secret"),
        ("api_key", "secret"),
        ("tokens", "secret"),
    ],
)
def test_sensitive_keys_are_found_as_whole_words(key: str, kind: str) -> None:
    assert RedactRules().kind_of_key(key) == kind


@pytest.mark.parametrize(
    "key", ["author", "prompt_id", "revision_id", "spinner", "cardinal", "passage", "session_id"]
)
def test_words_that_only_contain_a_sensitive_word_are_not_sensitive(key: str) -> None:
    assert RedactRules().kind_of_key(key) is None


def test_sensitive_values_are_masked_at_any_depth_whatever_their_type() -> None:
    log = log_of(
        entry(
            "REST",
            headers={"X-Auth-Token": "abc.def", "Accept": "application/json"},
            body={"customer": {"account_number": 12345678, "pins": ["0000", 1234]}},
            cardNumber="4111111111111111",
            auth_ok=True,
        )
    )
    got = data(redact_log(log))
    assert got["headers"] == {"X-Auth-Token": "‹secret-1›", "Accept": "application/json"}
    assert got["body"] == {
        "customer": {"account_number": "‹account-1›", "pins": ["‹pin-1›", "‹pin-2›"]}
    }
    assert got["cardNumber"] == "‹card-1›"
    assert got["auth_ok"] is True  # a boolean holds one bit: kept
    json.dumps(got)  # still JSON


def test_a_value_keeps_the_token_it_got_first_whatever_finds_it_later() -> None:
    log = log_of(
        entry("User input: 4155550123 (dtmf)", "event"),
        entry("lookup", account_number="4155550123", callback="(415) 555-0123"),
    )
    got = data(redact_log(log), 1)
    assert got["account_number"] == "‹digits-1›" and got["callback"] == "‹digits-1›"


def test_config_keys_and_patterns_add_to_the_defaults() -> None:
    rules = RedactRules.from_config({"keys": ["member_id"], "patterns": [r"\bMRN-\d+\b"]})
    log = log_of(entry("chart MRN-42 opened", primary_member_id="A77", account="9"))
    out = redact_log(log, rules)
    assert lines(out) == ["chart ‹match-1› opened"]
    assert data(out)["primary_member_id"] == "‹member_id-1›"
    assert data(out)["account"] == "‹account-1›"  # the defaults still apply


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"patterns": ["(unclosed"]}, "not a valid regular expression"),
        ({"patterns": ["a*"]}, "matches empty text"),
        ({"patterns": "x"}, "must be a list of strings"),
        ({"keys": [1]}, "must hold only strings"),
        ({"keys": ["--"]}, "has no letters or digits"),
        ({"key": ["x"]}, "unknown entry 'key'"),
    ],
)
def test_a_bad_redact_table_is_one_sentence(table: dict[str, Any], words: str) -> None:
    with pytest.raises(RedactConfigError) as caught:
        RedactRules.from_config(table)
    message = str(caught.value)
    assert words in message and "\n" not in message and message.endswith(".")


# ------------------------------------------------------------------------------ determinism


def test_the_same_input_gives_the_same_output_and_tokens_count_in_order_of_appearance() -> None:
    log = log_of(
        entry("a 5551234567 b ann@x.io c 6175550142", "info"),
        entry("d 6175550142 e bob@x.io f 5551234567", "info"),
    )
    first, second = redact_log(log), redact_log(log)
    assert lines(first) == lines(second)
    assert lines(first) == [
        "a ‹phone-1› b ‹email-1› c ‹phone-2›",
        "d ‹phone-2› e ‹email-2› f ‹phone-1›",
    ]


def test_a_selection_gets_the_tokens_the_whole_log_gives_it() -> None:
    log = log_of(
        entry("from 5551234567", "info"),
        entry("to 6175550142", "info"),
        entry("again 5551234567", "info"),
    )
    picked = redact_selection(log, [2, 1])
    assert lines(picked) == ["to ‹phone-2›", "again ‹phone-1›"]


# ------------------------------------------------------------------------------ never in place


def _billing_log() -> CallLog:
    call = billing_ivr_call(SID, T0, "2125551234", "8009957586", account_number="4155550123")
    return CallLog(
        session_id=SID,
        entries=[LogEntry.model_validate(e) for e in call.entries],
        meta={"src": call.src, "dest": call.dest, "start": call.start, "end": call.end},
    )


def test_the_input_log_and_its_entries_are_left_as_they_were() -> None:
    log = _billing_log()
    before = copy.deepcopy([e.to_api() for e in log.entries]), copy.deepcopy(log.meta)
    out = redact_log(log)
    assert out is not log and out.entries is not log.entries
    assert ([e.to_api() for e in log.entries], log.meta) == before
    assert "4155550123" not in dump_json(out).decode()


def test_structure_classes_times_and_flow_names_are_unchanged() -> None:
    log = _billing_log()
    out = redact_log(log)
    assert len(out.entries) == len(log.entries) and out.session_id == log.session_id
    for old, new in zip(log.entries, out.entries, strict=True):
        assert (new.kind, new.timestamp) == (old.kind, old.timestamp)
        assert (new.event.module_type, new.event.result_variable) == (
            old.event.module_type,
            old.event.result_variable,
        )
        assert set((new.event.data or {}).keys()) == set((old.event.data or {}).keys())
    assert out.meta["src"] == "‹phone-1›" and out.meta["start"] == log.meta["start"]


def test_a_document_shares_tokens_across_its_calls_and_masks_problem_notes() -> None:
    first = log_of(entry("User input: 99887766 (dtmf)", "event"), src="2125551234")
    second = log_of(entry("callback 99887766", "info"), src="2125551234")
    document = LogsDocument(
        [first, second],
        "all_logs",
        problems=[CallProblem(3, "1;2", "call 3: entry 1 says ann@x.io", {"src": "6175550142"})],
    )
    out = redact_document(document)
    assert isinstance(out, LogsDocument)
    assert lines(out.logs[1]) == ["callback ‹digits-1›"]
    assert out.logs[0].meta["src"] == out.logs[1].meta["src"] == "‹phone-1›"
    assert out.problems[0].message == "call 3: entry 1 says ‹email-1›"
    assert out.problems[0].meta == {"src": "‹phone-2›"}


def test_a_call_lists_numbers_are_masked_and_outbound_is_kept() -> None:
    calls = CallList(
        calls=[
            CallSummary(session_id=SID, src="2125551234", dest="8009957586", start=T0),
            CallSummary(session_id="1;2;3", src="Outbound", dest="2125551234", start=T0),
        ],
        total_calls=2,
    )
    out = redact_document(CallListDocument(calls))
    assert isinstance(out, CallListDocument)
    got = [(c.session_id, c.src, c.dest, c.start) for c in out.calls.calls]
    assert got == [
        (SID, "‹phone-1›", "‹phone-2›", T0),
        ("1;2;3", "Outbound", "‹phone-1›", T0),
    ]
    assert calls.calls[0].src == "2125551234"  # the input is untouched


def test_the_seed_email_call_reads_back_after_redaction() -> None:
    call = email_test_call(SID, T0, "2125551234", "8009957586")
    log = CallLog(entries=[LogEntry.model_validate(e) for e in call.entries])
    out = redact_log(log)
    again = load(dump_json(out), source="test")
    assert isinstance(again, LogsDocument)
    assert [e.to_api() for e in again.logs[0].entries] == [e.to_api() for e in out.entries]
    assert "tests@plumgroup.com" not in dump_json(out).decode()


def test_entries_read_from_a_file_keep_their_shared_bookkeeping_untouched() -> None:
    """A read log's entries share their pydantic fields-sets (core.model.compact_entries):
    redacting one must change none of them, nor any other entry through them."""
    raw = json.dumps(
        [entry("User input: 4155550123 (dtmf)", "event"), entry("x 4155550123"), entry("y")]
    ).encode()
    document = load(raw, source="test")
    assert isinstance(document, LogsDocument)
    log = document.logs[0]
    before = [e.to_api() for e in log.entries]
    shared = [e.__pydantic_fields_set__ for e in log.entries]
    shared_copies = [set(fields) for fields in shared]
    out = redact_log(log)
    assert [e.to_api() for e in log.entries] == before
    assert [set(e.__pydantic_fields_set__) for e in log.entries] == shared_copies
    assert out.entries[2] is log.entries[2]  # nothing to mask: shared, never modified
    assert [e.event.line for e in out.entries[:2]] == [
        "User input: ‹digits-1› (dtmf)",
        "x ‹digits-1›",
    ]


def test_a_short_single_spoken_word_is_masked_in_its_own_line_only() -> None:
    """A menu keyword said by the caller would otherwise blank that word from every prompt."""
    log = log_of(
        entry("Say billing, payments or agent.", "prompt"),
        entry("User input: billing (voice)", "event", module_type="menu"),
        entry("Transferring to Acme Energy Billing", "info", card_type="visa"),
        entry("Paid by visa", "info"),
    )
    out = redact_log(log)
    assert lines(out) == [
        "Say billing, payments or agent.",
        "User input: ‹speech-1› (voice)",
        "Transferring to Acme Energy Billing",
        "Paid by visa",
    ]
    assert data(out, 2)["card_type"] == "‹card-1›"


def test_thousands_of_learned_numbers_are_found_without_a_giant_pattern() -> None:
    """Each REST call of a long log carrying its own account number: still one pass per text."""
    accounts = [f"{7_000_000 + n}" for n in range(3000)]
    log = log_of(*(entry(f"lookup {a}", "debug", account=a) for a in accounts))
    out = redact_log(log)
    assert lines(out)[0] == "lookup ‹account-1›" and lines(out)[-1] == "lookup ‹account-3000›"


def test_an_input_ended_by_the_pound_key_is_the_same_number_elsewhere() -> None:
    log = log_of(
        entry("User input: 4155550123# (dtmf)", "event"),
        entry("GET /accounts/4155550123", "debug"),
    )
    out = lines(redact_log(log))
    token = out[0].removeprefix("User input: ").removesuffix(" (dtmf)")
    assert token.startswith("\u2039") and "4155550123" not in "".join(out)
    assert out[1] == f"GET /accounts/{token}"
