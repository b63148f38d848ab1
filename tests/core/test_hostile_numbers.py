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
