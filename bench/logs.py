"""Log viewer figures: a 100 MB log's tail on screen, and what it costs in memory.

The emulator runs in its own process (so its copy of the log is not counted)
serving one finished build whose stdout is 100 MB. The peer is what a naive
viewer does to show the end of a log: download the whole object (one GET,
as ``curl`` or ``aws s3 cp`` would). mpib is timed from pressing ``l`` in a
headless app to the last line being in the view; RSS is read from /proc
before and after.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time

import aiohttp

from bench.rows import Row
from tui.app import MpibApp
from tui.demo import demo_settings
from tui.screens.builds import BuildsScreen
from tui.screens.logs import LogsScreen
from tui.widgets.log_pane import LogPane

PORT = 47912
SIZE_MB = 100
RUNS = 5

_CHILD = f"""
import asyncio
from api.emulator import Emulator
from api.emulator.catalog import IMAGES_BY_ID, OFFERINGS_BY_ID

async def main():
    emulator = Emulator()
    world = emulator.world
    record = world.add_build(
        offerings=(OFFERINGS_BY_ID["fo-ids4xf7qagwyc"],), image=IMAGES_BY_ID["ami-58d7e821"],
        name="huge-log", start=world.now() - 7200, duration=3600, outcome="Failed")
    line = b"2026-11-28T10:00:00Z     installer output that goes on and on, line %09d\\n"
    count = {SIZE_MB} * 1024 * 1024 // len(line % 0)
    world.logs.overrides[(record.build_id, "stdout")] = b"".join(line % n for n in range(count))
    await emulator.start(port={PORT})
    print("ready", emulator.endpoint, record.build_id, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / (1 << 20)


async def _peer(url: str) -> float:
    """Seconds to download the whole log (what it takes to see its end naively)."""
    from yarl import URL

    start = time.perf_counter()
    size = 0
    async with aiohttp.ClientSession() as http, http.get(URL(url, encoded=True)) as response:
        assert response.status == 200, response.status
        async for chunk in response.content.iter_chunked(1 << 20):
            size += len(chunk)
    assert size >= SIZE_MB * 1_000_000
    return time.perf_counter() - start


async def _mpib(endpoint: str, build_id: str) -> tuple[float, float, str]:
    """(seconds from l to the last line shown, RSS added in MiB, the presigned URL)."""
    app = MpibApp(demo_settings(endpoint), refresh_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, BuildsScreen) and app.screen.state.last_ok):
            await pilot.pause(0.02)
        screen = app.screen
        build = screen.index.get(build_id)
        assert build is not None and build.standard_output_url
        screen.table.move_to(build_id)
        before = _rss_mib()
        start = time.perf_counter()
        screen.action_logs()  # what l does (pilot.press would add its own settling wait)
        pressed = time.perf_counter()
        while True:
            logs = app.screen
            panes = logs.query(LogPane) if isinstance(logs, LogsScreen) else None
            if panes and panes.first().view.lines:
                view = panes.first().view
                if "ERROR" in view.plains[-1] or "line" in view.plains[-1]:
                    break
            await asyncio.sleep(0.005)
        for y in range(view.size.height):
            view.render_line(y)
        elapsed = time.perf_counter() - start
        if "-v" in sys.argv:
            print(f"press {pressed - start:.3f}s, to last line {elapsed:.3f}s")
        return elapsed, _rss_mib() - before, build.standard_output_url


def log_tail() -> list[Row]:
    """Rows: time to the tail of a 100 MB log, and the memory it adds."""
    child = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        _, endpoint, build_id = child.stdout.readline().split()
        ours, peers, added = [], [], []
        for _ in range(RUNS):
            seconds, mib, url = asyncio.run(_mpib(endpoint, build_id))
            ours.append(seconds)
            added.append(mib)
            peers.append(asyncio.run(_peer(url)))
    finally:
        child.terminate()
        child.wait()
    return [
        Row(
            f"{SIZE_MB} MB log: l -> its last line shown, s",
            statistics.median(ours),
            statistics.median(peers),
            "whole download",
            max_value=1.0,
        ),
        Row(f"{SIZE_MB} MB log: RSS added, MiB", statistics.median(added), max_value=64),
    ]


if __name__ == "__main__":
    from bench.rows import table

    print(table(log_tail()))
