"""The terminal is given back however mpib ends: q, Ctrl+C or SIGTERM (and SIGHUP).

Run for real on a pseudo-terminal from this checkout: after exit, the output
must have left the alternate screen and shown the cursor again.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

from tests.test_packaging import run_in_pty

pytestmark = pytest.mark.slow

LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"


def ctrl_c(pid: int, fd: int) -> None:
    os.write(fd, b"\x03")


def sigterm(pid: int, fd: int) -> None:
    os.kill(pid, signal.SIGTERM)


def sighup(pid: int, fd: int) -> None:
    os.kill(pid, signal.SIGHUP)


@pytest.mark.parametrize("finish", [ctrl_c, sigterm, sighup], ids=["ctrl+c", "SIGTERM", "SIGHUP"])
def test_terminal_is_restored(finish: object) -> None:
    raw: list[bytes] = []
    code, screen = run_in_pty(
        [sys.executable, "-m", "tui.cli", "--demo"],
        b"150 builds",
        finish=finish,  # type: ignore[arg-type]
        raw=raw,
    )
    assert b"150 builds" in screen
    assert code == 0
    tail = raw[0][raw[0].rfind(b"150 builds") :]
    assert LEAVE_ALT_SCREEN in tail and SHOW_CURSOR in tail


@pytest.mark.parametrize("tmux", [False, True], ids=["plain", "tmux"])
def test_copy_reaches_the_real_terminal(tmux: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """y writes OSC 52 to the terminal itself (tmux-wrapped when $TMUX is set)."""
    if tmux:
        monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    else:
        monkeypatch.delenv("TMUX", raising=False)

    raw: list[bytes] = []
    code, _ = run_in_pty(
        [sys.executable, "-m", "tui.cli", "--demo"],
        b"150 builds",
        steps=[(b"150 builds", b"y"), (b"Copied build id", b"")],
        raw=raw,
    )
    assert code == 0
    osc52 = b"\x1b\x1b]52;c;" if tmux else b"\x1b]52;c;"
    assert osc52 in raw[0]
    assert (b"\x1bPtmux;" in raw[0]) is tmux


def test_no_color_means_no_colour_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR set, no SGR sets a colour (39/49, "default colour", are allowed)."""
    import re

    monkeypatch.setenv("NO_COLOR", "1")
    raw: list[bytes] = []
    code, screen = run_in_pty([sys.executable, "-m", "tui.cli", "--demo"], b"150 builds", raw=raw)
    assert code == 0 and b"Succeeded" in screen and b"Failed" in screen  # words, not colour
    colour = re.compile(rb"(?:^|;)(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;|$)")
    sgr = re.findall(rb"\x1b\[([0-9;:]*)m", raw[0])
    assert sgr and [s for s in sgr if colour.search(s)] == []
