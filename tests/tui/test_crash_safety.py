"""A bug in a worker is a notification and a log line, not a dead app; no secret is logged."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.emulator import Emulator
from api.emulator.scenario import seed_history
from tests.conftest import wait_for
from tests.tui.test_builds_screen import loaded, make_app
from tui import debug_log

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SIGNATURE = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "mpib.log"
    handler = debug_log.configure(str(path), secrets=[SECRET])
    yield path
    debug_log.LOGGER.removeHandler(handler)
    handler.close()


async def test_worker_bug_is_reported_and_the_app_goes_on(
    emulator: Emulator, log_file: Path
) -> None:
    seed_history(emulator.world, 30)
    app = make_app(emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(app)

        async def broken() -> None:
            url = f"https://b.s3.amazonaws.com/x.log?X-Amz-Signature={SIGNATURE}"
            raise RuntimeError(f"a bug while reading {url} as {KEY_ID} with {SECRET}")

        screen.run_worker(broken(), exit_on_error=False)
        await wait_for(lambda: any(n.title == "Unexpected error" for n in app._notifications))
        assert app.is_running
        seed_history(emulator.world, 5)
        await pilot.press("R")
        await wait_for(lambda: screen.table.row_count == 35)
    text = await asyncio.to_thread(log_file.read_text)
    assert "worker" in text and "Traceback" in text and "RuntimeError" in text
    assert SIGNATURE not in text and "X-Amz-Signature=***" in text
    assert SECRET not in text and KEY_ID not in text
