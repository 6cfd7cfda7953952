"""Regenerate the README's screenshots: ``uv run python docs/screenshots.py``.

The demo emulator runs with its clock pinned, so ids, times and durations are
the same on every run and a changed picture means a changed UI. Each picture
is Textual's own SVG export of a headless run.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402

from api.emulator import Emulator  # noqa: E402
from api.emulator.scenario import seed_history  # noqa: E402
from tui.app import MpibApp  # noqa: E402
from tui.demo import demo_settings  # noqa: E402
from tui.screens.builds import BuildsScreen  # noqa: E402

FIXED = 1_795_000_000.0
OUT = ROOT / "docs"

Step = Callable[[Pilot[object]], Awaitable[None]]


async def _loaded(pilot: Pilot[object]) -> None:
    app = pilot.app
    while not (isinstance(app.screen, BuildsScreen) and app.screen.state.last_ok):
        await pilot.pause(0.05)
    await pilot.pause(0.3)


async def _shot(name: str, size: tuple[int, int], steps: Step | None = None) -> None:
    emulator = Emulator()
    emulator.world.clock = lambda: FIXED
    seed_history(emulator.world, 150, running=4)
    await emulator.start()
    try:
        app = MpibApp(demo_settings(emulator.endpoint), refresh_seconds=0, clock=lambda: FIXED)
        async with app.run_test(size=size) as pilot:
            await _loaded(pilot)
            if steps is not None:
                await steps(pilot)
                await pilot.pause(0.5)
            (OUT / f"{name}.svg").write_text(app.export_screenshot(title=f"mpib: {name}"))
    finally:
        await emulator.stop()
    print(f"docs/{name}.svg")


async def _logs(pilot: Pilot[object]) -> None:
    await pilot.press("slash", *"status:failed", "enter", "l")  # a failed build's log
    await pilot.pause(1.0)
    await pilot.press("g", "e")


async def _start(pilot: Pilot[object]) -> None:
    await pilot.press("j", "c")


async def _filter(pilot: Pilot[object]) -> None:
    await pilot.press("f")


async def main() -> None:
    await _shot("builds-80x24", (80, 24))
    await _shot("builds-wide", (180, 42))
    await _shot("logs", (120, 34), _logs)
    await _shot("clone-build", (120, 34), _start)
    await _shot("filter-docked", (140, 34), _filter)


if __name__ == "__main__":
    asyncio.run(main())
