"""The story of one call: what the caller heard and entered, which back-end call failed or was
slow, where the call went and how it ended — built from a :class:`~fuse_tui.core.model.CallLog`
(``build.build_story``) and told as text, markdown, JSON or one self-contained HTML page.

A story is built from the log it is given and nothing else: a redacted ``CallLog`` in gives a
redacted story out.
"""

from __future__ import annotations

from fuse_tui.core.story.build import DEFAULT_GAP_SECONDS, build_story
from fuse_tui.core.story.model import Story

__all__ = ["DEFAULT_GAP_SECONDS", "Story", "build_story"]
