"""Alerts when watched builds end, marks, and copying over OSC 52 (tmux-wrapped)."""

from __future__ import annotations

import base64

import pytest

from api.emulator import Emulator
from api.emulator.scenario import seed_history
from tests.api.test_logs import add
from tests.conftest import wait_for
from tests.tui.test_builds_screen import loaded, make_app, new_build
from tui.config import Alerts


async def test_a_running_build_that_ends_alerts_once(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMUX", raising=False)
    seed_history(emulator.world, 20)
    running = add(emulator, running=True, duration=600)
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        assert running.build_id in screen.watching.ids  # running at start: watched
        emulator.world.advance(3600)
        await pilot.press("r")
        short = running.build_id[:8]
        await wait_for(lambda: any(f"Build {short} Failed" in s for s in app.sequences_sent))
        sent = list(app.sequences_sent)
        assert "\a" in sent
        assert any(s.startswith("\x1b]9;mpib: Build ") and s.endswith("\a") for s in sent)
        assert any(s.startswith(f"\x1b]777;notify;mpib: Build {short} Failed;") for s in sent)
        assert any(n.title == f"Build {short} Failed" for n in app._notifications)
        await pilot.press("r")
        await wait_for(lambda: screen.state.last_ok is not None and not screen.state.loading)
        assert list(app.sequences_sent) == sent  # once per build


async def test_switched_off_alerts_stay_quiet(emulator: Emulator) -> None:
    running = add(emulator, running=True, duration=600)
    app = make_app(emulator, alerts=Alerts(toast=True, bell=False, desktop=False))
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(app)
        emulator.world.advance(3600)
        await pilot.press("r")
        short = running.build_id[:8]
        await wait_for(
            lambda: any(n.title.startswith(f"Build {short}") for n in app._notifications)
        )
        assert list(app.sequences_sent) == []


async def test_mark_a_build_to_watch_it(emulator: Emulator) -> None:
    seed_history(emulator.world, 5)
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        fresh = new_build(emulator)  # started elsewhere after mpib opened: not watched
        await pilot.press("r")
        await wait_for(lambda: fresh in screen.table.row_ids)
        assert fresh not in screen.watching.ids
        screen.table.move_to(fresh)
        await pilot.press("m")
        assert fresh in screen.watching.ids
        row = screen.table._row_of(fresh)
        assert row is not None
        assert screen.table.render_line(row + 1 - round(screen.table.scroll_y)).text[0] == "•"
        await pilot.press("m")
        assert fresh not in screen.watching.ids
        done = next(b.build_id for b in screen.index.builds() if not b.is_running)
        screen.table.move_to(done)
        await pilot.press("m")  # nothing to wait for: not watched, and it says why
        assert done not in screen.watching.ids
        assert any("already ended" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize("tmux", [False, True], ids=["plain", "tmux"])
async def test_copy_build_id_and_ami(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmux: bool
) -> None:
    if tmux:
        monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    else:
        monkeypatch.delenv("TMUX", raising=False)
    seed_history(emulator.world, 10)
    app = make_app(emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(app)
        build = next(b for b in screen.index.builds() if b.destination_image.id)
        screen.table.move_to(build.build_id)
        await pilot.press("y", "Y")
        expected = [
            f"\x1b]52;c;{base64.b64encode(text.encode()).decode()}\a"
            for text in (build.build_id, build.destination_image.id or "")
        ]
        if tmux:
            expected = [f"\x1bPtmux;{e.replace(chr(27), chr(27) * 2)}\x1b\\" for e in expected]
        assert list(app.sequences_sent) == expected
        assert any(
            f"Copied AMI id {build.destination_image.id}" in str(n.message)
            for n in app._notifications
        )
