"""Several (profile, region) pairs watched at once, behind BuildsClient's interface.

Each pair has its own :class:`BuildsClient` and fails or recovers on its own:
a pair that cannot be reached is recorded in :attr:`MultiClient.problems` (the
status bar names it) while the others go on; only when every pair fails does a
call raise. Builds carry their origin (``profile/region``); one index holds
them all, and each pair's refresh sees only its own part of it
(:class:`api.index.OriginView`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from api.builds import Build, BuildFilter, StartBuildRequest
from api.client import BuildsClient
from api.errors import ApiError, Kind
from api.index import BuildIndex, Changes, OriginView
from api.session import ClientSettings


def origin_label(settings: ClientSettings, region: str) -> str:
    """``profile/region`` (``default/`` when no profile is named)."""
    return f"{settings.profile or 'default'}/{region}"


class MultiClient:
    """Fans every call out to its clients, concurrently."""

    def __init__(self, clients: Sequence[BuildsClient]) -> None:
        self.clients = list(clients)
        self.problems: dict[str, ApiError] = {}
        self.settings = self.clients[0].settings

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, settings: Sequence[ClientSettings]) -> AsyncIterator[MultiClient]:
        """Open one client per settings; close them all on exit."""
        async with contextlib.AsyncExitStack() as stack:
            clients = []
            for one in settings:
                client = await stack.enter_async_context(BuildsClient.open(one))
                client.origin = origin_label(one, client.region)
                clients.append(client)
            yield cls(clients)

    async def add(self, settings: ClientSettings, stack: contextlib.AsyncExitStack) -> str:
        """Watch one more pair from now on (its client closes with ``stack``)."""
        client = await stack.enter_async_context(BuildsClient.open(settings))
        client.origin = origin_label(settings, client.region)
        if client.origin in self.origins():
            raise ApiError(f"{client.origin} is watched already.", Kind.INPUT)
        self.clients.append(client)
        return client.origin

    @property
    def region(self) -> str:
        """Every region watched, for the top bar."""
        return " + ".join(dict.fromkeys(c.region for c in self.clients))

    @property
    def endpoint(self) -> str:
        """The first pair's endpoint."""
        return self.clients[0].endpoint

    def origins(self) -> list[str]:
        """The ``profile/region`` labels, in the order given."""
        return [c.origin or "" for c in self.clients]

    def _client_for(self, origin: str | None) -> BuildsClient:
        for client in self.clients:
            if client.origin == origin:
                return client
        return self.clients[0]

    def _settle(self, outcomes: Sequence[Any]) -> list[Any]:
        """Record who failed; raise only when everyone did. Returns the successes."""
        good = []
        for client, outcome in zip(self.clients, outcomes, strict=True):
            if isinstance(outcome, ApiError):
                self.problems[client.origin or ""] = outcome
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                self.problems.pop(client.origin or "", None)
                good.append(outcome)
        if not good and outcomes:
            raise next(o for o in outcomes if isinstance(o, ApiError))
        return good

    async def stream(self, build_filter: BuildFilter | None = None) -> AsyncIterator[list[Build]]:
        """Every pair's pages, as each arrives."""
        queue: asyncio.Queue[tuple[int, list[Build] | ApiError | None]] = asyncio.Queue()

        async def pump(n: int, client: BuildsClient) -> None:
            try:
                async for page in client.stream(build_filter):
                    await queue.put((n, page))
            except ApiError as error:
                await queue.put((n, error))
                return
            await queue.put((n, None))

        tasks = [asyncio.create_task(pump(n, c)) for n, c in enumerate(self.clients)]
        outcomes: list[Any] = [None] * len(tasks)
        try:
            for _ in range(len(tasks)):
                while True:
                    n, item = await queue.get()
                    if isinstance(item, list):
                        yield item
                        continue
                    outcomes[n] = item if item is not None else True
                    break
        finally:
            for task in tasks:
                task.cancel()
        self._settle(outcomes)

    def prefetch(self, build_filter: BuildFilter | None = None) -> AsyncIterator[list[Build]]:
        """As :meth:`stream` (each pair's first page is asked for when iterated)."""
        return self.stream(build_filter)

    async def refresh(self, index: BuildIndex, build_filter: BuildFilter | None = None) -> Changes:
        """Each pair refreshes its own part of the index."""
        outcomes = await asyncio.gather(
            *(c.refresh(OriginView(index, c.origin), build_filter) for c in self.clients),
            return_exceptions=True,
        )
        changes = Changes()
        for found in self._settle(outcomes):
            changes += found
        return changes

    async def describe(self, build_ids: Sequence[str]) -> list[Build]:
        """The builds with these ids, from whichever pair has them."""
        outcomes = await asyncio.gather(
            *(c.describe(build_ids) for c in self.clients), return_exceptions=True
        )
        return [b for found in self._settle(outcomes) for b in found]

    async def check_filter(self, build_filter: BuildFilter) -> None:
        """Every pair must accept the filter."""
        for client in self.clients:
            await client.check_filter(build_filter)

    async def start(self, request: StartBuildRequest, origin: str | None = None) -> str:
        """Start in ``origin`` (a clone's own pair), else in the first pair."""
        return await self._client_for(origin).start(request)

    async def reconnect(self) -> None:
        """Read every pair's credentials again."""
        for client in self.clients:
            await client.reconnect()
