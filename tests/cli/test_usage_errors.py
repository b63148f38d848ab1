"""Usage errors name the command they are about and exit 2, before anything runs."""

from __future__ import annotations

import pytest

from fuse_tui.cli import main


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["calls", "--archive", "x.sqlite3"], "usage: fuse-tui calls "),
        (["archive", "list", "--bogus"], "usage: fuse-tui archive list "),
        (["show", "x.json", "--nope"], "usage: fuse-tui show "),
    ],
)
def test_an_unknown_option_shows_its_commands_usage(
    capsys: pytest.CaptureFixture[str], argv: list[str], usage: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert err.splitlines()[-1].startswith("fuse-tui: error: unrecognized arguments: ")
    assert argv[-1] in err.splitlines()[-1]


def test_a_command_after_tui_options_is_said_to_go_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--archive", "/tmp/x.sqlite3", "calls"]) == 2
    assert capsys.readouterr().err == (
        "fuse-tui: error: 'calls' is a command: put it first, with its options after it "
        "(fuse-tui calls --help)\n"
    )
