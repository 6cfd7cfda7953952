"""Escape sequences that reach a person through ssh and tmux: clipboard, desktop
notifications, the bell.

Terminals over ssh cannot be reached any other way: OSC 52 puts text on the
*local* clipboard, OSC 9 (iTerm2, WezTerm, kitty, Windows Terminal) and OSC 777
(VTE, foot, rxvt) raise a desktop notification. Inside tmux they must be wrapped
in tmux's DCS passthrough (``ESC P tmux; … ESC \\``, every ESC inside doubled),
or tmux swallows them; that also needs ``set -g allow-passthrough on``.

Pure functions: what to write is decided here, the app writes it.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"


def in_tmux(environ: Mapping[str, str] | None = None) -> bool:
    """Whether we run inside tmux (``$TMUX`` set)."""
    return bool((environ if environ is not None else os.environ).get("TMUX"))


def tmux_wrap(sequence: str) -> str:
    """``sequence`` in tmux's passthrough, every ESC doubled."""
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"


def _safe(text: str) -> str:
    """No control characters (they would end or corrupt the sequence), no ``;`` for OSC 777."""
    return "".join(c for c in text if c.isprintable()).replace(";", ",")


def osc52_copy(text: str) -> str:
    """Put ``text`` on the terminal's clipboard."""
    return f"{ESC}]52;c;{base64.b64encode(text.encode()).decode()}{BEL}"


def osc9_notify(message: str) -> str:
    """A desktop notification (iTerm2 style)."""
    return f"{ESC}]9;{_safe(message)}{BEL}"


def osc777_notify(title: str, body: str) -> str:
    """A desktop notification (VTE/urxvt style)."""
    return f"{ESC}]777;notify;{_safe(title)};{_safe(body)}{BEL}"


def for_terminal(sequence: str, environ: Mapping[str, str] | None = None) -> str:
    """``sequence`` as it must be written here (wrapped when inside tmux)."""
    return tmux_wrap(sequence) if in_tmux(environ) else sequence
