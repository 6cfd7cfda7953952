"""Several (profile, region) pairs in one table, each failing and recovering on its own."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from textual.widgets import Static

from api.backoff import Backoff
from api.emulator import Emulator
from api.emulator.scenario import seed_history
from tests.conftest import KEY, emulator_config, settings_for, wait_for
from tests.tui.test_builds_screen import loaded, make_app, new_build, status_bar
from tui.app import MpibApp
from tui.screens.add_region import AddRegionScreen


@pytest.fixture
async def second() -> AsyncIterator[Emulator]:
    emulator = Emulator(emulator_config(region="eu-west-1", seed=99))
    await emulator.start()
    yield emulator
    await emulator.stop()


async def test_two_regions_in_one_table_one_going_down(
    emulator: Emulator, second: Emulator
) -> None:
    seed_history(emulator.world, 30, running=2)
    seed_history(second.world, 20, running=2)
    east = settings_for(emulator.endpoint)
    west = dataclasses.replace(settings_for(second.endpoint), region="eu-west-1")
    app = MpibApp(east, more_settings=[west], refresh_seconds=0.2)
    async with app.run_test(size=(160, 40)):
        screen = await loaded(app)
        await wait_for(lambda: screen.table.row_count == 50)
        assert "origin" in screen.table.columns
        origins = {b.build_id: b.origin for b in screen.index.builds()}
        assert {origins[r.build_id] for r in emulator.world.records} == {"default/us-east-1"}
        assert {origins[r.build_id] for r in second.world.records} == {"default/eu-west-1"}
        assert "watching default/us-east-1, default/eu-west-1" in screen.where

        screen.state.backoff = Backoff(base=0.2, cap=0.5)
        port = urlsplit(second.endpoint).port
        await second.stop()
        await wait_for(lambda: "default/eu-west-1: offline" in status_bar(app))
        fresh = new_build(emulator)  # the other region goes on
        await wait_for(lambda: fresh in screen.table.row_ids)
        assert screen.table.row_count == 51  # eu-west-1's rows are kept meanwhile
        west_new = new_build(second)
        await second.start(port=port or 0)
        await wait_for(lambda: west_new in screen.table.row_ids)
        await wait_for(lambda: "offline" not in status_bar(app))


def write_aws_files(endpoint: str) -> None:
    """Profile b: eu-west-1 at the second emulator, with its own credentials."""
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(f"[profile b]\nregion = eu-west-1\nendpoint_url = {endpoint}\n")
    Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).write_text(
        f"[b]\naws_access_key_id = {KEY}\naws_secret_access_key = {KEY}\n"
    )


async def test_ctrl_r_adds_a_profile_region_without_restarting(
    emulator: Emulator, second: Emulator
) -> None:
    seed_history(emulator.world, 10)
    seed_history(second.world, 7)
    write_aws_files(second.endpoint)
    app = make_app(emulator)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await loaded(app)
        assert "origin" not in screen.table.columns
        await pilot.press("ctrl+r")
        await pilot.press(*"nowhere", "enter")  # not a region: said in place
        assert isinstance(app.screen, AddRegionScreen)
        error = app.screen.query_one("#region-error", Static)
        assert "is not a region like eu-west-1" in str(error.content)
        await pilot.press("ctrl+a", "ctrl+k", *"b/eu-west-1", "enter")
        await wait_for(lambda: screen.table.row_count == 17)
        assert "origin" in screen.table.columns
        assert {b.origin for b in screen.index.builds()} == {"default/us-east-1", "b/eu-west-1"}
