"""``mpib --serve``: loopback only, the same flags for each browser session."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
import time

import pytest

from tui.web import HOST, browser_command


def test_browser_sessions_get_the_same_flags_without_serving() -> None:
    command = shlex.split(browser_command(["--demo", "--serve", "--serve-port", "9000", "-r"]))
    assert command[:3] == [sys.executable, "-m", "tui.cli"]
    assert command[3:] == ["--demo", "-r"]


@pytest.mark.slow
def test_serve_listens_on_loopback_and_says_so() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--demo", "--serve", "--serve-port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert f"http://{HOST}:{port}" in first and "this machine only" in first
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "nothing listening"
                time.sleep(0.1)  # polling a condition with a deadline
    finally:
        process.terminate()
        process.wait(10)
