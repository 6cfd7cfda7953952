"""``mpib --serve``: the same app in a browser tab (textual-serve), for people who
cannot keep a terminal open.

It listens on 127.0.0.1 only, and says so: whoever reaches the page drives mpib
with your AWS credentials, so it is not put on the network by default. Reach it
from elsewhere through ssh (``ssh -L 8000:127.0.0.1:8000 bastion``).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence

HOST = "127.0.0.1"


def browser_command(argv: Sequence[str]) -> str:
    """The shell command each browser session runs: mpib with the same flags, minus serving."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--serve":
            continue
        if arg == "--serve-port":
            skip = True
            continue
        if arg.startswith("--serve-port="):
            continue
        kept.append(arg)
    return shlex.join([sys.executable, "-m", "tui.cli", *kept])


def serve(argv: Sequence[str], port: int) -> int:
    """Serve until Ctrl+C."""
    from textual_serve.server import Server

    print(
        f"mpib: serving on http://{HOST}:{port}: this machine only. "
        f"From elsewhere: ssh -L {port}:{HOST}:{port} <this host>",
        flush=True,
    )
    Server(browser_command(argv), host=HOST, port=port, title="mpib").serve()
    return 0
