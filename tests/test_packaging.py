"""The wheel carries everything it needs: built, installed in a fresh venv, run.

``mpib --demo`` is run for real under a pseudo-terminal, so a missing
stylesheet or model file in the wheel fails here, not on a user's machine.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]")

pytestmark = pytest.mark.slow


def press_q(pid: int, fd: int) -> None:
    """The normal way out."""
    os.write(fd, b"q")


def run_in_pty(
    argv: list[str],
    expect: bytes,
    timeout: float = 60.0,
    finish: Callable[[int, int], None] = press_q,
    raw: list[bytes] | None = None,
    steps: list[tuple[bytes, bytes]] | None = None,
) -> tuple[int, bytes]:
    """Run ``argv`` on an 100x30 pseudo-terminal until ``expect`` shows, then ``finish``
    it (press q by default). ``steps``: (text to wait for, keys to send) pairs played
    in order after ``expect``, before ``finish``. ``raw``, if given, receives the
    bytes as written."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = "xterm-256color"
        os.execv(argv[0], argv)
    import fcntl

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    screen = b""
    deadline = time.monotonic() + timeout
    sent_quit = False
    status = None
    todo = list(steps or [])
    reached = 0
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                screen += chunk
            plain = ANSI.sub(b"", screen)
            while todo and expect in plain and todo[0][0] in plain[reached:]:
                reached = len(plain)
                os.write(fd, todo.pop(0)[1])
            if not sent_quit and not todo and expect in plain:
                finish(pid, fd)
                sent_quit = True
            waited, code = os.waitpid(pid, os.WNOHANG)
            if waited:
                status = code
                break
        if status is None:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    if raw is not None:
        raw.append(screen)
    return os.waitstatus_to_exitcode(status), ANSI.sub(b"", screen)


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [uv, "build", "--wheel", "-o", str(out), str(ROOT)], check=True, capture_output=True
    )
    (wheel,) = out.glob("mpib-*.whl")
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([uv, "venv", "-q", "-p", sys.executable, str(venv)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "-p", str(venv / "bin/python"), str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv


def test_wheel_ships_styles_and_model(wheel_venv: Path) -> None:
    code = (
        "import tui.styles, api.session, tui.app\n"
        "print(tui.styles.STYLES_DIR)\n"
        "print(api.session.MODELS_DIR)\n"
        "assert all(__import__('pathlib').Path(p).is_file() for p in tui.app.MpibApp.CSS_PATH)\n"
    )
    result = subprocess.run(
        [str(wheel_venv / "bin/python"), "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    styles, models = result.stdout.split()
    assert "site-packages" in styles and "site-packages" in models
    assert (Path(models) / "marketplaceimagebuild/2017-12-15/service-2.json").is_file()
    assert (Path(models) / "marketplaceimagebuild/2017-12-15/paginators-1.json").is_file()


def test_installed_help(wheel_venv: Path) -> None:
    result = subprocess.run(
        [str(wheel_venv / "bin/mpib"), "--help"], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0
    assert "mpib --demo" in result.stdout


def test_installed_demo_runs_and_quits(wheel_venv: Path) -> None:
    code, screen = run_in_pty([str(wheel_venv / "bin/mpib"), "--demo"], expect=b"150 builds")
    assert b"150 builds" in screen
    assert code == 0
