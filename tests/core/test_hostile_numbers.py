"""Numbers no parser should choke on: a reader error naming the source, never a ValueError.

Python refuses to convert integers longer than 4300 digits (CVE-2020-10735 guard), and
``json.loads`` lets that ValueError escape instead of a JSONDecodeError.
"""

from __future__ import annotations

import pytest

from fuse_tui.core.formats import FormatError, load

HUGE = "9" * 5000


@pytest.mark.parametrize(
    "text",
    [
        '[{"event":{"line":"x","data":{"n":N}},"class":"info","timestamp":1}]'.replace("N", HUGE),
        '[{"event":{"line":"x"},"class":"info","timestamp":N}]'.replace("N", HUGE),
        '{"calls":[{"session_id":"a","start":N,"detail":[]}]}'.replace("N", HUGE),
        '{"calls":[{"session_id":"a"}],"total_calls":N}'.replace("N", HUGE),
        '{"event":{"line":"a"},"class":"info","timestamp":1}\n'
        '{"event":{"line":"b","data":{"n":N}},"class":"info","timestamp":2}\n'.replace("N", HUGE),
    ],
    ids=["data", "timestamp", "all_logs", "calls", "ndjson"],
)
def test_a_5000_digit_number_is_a_format_error(text: str) -> None:
    with pytest.raises(FormatError) as caught:
        load(text.encode(), source="dump.json")
    message = str(caught.value)
    assert message.startswith("dump.json: ")
    assert "number" in message and "4300" not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (b'[{"event":{"line":"x"},"class":"info","timestamp":NaN}]', "nan"),
        (b'[{"event":{"line":"x"},"class":"info","timestamp":Infinity}]', "inf"),
        (
            b"<result><item><event><line>x</line></event><timestamp>"
            + b"9" * 5000
            + b"</timestamp></item></result>",
            "'9999",
        ),
    ],
    ids=["nan", "infinity", "xml-5000-digits"],
)
def test_an_unusable_timestamp_is_named_in_our_words(data: bytes, shown: str) -> None:
    # pydantic's own wording ("Input should be a finite number") read as a broken sentence.
    with pytest.raises(FormatError) as caught:
        load(data, source="dump")
    message = str(caught.value)
    assert "entry 1 timestamp is " in message and "not a UNIX time" in message
    assert shown in message
    assert "Input should" not in message and "Unable to parse" not in message
