"""Search keystroke cost with 10,000 builds loaded.

A query is typed one key at a time into the real search box of a headless app;
each key is timed from the keypress to the end of the handler that narrows the
table, plus painting every visible row of the table once (the work a real
terminal frame needs). Waiting for Textual's next frame is not counted: that is
idle time, not work.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from textual.widgets import Input

from api.emulator import Emulator
from api.emulator.scenario import seed_history
from bench.rows import Row
from tui.app import MpibApp
from tui.demo import demo_settings
from tui.screens.builds import BuildsScreen

BUILDS = 10_000
QUERY = "nginx status:succ"


async def _measure() -> list[float]:
    emulator = Emulator()
    seed_history(emulator.world, BUILDS, running=20)
    await emulator.start()
    settings = demo_settings(emulator.endpoint)
    app = MpibApp(settings, refresh_seconds=0)
    times: list[float] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while not (isinstance(app.screen, BuildsScreen) and app.screen.state.last_ok):
                await pilot.pause(0.05)
            screen = app.screen
            await pilot.press("slash")
            search = screen.query_one("#search", Input)
            table = screen.table
            for n in range(1, len(QUERY) + 1):
                start = time.perf_counter()
                search.value = QUERY[:n]
                screen.on_input_changed(Input.Changed(search, search.value))
                for y in range(table.size.height):
                    table.render_line(y)
                times.append(time.perf_counter() - start)
            assert screen.table.row_count < BUILDS
    finally:
        await emulator.stop()
    return times


def search_keystroke() -> list[Row]:
    """Median and worst keystroke over 10,000 rows, in milliseconds."""
    times = asyncio.run(_measure())
    return [
        Row(
            f"search keystroke over {BUILDS:,} rows, median ms",
            statistics.median(times) * 1000,
            max_value=50,
        ),
        Row(f"search keystroke over {BUILDS:,} rows, worst ms", max(times) * 1000, max_value=100),
    ]
