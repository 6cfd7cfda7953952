"""Secrets never leave: access keys, session tokens and URL signatures are not on
screen, in ``mpib`` output, in error text, nor in the debug log.

The emulator is given realistic credentials and the user's environment holds
them, as it would for a real profile; then the app and the CLI are driven
through the places that show URLs and errors, and everything they produced is
searched for the secrets and for every presigned signature the service sent.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from api.emulator import BackgroundEmulator, Emulator, EmulatorConfig
from api.emulator.scenario import seed_history
from api.session import ClientSettings
from tests.api.test_logs import add
from tests.conftest import wait_for
from tests.tui.test_builds_screen import loaded
from tui import debug_log
from tui.app import MpibApp
from tui.cli import main
from tui.screens.detail import DetailScreen
from tui.screens.logs import LogsScreen

ACCESS = "AKIAZ7EXAMPLE3KEY9QX"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLE=KEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJGMEQCIEXAMPLETOKEN"
SIGNATURE = re.compile(r"X-Amz-Signature=([0-9a-f]{16,})")
UNMASKED = re.compile(r"X-Amz-(?:Signature|Credential|Security-Token)=(?!\*\*\*)[^&\s]+")


def visible(svg: str) -> str:
    """The text of a Textual SVG screenshot."""
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")


def leaks(text: str, signatures: set[str]) -> list[str]:
    """What secret shows in ``text``: the credentials, a known signature, or any unmasked one."""
    secrets = (("key id", ACCESS), ("secret", SECRET), ("token", TOKEN))
    found = [name for name, value in secrets if value in text]
    found += [f"signature {s[:8]}…" for s in signatures if s in text]
    return found + [f"unmasked {m[:20]}…" for m in UNMASKED.findall(text)]


@pytest.fixture
def user_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
async def keyed() -> AsyncIterator[Emulator]:
    emulator = Emulator(EmulatorConfig(access_key=ACCESS, secret_key=SECRET))
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "debug.log"
    handler = debug_log.configure(str(path))
    yield path
    debug_log.LOGGER.removeHandler(handler)
    handler.close()


async def test_nothing_secret_on_screen_or_in_the_log(
    user_env: None, keyed: Emulator, log_file: Path
) -> None:
    seed_history(keyed.world, 20)
    failed = add(keyed, running=False)
    settings = ClientSettings(endpoint_url=keyed.endpoint, max_attempts=1)
    app = MpibApp(settings, refresh_seconds=0)
    shots: list[str] = []
    async with app.run_test(size=(220, 50)) as pilot:
        screen = await loaded(app)
        signatures = {
            s
            for b in screen.index.builds()
            for url in (b.standard_output_url, b.standard_error_url)
            for s in SIGNATURE.findall(url or "")
        }
        assert len(signatures) >= 20  # the service did send them
        screen.table.move_to(failed.build_id)
        shots.append(app.export_screenshot())  # the wide screen shows the detail pane
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DetailScreen))
        shots.append(app.export_screenshot())
        await pilot.press("escape", "l")
        await wait_for(lambda: isinstance(app.screen, LogsScreen))
        logs = app.screen
        assert isinstance(logs, LogsScreen)
        await wait_for(lambda: bool(logs.pane.view.lines))
        shots.append(app.export_screenshot())
        await pilot.press("escape")
        keyed.faults.expired_credentials = True
        await pilot.press("r")
        await wait_for(lambda: screen.state.error is not None)
        shots.append(app.export_screenshot())

        async def bug() -> None:
            raise RuntimeError(f"while reading {failed.build_id}: {screen.index.builds()[0]}")

        screen.run_worker(bug(), exit_on_error=False)
        await wait_for(lambda: any(n.title == "Unexpected error" for n in app._notifications))
        shots.append(app.export_screenshot())
    assert any("X-Amz-Signature=***" in visible(shot) for shot in shots)  # URLs were shown
    for shot in shots:
        assert leaks(visible(shot), signatures) == []
    log = await asyncio.to_thread(log_file.read_text)
    assert "RuntimeError" in log and "ExpiredToken" in log  # it did log the trouble
    assert leaks(log, signatures) == []


def test_nothing_secret_in_cli_output(
    user_env: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator = Emulator(EmulatorConfig(access_key=ACCESS, secret_key=SECRET))
    seed_history(emulator.world, 30, running=2)
    runner = BackgroundEmulator(emulator)
    runner.start()
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL_MARKETPLACEIMAGEBUILD", emulator.endpoint)
        outputs = []
        for argv in (["ls", "--json"], ["ls"], ["logs", emulator.world.records[0].build_id]):
            assert main(argv) == 0
            outputs.append(capsys.readouterr())
        emulator.faults.expired_credentials = True
        assert main(["ls"]) == 1
        outputs.append(capsys.readouterr())
    finally:
        runner.stop()
    text = "".join(o.out + o.err for o in outputs)
    assert "X-Amz-Signature=***" in text and "expired" in text
    assert leaks(text, set()) == []
