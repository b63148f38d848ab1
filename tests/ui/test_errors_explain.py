"""Every failure reads as one sentence and the key (or setting) that fixes it."""

from __future__ import annotations

from fuse_tui.core.client import NotFoundError
from fuse_tui.ui.errors import explain


def test_a_404_names_the_right_next_step() -> None:
    missing_call = explain(NotFoundError("300060;001;1529552581"))
    assert "session 300060;001;1529552581" in missing_call and missing_call.endswith(
        "Press b to browse recent calls."
    )
    wrong_url = explain(NotFoundError(None, url="https://fuse.example/calls/0/1"))
    assert "check the base URL" in wrong_url and "FUSE_BASE_URL" in wrong_url
    assert "browse recent calls" not in wrong_url
