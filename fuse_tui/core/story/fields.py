"""Reading the free-form ``data`` of a Fuse entry: tolerant of naming and of value types.

Plum promises only ``module_type`` and ``result_variable``; the rest varies by module and may
change, so each fact is looked up under every name seen for it (``status`` / ``status_code`` /
``http_status``…), and a value of an unexpected type is skipped rather than trusted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

STATUS_KEYS = ("status_code", "http_status", "http_code", "response_code", "status", "code")
# Latency keys in milliseconds, then in seconds.
LATENCY_MS_KEYS = (
    "elapsed_ms",
    "latency_ms",
    "duration_ms",
    "response_time_ms",
    "time_ms",
    "took_ms",
)
LATENCY_SECONDS_KEYS = ("elapsed", "latency", "response_time", "duration", "took")
_SEPARATORS = re.compile(r"[\s_\-/.]+")
# Longest text kept of one value: a story line, not a response body.
MAX_VALUE_CHARS = 300


def module_kind(module: str | None) -> str:
    """``"Evaluate JS"``, ``evaluate_js``, ``evaluate-js`` → ``evaluatejs``; ``""`` for none."""
    return _SEPARATORS.sub("", module.lower()) if module else ""


def scalar_text(value: Any) -> str | None:
    """A scalar as text (numbers, strings, booleans), None for objects, lists, empty text."""
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        text = str(value).strip()
    except ValueError:  # an int too long for str()
        return None
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text or None


def first_text(data: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    """The first of ``keys`` in ``data`` holding a scalar, as text."""
    for key in keys:
        if key in data:
            text = scalar_text(data[key])
            if text is not None:
                return text
    return None


def status_of(data: Mapping[str, Any]) -> str | None:
    return first_text(data, STATUS_KEYS)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().removesuffix("ms").strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and 0 <= number < 10**12 else None


def latency_ms(data: Mapping[str, Any]) -> int | None:
    """How long the back-end took, in whole milliseconds, when the data says it."""
    # Most data hold none of these keys: _number is asked only about values that are there.
    for key in LATENCY_MS_KEYS:
        value = data.get(key)
        if value is not None:
            number = _number(value)
            if number is not None:
                return round(number)
    for key in LATENCY_SECONDS_KEYS:
        value = data.get(key)
        if value is not None:
            number = _number(value)
            if number is not None:
                return round(number * 1000)
    return None
