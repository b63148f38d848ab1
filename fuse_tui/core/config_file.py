"""Changing the user's TOML config file without taking anything else away from it.

The config file is the user's: saving credentials or the theme changes those keys and nothing
else. ``tomlkit`` edits the parsed document in place, so comments, key order, value types
(``[1, 2]`` stays a list) and tables fuse-tui does not know survive every save. The file is
replaced atomically and is only ever readable by its owner (it may hold the developer key).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table
from tomlkit.toml_document import TOMLDocument


class ConfigWriteError(ValueError):
    """The config file cannot be updated; the message says why in one sentence."""


def update_config_file(path: Path, update: Mapping[str, Any]) -> None:
    """Set the keys of ``update`` in the TOML file at ``path``, keeping everything else.

    A mapping value updates the table of that name key by key (``{"ui": {"theme": "nord"}}``
    leaves the other ``[ui]`` keys alone); any other value replaces the top-level key. A file
    that does not exist yet is created.
    """
    document = _load(path)
    for key, value in update.items():
        if isinstance(value, Mapping):
            table = document.get(key)
            if not isinstance(table, Table):
                table = tomlkit.table()
                if key in document:  # a scalar where a table now goes: the table wins
                    del document[key]
                document[key] = table
            for name, item in value.items():
                table[name] = item
        else:
            document[key] = value
    write_private(path, tomlkit.dumps(document))


def _load(path: Path) -> TOMLDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise ConfigWriteError(f"Cannot read the config file {path} ({reason}).") from None
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigWriteError(
            f"The config file {path} is not valid TOML ({exc}); fix it first, nothing was saved."
        ) from None


def write_private(path: Path, text: str) -> None:
    """Atomically replace ``path`` with a file only its owner can read (0600).

    A symlinked config (dotfiles kept in a repository) stays a link: its target is replaced.
    """
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates the file 0600 already: the key is never readable by others, even briefly.
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
