"""The app opens on the emulator and streams builds into its table."""

from __future__ import annotations

from api.emulator import Emulator
from api.emulator.catalog import IMAGES_BY_ID, OFFERINGS_BY_ID
from api.emulator.scenario import seed_history
from tests.conftest import settings_for, wait_for
from tui.app import MpibApp
from tui.screens.builds import BuildsScreen


async def test_builds_stream_into_the_table(emulator: Emulator) -> None:
    seed_history(emulator.world, 300, running=2)
    app = MpibApp(settings_for(emulator.endpoint), refresh_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, BuildsScreen))
        screen = app.screen
        assert isinstance(screen, BuildsScreen)
        await wait_for(lambda: screen.table.row_count == 300)
        await pilot.press("q")
    assert app.client is not None


async def test_service_data_is_never_markup(emulator: Emulator) -> None:
    evil = "[bold red]evil[/] [link=http://x]y[/link]"
    emulator.world.add_build(
        offerings=(OFFERINGS_BY_ID["fo-ids4xf7qagwyc"],),
        image=IMAGES_BY_ID["ami-58d7e821"],
        name=evil,
        start=emulator.world.now() - 100,
        duration=10,
        outcome="Failed",
    )
    app = MpibApp(settings_for(emulator.endpoint), refresh_seconds=0)
    async with app.run_test(size=(200, 20)):
        await wait_for(lambda: isinstance(app.screen, BuildsScreen))
        screen = app.screen
        assert isinstance(screen, BuildsScreen)
        await wait_for(lambda: screen.table.row_count == 1)
        line = screen.table.render_line(1).text
        assert "[bold red]evil[/]" in line
