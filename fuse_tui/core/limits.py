"""Bounds on settings a person gives, shared by the command line and the config file.

Kept in a module of its own (no imports) so the CLI's argument parsing can use them without
loading the client.
"""

from __future__ import annotations

# A connect/read timeout of an hour already means "wait as long as it takes"; beyond, a typo.
MAX_TIMEOUT_SECONDS = 3600.0
# Each retry waits longer (exponential backoff): ten already mean minutes on a dead server.
MAX_RETRIES = 10

# Where the Fuse API answers when nothing else is configured: the settings' default and the
# client's, alike.
DEFAULT_BASE_URL = "https://fuse.plumvoice.com/api"
# The connect/read timeout when nothing sets one: the settings' default and the client's, alike.
DEFAULT_TIMEOUT_SECONDS = 30.0
# Parallel fetches of a sync when none is asked for (``archive sync --concurrency``, the TUI's S).
DEFAULT_SYNC_CONCURRENCY = 8
