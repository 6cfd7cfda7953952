"""Run a terminal program on a pseudo-terminal and time what a person would see.

Time is measured from just before the process is spawned to the moment a
given text appears on the screen (escape sequences stripped), as near to
"start to first row on screen" as one can get without a camera.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Sequence

ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]")


def time_to_texts(
    argv: Sequence[str],
    marks: Sequence[bytes],
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 120.0,
    after: Callable[[int, Callable[[float], None]], None] | None = None,
) -> list[float | None]:
    """Seconds from spawn until each of ``marks`` is first on screen; then press q.

    ``after(pid, drain)``, if given, runs once every mark is seen, before q:
    it can read the process's /proc figures; ``drain(seconds)`` keeps reading
    the terminal meanwhile (a full pty would stall the app).
    """
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env or {})
        os.environ["TERM"] = "xterm-256color"
        os.execvp(argv[0], list(argv))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    seen: list[float | None] = [None] * len(marks)
    plain = b""
    pending = b""
    deadline = started + timeout
    try:
        while time.perf_counter() < deadline and None in seen:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            # Strip escapes incrementally; an escape cut at the chunk's end waits.
            pending += chunk
            cut = pending.rfind(b"\x1b")
            if cut != -1 and len(pending) - cut < 64:
                ready_bytes, pending = pending[:cut], pending[cut:]
            else:
                ready_bytes, pending = pending, b""
            plain = (plain + ANSI.sub(b"", ready_bytes))[-(1 << 16) :]
            now = time.perf_counter() - started
            for n, mark in enumerate(marks):
                if seen[n] is None and mark in plain:
                    seen[n] = now
        if after is not None and None not in seen:

            def drain(seconds: float) -> None:
                end = time.perf_counter() + seconds
                while time.perf_counter() < end:
                    if select.select([fd], [], [], 0.05)[0]:
                        with contextlib.suppress(OSError):
                            os.read(fd, 1 << 16)

            after(pid, drain)
        os.write(fd, b"q")
        end = time.perf_counter() + 5
        while time.perf_counter() < end:
            waited, _ = os.waitpid(pid, os.WNOHANG)
            if waited:
                break
            select.select([fd], [], [], 0.05)
            with contextlib.suppress(OSError):
                os.read(fd, 1 << 16)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    finally:
        os.close(fd)
    return seen


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
