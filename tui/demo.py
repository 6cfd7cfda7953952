"""The ``--demo`` world: the emulator in a background thread with a lively scenario.

About 150 builds of history, a few running that finish within a minute or
two, and a new build every ~45 s, so every part of the UI has something to
show without an AWS account.
"""

from __future__ import annotations

import asyncio

from api.emulator import BackgroundEmulator, Emulator, EmulatorConfig, WorldConfig
from api.emulator.scenario import run_pulse, seed_history
from api.session import ClientSettings

DEMO_REGION = "us-east-1"
DEMO_KEY = "test"


class DemoEmulator:
    """An emulator seeded for the demo; :meth:`start` returns its endpoint."""

    def __init__(self, history: int = 150, running: int = 4, pulse: float = 45.0) -> None:
        config = EmulatorConfig(
            access_key=DEMO_KEY,
            secret_key=DEMO_KEY,
            world=WorldConfig(region=DEMO_REGION, build_seconds=(40.0, 120.0)),
        )
        self.emulator = Emulator(config)
        seed_history(self.emulator.world, history, running=running)
        self._pulse = pulse
        self._background = BackgroundEmulator(self.emulator, on_loop=self._on_loop)

    def _on_loop(self, emulator: Emulator, stop: asyncio.Event) -> object:
        if self._pulse <= 0:
            return None
        return run_pulse(emulator.world, every=self._pulse, stop=stop)

    def start(self) -> str:
        """Serve on a free loopback port; return the endpoint URL."""
        return self._background.start()

    def stop(self) -> None:
        """Stop serving."""
        self._background.stop()


def demo_settings(endpoint: str) -> ClientSettings:
    """Client settings for the demo emulator (its fixed test credentials)."""
    return ClientSettings(
        region=DEMO_REGION,
        endpoint_url=endpoint,
        access_key_id=DEMO_KEY,
        secret_access_key=DEMO_KEY,
        is_demo=True,
    )
