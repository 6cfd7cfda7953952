"""Pictures of the main screen at 80x24 and 160x45, with a fixed clock and data.

The emulator runs on its own thread (snap_compare drives its own event loop)
with its clock pinned, so build ids, times and durations are the same every run.
Regenerate after an intended change with ``uv run pytest --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from api.emulator import BackgroundEmulator, Emulator
from api.emulator.scenario import seed_history
from tests.conftest import emulator_config, wait_for
from tui.app import MpibApp
from tui.demo import demo_settings
from tui.screens.builds import BuildsScreen

FIXED = 1_795_000_000.0  # 2026-11-18T08:26:40Z
PORT = 47831  # fixed: log URLs (shown redacted in the detail pane) include the port


@pytest.fixture
def pinned() -> Iterator[Emulator]:
    emulator = Emulator(emulator_config())
    emulator.world.clock = lambda: FIXED
    seed_history(emulator.world, 150, running=4)
    runner = BackgroundEmulator(emulator, port=PORT)
    runner.start()
    yield emulator
    runner.stop()


def app_for(emulator: Emulator) -> MpibApp:
    return MpibApp(demo_settings(emulator.endpoint), refresh_seconds=0, clock=lambda: FIXED)


async def _loaded(pilot: Pilot[Any]) -> None:
    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, BuildsScreen) and screen.state.last_ok is not None

    await wait_for(ready)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
def test_main_screen(pinned: Emulator, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(pinned), terminal_size=size, run_before=_loaded)


def test_detail_card(pinned: Emulator, snap_compare: Any) -> None:
    async def open_detail(pilot: Pilot[Any]) -> None:
        await _loaded(pilot)
        await pilot.press("j", "j", "j", "j", "enter")
        await pilot.pause()

    assert snap_compare(app_for(pinned), terminal_size=(100, 30), run_before=open_detail)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
def test_start_form_cloned_with_an_error(
    pinned: Emulator, snap_compare: Any, size: tuple[int, int]
) -> None:
    """The clone of a build with its name made invalid: the message sits under the field."""

    async def open_clone(pilot: Pilot[Any]) -> None:
        await _loaded(pilot)
        await pilot.press("j", "c")
        await pilot.pause()
        await pilot.press("end", "!")
        await pilot.pause()

    assert snap_compare(app_for(pinned), terminal_size=size, run_before=open_clone)
