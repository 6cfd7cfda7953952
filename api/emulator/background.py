"""Run an :class:`Emulator` on its own event loop in a daemon thread.

``mpib --demo`` uses this so that serving 10,000 builds never competes with
Textual's loop for time, and so the CLI subcommands can start an emulator
before their own ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from api.emulator.server import Emulator


class BackgroundEmulator:
    """Start with :meth:`start` (returns the endpoint), end with :meth:`stop`."""

    def __init__(
        self,
        emulator: Emulator,
        port: int = 0,
        on_loop: Callable[[Emulator, asyncio.Event], object] | None = None,
    ) -> None:
        self.emulator = emulator
        self._port = port
        self._on_loop = on_loop
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="mpib-emulator", daemon=True)

    def start(self) -> str:
        """Start serving; block until the port is bound; return the endpoint URL."""
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return self.emulator.endpoint

    def stop(self) -> None:
        """Stop serving and join the thread."""
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(timeout=5)

    def __enter__(self) -> BackgroundEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        try:
            await self.emulator.start(port=self._port)
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        tasks = []
        if self._on_loop is not None:
            result = self._on_loop(self.emulator, self._stop)
            if asyncio.iscoroutine(result):
                tasks.append(asyncio.ensure_future(result))
        self._ready.set()
        await self._stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.emulator.stop()
