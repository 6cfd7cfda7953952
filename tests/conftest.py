"""Shared fixtures: a real emulator on a loopback port and a real client for it.

Nothing is mocked: requests go through aiobotocore, over HTTP, to the aiohttp
emulator, which checks their SigV4 signatures.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest

from api.client import BuildsClient
from api.emulator import BackgroundEmulator, Emulator, EmulatorConfig, WorldConfig
from api.session import ClientSettings

KEY = "test"


@pytest.fixture(autouse=True)
def _isolated_aws_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's ~/.aws or AWS_* variables."""
    home = tmp_path_factory.mktemp("home")
    for name in list(__import__("os").environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def emulator_config(**world: object) -> EmulatorConfig:
    """An emulator config with test credentials and the given world settings."""
    return EmulatorConfig(access_key=KEY, secret_key=KEY, world=WorldConfig(**world))  # type: ignore[arg-type]


def settings_for(endpoint: str, secret: str = KEY, access_key: str = KEY) -> ClientSettings:
    """Client settings for an emulator (single attempt: tests see every error)."""
    return ClientSettings(
        region="us-east-1",
        endpoint_url=endpoint,
        access_key_id=access_key,
        secret_access_key=secret,
        max_attempts=1,
    )


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """An empty emulated account on a free port, in the test's event loop."""
    emu = Emulator(emulator_config())
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[BuildsClient]:
    """A BuildsClient talking to :func:`emulator`."""
    async with BuildsClient.open(settings_for(emulator.endpoint)) as opened:
        yield opened


@pytest.fixture
def background_emulator() -> Iterator[Emulator]:
    """An emulator on its own thread, for code that runs its own event loop (CLI)."""
    emu = Emulator(emulator_config())
    runner = BackgroundEmulator(emu)
    runner.start()
    yield emu
    runner.stop()


async def wait_for(
    condition: Callable[[], bool | Awaitable[bool]], within: float = 10.0, step: float = 0.02
) -> None:
    """Wait until ``condition`` holds, failing after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(step)


@pytest.fixture(autouse=True)
def _no_user_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's ~/.config/mpib/config.toml."""
    monkeypatch.setenv("MPIB_CONFIG", str(tmp_path_factory.mktemp("cfg") / "config.toml"))
