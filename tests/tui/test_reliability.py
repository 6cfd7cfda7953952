"""Riding through trouble: network loss, dead credentials, faults during a listing."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from urllib.parse import urlsplit

from textual.widgets import Static

from api.backoff import Backoff
from api.emulator import Emulator
from api.emulator.scenario import seed_history
from api.session import ClientSettings
from tests.conftest import KEY, settings_for, wait_for
from tests.tui.test_builds_screen import loaded, make_app, new_build, screen_of, status_bar
from tui.app import MpibApp


def banner(app: MpibApp) -> Static:
    return app.screen.query_one("#banner", Static)


async def test_network_loss_keeps_the_table_and_recovers(emulator: Emulator) -> None:
    seed_history(emulator.world, 40, running=2)
    app = make_app(emulator, 0.2)
    async with app.run_test(size=(120, 30)):
        screen = await loaded(app)
        screen.state.backoff = Backoff(base=0.2, cap=0.5)
        port = urlsplit(emulator.endpoint).port
        await emulator.stop()
        await wait_for(lambda: "offline" in status_bar(app))
        assert "retrying in" in status_bar(app) or screen.state.loading is False
        assert screen.table.row_count == 40  # the last table stays
        assert not banner(app).display  # offline is not a credentials problem
        fresh = new_build(emulator)
        await emulator.start(port=port or 0)
        await wait_for(lambda: fresh in screen.table.row_ids)
        await wait_for(lambda: "offline" not in status_bar(app))
        assert screen.table.row_count == 41


def write_credentials(secret: str) -> None:
    path = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"])
    path.write_text(f"[ops]\naws_access_key_id = {KEY}\naws_secret_access_key = {secret}\n")


async def test_bad_credentials_pause_and_r_rereads_them(emulator: Emulator) -> None:
    seed_history(emulator.world, 25)
    write_credentials("not-the-secret")
    settings = ClientSettings(
        profile="ops", region="us-east-1", endpoint_url=emulator.endpoint, max_attempts=1
    )
    app = MpibApp(settings, refresh_seconds=0.2)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(lambda: banner(app).display)
        screen = screen_of(app)
        assert "signature was rejected" in str(banner(app).content)
        assert "press r" in str(banner(app).content)
        # Paused, not hammering: no timer is armed, so no call will be made.
        assert screen.state.paused and screen.state.next_due is None
        calls = emulator.count()
        write_credentials(KEY)  # the user fixed it in another terminal
        await pilot.press("r")
        await wait_for(lambda: screen.table.row_count == 25)
        assert not banner(app).display and not screen.state.paused
        assert emulator.count() > calls


async def test_expired_session_names_the_fix(emulator: Emulator) -> None:
    seed_history(emulator.world, 10)
    settings = dataclasses.replace(settings_for(emulator.endpoint), profile=None)
    app = MpibApp(settings, refresh_seconds=0.2)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        emulator.faults.expired_credentials = True
        await pilot.press("r")
        await wait_for(lambda: banner(app).display)
        assert "aws sso login --profile default" in str(banner(app).content)
        assert screen.table.row_count == 10
        emulator.faults.expired_credentials = False
        await pilot.press("r")
        await wait_for(lambda: not banner(app).display and screen.state.last_ok is not None)


async def test_invalid_next_token_mid_listing_restarts_cleanly(emulator: Emulator) -> None:
    seed_history(emulator.world, 700)
    emulator.faults.latency = 0.2  # the fault is drawn after the latency: time to queue it
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)):
        await wait_for(lambda: emulator.count("DescribeBuilds") == 2)  # page 2 is in flight
        emulator.faults.fail_next.append(("DescribeBuilds", "InvalidNextTokenException"))
        screen = await loaded(app)
        assert emulator.faults.fail_next == []  # the fault fired mid-listing
        assert sum(1 for c in emulator.calls if "NextToken" not in c.params) == 2  # restarted
        ids = screen.table.row_ids
        assert len(ids) == len(set(ids)) == 700
        assert {r.build_id for r in emulator.world.records} == set(ids)
