"""The live builds monitor, piloted against the emulator over loopback HTTP."""

from __future__ import annotations

import gc
import logging
from typing import Any

import pytest
from textual.binding import Binding
from textual.widgets import Static

from api.builds import BuildStatus
from api.emulator import Emulator
from api.emulator.catalog import IMAGES_BY_ID, OFFERINGS_BY_ID
from api.emulator.scenario import seed_history
from tests.conftest import settings_for, wait_for
from tui.app import MpibApp
from tui.screens.builds import BuildsScreen
from tui.screens.detail import DetailScreen
from tui.screens.help import HelpScreen


def make_app(emulator: Emulator, refresh: float = 0, **options: Any) -> MpibApp:
    """The app on this emulator; ``options`` go to MpibApp (build_filter, alerts, …)."""
    return MpibApp(settings_for(emulator.endpoint), refresh_seconds=refresh, **options)


def screen_of(app: MpibApp) -> BuildsScreen:
    screen = app.screen
    assert isinstance(screen, BuildsScreen)
    return screen


def status_bar(app: MpibApp) -> str:
    return str(app.screen.query_one("#status-bar", Static).content)


async def loaded(app: MpibApp) -> BuildsScreen:
    await wait_for(lambda: isinstance(app.screen, BuildsScreen))
    screen = screen_of(app)
    await wait_for(lambda: screen.state.last_ok is not None and not screen.state.loading)
    return screen


def new_build(emulator: Emulator, name: str = "fresh-build") -> str:
    record = emulator.world.add_build(
        offerings=(OFFERINGS_BY_ID["fo-ids4xf7qagwyc"],),
        image=IMAGES_BY_ID["ami-58d7e821"],
        name=name,
        duration=60,
    )
    return record.build_id


async def test_first_page_is_shown_before_the_listing_ends(emulator: Emulator) -> None:
    seed_history(emulator.world, 700)
    emulator.faults.latency = 0.4
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)):
        await wait_for(lambda: isinstance(app.screen, BuildsScreen))
        screen = screen_of(app)
        await wait_for(lambda: screen.table.row_count > 0)
        assert screen.table.row_count == 50
        assert screen.state.loading
        assert "loading… 50 builds" in status_bar(app)
        await wait_for(lambda: screen.table.row_count == 700)
        await wait_for(lambda: not screen.state.loading)
        assert "loading" not in status_bar(app)


async def test_status_change_arrives_with_the_cursor_kept(emulator: Emulator) -> None:
    seed_history(emulator.world, 60, running=3)
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        await pilot.press("j")
        watched = screen.table.cursor_id
        assert watched is not None and screen.index.get(watched).is_running  # type: ignore[union-attr]
        emulator.world.advance(3600)
        await pilot.press("r")
        await wait_for(lambda: not screen.index.running_ids())
        assert screen.table.cursor_id == watched
        assert screen.table.cursor_row == 1


async def test_timer_refresh_brings_new_builds_to_the_top(emulator: Emulator) -> None:
    seed_history(emulator.world, 40, running=1)
    app = make_app(emulator, refresh=0.2)
    async with app.run_test(size=(120, 30)):
        screen = await loaded(app)
        fresh = new_build(emulator)
        await wait_for(lambda: fresh in screen.index)
        assert screen.table.row_ids[0] == fresh
        assert len(screen.table.row_ids) == 41


async def test_failed_refresh_keeps_the_table_and_recovers(emulator: Emulator) -> None:
    seed_history(emulator.world, 30)
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        emulator.faults.fail_next.append(("DescribeBuilds", "ThrottlingException"))
        await pilot.press("r")
        await wait_for(lambda: "throttled" in status_bar(app))
        assert screen.table.row_count == 30
        await pilot.press("r")
        await wait_for(lambda: screen.state.error is None)
        assert "throttled" not in status_bar(app)


async def test_sort_survives_refresh(emulator: Emulator) -> None:
    seed_history(emulator.world, 50, running=2)
    app = make_app(emulator)
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await loaded(app)
        await pilot.press("o")  # started -> duration ... cycle to status
        screen.table.set_sort("status", reverse=False)
        new_build(emulator)
        emulator.world.advance(3600)
        await pilot.press("r")
        await wait_for(lambda: len(screen.index) == 51 and not screen.index.running_ids())
        order = [screen.index.get(i).status for i in screen.table.row_ids]  # type: ignore[union-attr]
        rank = [BuildStatus.FAILED, BuildStatus.INTERNAL_ERROR, BuildStatus.SUCCEEDED]
        assert [rank.index(s) for s in order] == sorted(rank.index(s) for s in order)  # type: ignore[arg-type]
        assert screen.table.sort_column == "status"


async def test_refresh_tick_costs_two_calls_with_2000_builds(emulator: Emulator) -> None:
    seed_history(emulator.world, 2000, running=40)
    emulator.world.config.max_running = 100
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        before, last = emulator.count("DescribeBuilds"), screen.state.last_ok
        await pilot.press("r")
        await wait_for(lambda: screen.state.last_ok != last)
        assert emulator.count("DescribeBuilds") - before <= 2


async def test_pause_and_relist(emulator: Emulator) -> None:
    seed_history(emulator.world, 20)
    app = make_app(emulator, refresh=5)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        await pilot.press("p")
        assert status_bar(app).endswith("paused")
        await pilot.press("p")
        assert "next in" in status_bar(app)
        calls = emulator.count()
        await pilot.press("R")
        await wait_for(lambda: emulator.count() > calls and not screen.state.loading)
        assert screen.table.row_count == 20


async def test_detail_and_help(emulator: Emulator) -> None:
    seed_history(emulator.world, 5)
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(app)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DetailScreen))
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert detail.build.build_id == screen.table.cursor_id
        await pilot.press("escape")
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, BuildsScreen))
        titles = [title for title, _, _ in screen.palette_commands()]
        assert "Refresh now" in titles and "Re-list all builds" in titles
        # Every key of the screen is also in the palette, named with its key.
        helps = " ".join(help_text for _, help_text, _ in screen.palette_commands())
        shown = {"slash": "/", "question_mark": "?"}
        for binding in BuildsScreen.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action != "app.quit":
                assert f"({shown.get(binding.key, binding.key)})" in helps, binding.key


async def test_narrow_terminal_drops_columns(emulator: Emulator) -> None:
    seed_history(emulator.world, 5)
    app = make_app(emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app)
        assert screen.table.columns == ["status", "build", "product", "started", "duration"]
        await pilot.resize_terminal(200, 40)
        await wait_for(lambda: "source" in screen.table.columns)


async def test_quit_closes_the_client_session(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    seed_history(emulator.world, 5)
    app = make_app(emulator)
    with caplog.at_level(logging.ERROR):
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(app)
            await pilot.press("q")
        del app, pilot
        gc.collect()
    assert "Unclosed" not in caplog.text
