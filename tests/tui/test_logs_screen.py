"""The log viewer against the emulator: tail, follow, search, errors, save, hostile text."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from api.emulator import Emulator
from api.emulator.world import BuildRecord
from tests.api.test_logs import HOSTILE, add, big_log
from tests.conftest import wait_for
from tests.tui.test_builds_screen import loaded, make_app
from tui.app import MpibApp
from tui.screens.logs import LogsScreen
from tui.widgets import log_pane
from tui.widgets.log_pane import LogPane


async def open_logs(app: MpibApp, pilot: object, record: BuildRecord) -> LogPane:
    screen = await loaded(app)
    assert screen.table.move_to(record.build_id)
    await pilot.press("l")  # type: ignore[attr-defined]
    await wait_for(lambda: isinstance(app.screen, LogsScreen))
    logs = app.screen
    assert isinstance(logs, LogsScreen)
    pane = logs.pane
    await wait_for(
        lambda: bool(pane.view.lines) or bool(pane.message and "loading" not in pane.message)
    )
    return pane


def screen_text(pane: LogPane) -> str:
    """What the view draws, row by row, as the terminal would get it."""
    view = pane.view
    return "\n".join(
        "".join(segment.text for segment in view.render_line(y)) for y in range(view.size.height)
    )


async def test_failed_build_shows_the_end_and_e_finds_the_error(emulator: Emulator) -> None:
    record = add(emulator, running=False)
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_logs(app, pilot, record)
        await wait_for(lambda: "ERROR: installer exited" in screen_text(pane))
        await pilot.press("g")  # to the top: e searches from the first line
        await pilot.press("e")
        assert "ERROR" in pane.view.plains[pane.view.marked]
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, LogsScreen))


async def test_hostile_log_never_reaches_the_terminal(emulator: Emulator) -> None:
    record = add(emulator, running=False)
    emulator.world.logs.overrides[(record.build_id, "stdout")] = HOSTILE
    emulator.world.logs.overrides[(record.build_id, "stderr")] = b"x" * 100_000 + b"\n"
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_logs(app, pilot, record)
        await wait_for(lambda: "bad utf8" in screen_text(pane))
        shown = screen_text(pane)
        assert not any((ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F for c in shown)
        assert "pwned" not in shown and "\ufffd" in shown
        red = [s for y in range(5) for s in pane.view.render_line(y) if s.text.startswith("red")]
        assert red and red[0].style is not None and red[0].style.color is not None
        await pilot.press("o")  # stderr: one 100,000-character line
        other = app.screen.pane  # type: ignore[attr-defined]
        await wait_for(lambda: len(other.view.lines) == 1)
        await pilot.press("w")
        assert other.view.virtual_size.height == -(-100_000 // other.view.size.width)


async def test_follow_appends_and_stops_when_the_build_ends(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_pane, "FOLLOW_SECONDS", 0.05)
    monkeypatch.setattr(log_pane, "DESCRIBE_EVERY", 2)
    record = add(emulator, running=True, duration=1200)
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_logs(app, pilot, record)
        assert pane.following
        before = len(pane.view.lines)
        emulator.world.advance(200)
        await wait_for(lambda: len(pane.view.lines) > before)
        assert pane.view.at_bottom
        emulator.world.advance(2000)
        await wait_for(lambda: not pane.following)
        assert "follow stopped" in pane.message
        full = emulator.world.logs.full(record, "stdout").decode()
        assert len(pane.view.lines) == full.count("\n")


async def test_scrolling_up_stops_pinning_and_f_resumes(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_pane, "FOLLOW_SECONDS", 0.05)
    record = add(emulator, running=True, duration=3600)
    app = make_app(emulator)
    async with app.run_test(size=(100, 20)) as pilot:
        pane = await open_logs(app, pilot, record)
        await pilot.press("k")
        assert not pane.following
        await pilot.press("f")
        assert pane.following


async def test_big_log_loads_earlier_chunks_at_the_top(emulator: Emulator) -> None:
    record = add(emulator, running=False)
    emulator.world.logs.overrides[(record.build_id, "stdout")] = big_log(20_000)
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_logs(app, pilot, record)
        await wait_for(lambda: "00019999" in screen_text(pane))
        first = len(pane.view.lines)
        assert first < 20_000
        await pilot.press("g")
        await wait_for(lambda: len(pane.view.lines) > first)
        # the view stayed on the line it showed, not the new first line
        assert pane.view.plains[round(pane.view.scroll_y)].startswith(f"{20_000 - first:08d}")


async def test_search_counts_and_moves(emulator: Emulator) -> None:
    record = add(emulator, running=False)
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_logs(app, pilot, record)
        await pilot.press("slash", *"==> ")
        count = pane.query_one(".log-count", Static)
        total = sum(p.count("==> ") for p in pane.view.plains)
        await wait_for(lambda: f"{total} matches" in str(count.content))
        await pilot.press("enter")
        assert pane.view.current >= 0
        await pilot.press("n")
        assert f"/{total} matches" in str(count.content)
        await pilot.press("escape")  # clears the search, stays in the logs
        assert pane.query_one(".log-find", Input).value == "" and not pane.view.matches
        assert isinstance(app.screen, LogsScreen)


async def test_save_writes_the_whole_clean_log(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    record = add(emulator, running=False)
    emulator.world.logs.overrides[(record.build_id, "stdout")] = HOSTILE + big_log(30_000)
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_logs(app, pilot, record)
        await pilot.press("ctrl+s")
        path = tmp_path / f"mpib-{record.build_id}-stdout.log"
        await wait_for(lambda: any(str(path) in str(n.message) for n in app._notifications))
        saved = path.read_text()
        assert saved.count("\n") == 4 + 30_000 and "\x1b" not in saved
