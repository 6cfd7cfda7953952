"""Make untrusted text (installer logs, service strings) safe for a terminal.

A log is written by whatever ran on the build instance, so it may hold escape
sequences that set the window title, write the clipboard (OSC 52), clear the
screen, switch to the alternate screen, or ring the bell. None of that may
reach the user's terminal. What survives :func:`clean` is printable text, tab
and newline, and (only when asked) SGR colour sequences, which the viewer turns
into Rich styles and nothing else does.

Done with one compiled regex per pass, so a 100,000-character line costs
about a millisecond, not a stall.
"""

from __future__ import annotations

import re

_ESC = "\x1b"

# Control strings: OSC (ESC ]), DCS (ESC P), SOS (ESC X), PM (ESC ^), APC (ESC _),
# ended by BEL or ST (ESC \\), or left unterminated up to the end of the text.
_STRING = r"\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\|(?=\x1b)|$)"
# CSI: ESC [ parameters intermediates final byte (SGR is the one ending in m).
_CSI = r"\x1b\[[0-?]*[ -/]*[@-~]"
# Any other escape: ESC, optional intermediates, one final byte; or a lone ESC.
_OTHER_ESC = r"\x1b[ -/]*[0-~]?"
# C1 controls as code points (0x80-0x9f: CSI, OSC and friends in 8-bit form).
_C1 = r"[\x80-\x9f]"
# C0 controls except tab and newline, and DEL.
_C0 = r"[\x00-\x08\x0b-\x1f\x7f]"

_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_ALL = re.compile("|".join((_STRING, _CSI, _OTHER_ESC, _C1, _C0)))
_CR = re.compile(r"\r+\n|\r")


def clean(text: str, keep_sgr: bool = False) -> str:
    """``text`` without escape sequences or control characters (tab, newline kept).

    ``\\r\\n`` becomes ``\\n``; a lone ``\\r`` (progress bars) starts a new line,
    so nothing is hidden by being overwritten. With ``keep_sgr``, colour/style
    sequences (``ESC [ ... m``) are kept and everything else still goes.
    """
    text = _CR.sub("\n", text)
    if _ESC not in text and not _has_controls(text):
        return text
    if not keep_sgr:
        return _ALL.sub("", text)
    return _ALL.sub(_keep_sgr, text)


def _keep_sgr(match: re.Match[str]) -> str:
    found = match.group()
    return found if _SGR.fullmatch(found) else ""


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None


_UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """A service string fit for one table cell: no controls at all, tabs and
    newlines as spaces. Cheap when there is nothing to do (the usual case)."""
    if _UNSAFE_IN_LINE.search(text) is None:
        return text
    return clean(text).replace("\t", " ").replace("\n", " ")


def strip_sgr(text: str) -> str:
    """``text`` with its remaining SGR sequences removed (for search and saving)."""
    return _SGR.sub("", text)


def decode(data: bytes) -> str:
    """Bytes to text; invalid UTF-8 becomes U+FFFD, never an exception."""
    return data.decode("utf-8", errors="replace")
