"""BuildsClient: the service's two operations, shaped the way the UI consumes them.

* :meth:`BuildsClient.stream` yields pages as they arrive (a small first page so
  the first rows show fast, then full 256-build pages);
* :meth:`BuildsClient.refresh` keeps a :class:`~api.index.BuildIndex` current in
  about two calls whatever its size: the head of the list down to the first
  known build, plus the builds still running, described by id in batches;
* every failure leaves here as an :class:`~api.errors.ApiError`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from api.builds import Build, BuildFilter, StartBuildRequest, parse_builds
from api.errors import ApiError, Kind, translate
from api.index import BuildIndex, Changes, OriginView
from api.session import ClientSettings, open_client

FIRST_PAGE_SIZE = 50
"""First DescribeBuilds page: small, so the first rows are on screen quickly."""
PAGE_SIZE = 256
"""Every later page: the service's maximum, so 10,000 builds take 40 calls."""
HEAD_PAGE_SIZE = 25
"""Refresh looks at this many newest builds to find new ones (one call usually)."""
ID_BATCH_SIZE = 50
"""Build ids per ``build-id`` filter when re-describing running builds."""
MAX_LISTING_RESTARTS = 3
"""How often an expired NextToken restarts a listing before giving up."""


class BuildsClient:
    """The Image Build service for mpib, over one long-lived aiobotocore client."""

    def __init__(self, client: Any, settings: ClientSettings, region: str) -> None:
        self._client = client
        self.settings = settings
        self.region = region
        self._stack = contextlib.AsyncExitStack()
        self.origin: str | None = None
        """Set when this client is one of several (see :mod:`api.multi_client`):
        every build it returns is tagged with it."""
        self.problems: dict[str, ApiError] = {}
        """Per-origin trouble; always empty for a single client (it raises instead)."""

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls, settings: ClientSettings, session: Any = None
    ) -> AsyncIterator[BuildsClient]:
        """Open the client once; close it (and its connection pool) on exit."""
        stack = contextlib.AsyncExitStack()
        client, region = await stack.enter_async_context(open_client(settings, session))
        self = cls(client, settings, region)
        self._stack = stack
        try:
            yield self
        finally:
            await self._stack.aclose()

    async def reconnect(self) -> None:
        """Read the credential chain again: a new session and client.

        After ``aws sso login`` or a credentials file edit elsewhere, the
        old client may still hold the dead credentials; this picks up the
        new ones without restarting mpib. The old client is closed only
        once the new one is open, so a failure here changes nothing.
        """
        stack = contextlib.AsyncExitStack()
        client, region = await stack.enter_async_context(open_client(self.settings))
        old, self._stack = self._stack, stack
        self._client, self.region = client, region
        await old.aclose()

    @property
    def endpoint(self) -> str:
        """The URL requests go to (an emulator's loopback address in the demo)."""
        return str(self._client.meta.endpoint_url)

    async def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = await getattr(self._client, operation)(**params)
        except Exception as exc:
            raise translate(exc, self.settings.profile, self.endpoint) from exc
        return response

    async def _describe_page(
        self, build_filter: BuildFilter, max_results: int, token: str | None
    ) -> tuple[list[Build], str | None]:
        params: dict[str, Any] = {"MaxResults": max_results}
        filters = build_filter.to_api()
        if filters:
            params["Filters"] = filters
        if token:
            params["NextToken"] = token
        response = await self._call("describe_builds", **params)
        await asyncio.sleep(0)  # botocore parsed the page in one go: let a key press through
        next_token = response.get("NextToken")
        return parse_builds(response.get("Builds"), self.origin), next_token or None

    async def stream(
        self,
        build_filter: BuildFilter | None = None,
        first_page_size: int = FIRST_PAGE_SIZE,
        page_size: int = PAGE_SIZE,
    ) -> AsyncIterator[list[Build]]:
        """Yield every matching build, page by page, newest first.

        The next page is requested only when the consumer asks for it, so the
        first page can be on screen before the second is in flight. If the
        service rejects a NextToken mid-listing (it expired), the listing starts
        over; pages already yielded come again, and the index de-duplicates.
        """
        build_filter = build_filter or BuildFilter()
        restarts = 0
        token: str | None = None
        size = first_page_size
        while True:
            try:
                builds, token = await self._describe_page(build_filter, size, token)
            except ApiError as error:
                if error.kind is Kind.PAGINATION and token and restarts < MAX_LISTING_RESTARTS:
                    restarts += 1
                    token, size = None, first_page_size
                    continue
                raise
            yield builds
            if not token:
                return
            size = page_size

    async def check_filter(self, build_filter: BuildFilter) -> None:
        """Ask for one build with this filter: raises what the service thinks of it."""
        await self._describe_page(build_filter, 1, None)

    def prefetch(self, build_filter: BuildFilter | None = None) -> AsyncIterator[list[Build]]:
        """:meth:`stream`, with the first page asked for now, not when iterated.

        The app starts the listing before its screen is composed and painted,
        so the service's answer is on its way while the UI builds itself.
        """
        pages = self.stream(build_filter)
        first = asyncio.ensure_future(anext(pages))

        async def chained() -> AsyncIterator[list[Build]]:
            try:
                page = await first
            except StopAsyncIteration:
                return
            yield page
            async for page in pages:
                yield page

        return chained()

    async def list_all(self, build_filter: BuildFilter | None = None) -> list[Build]:
        """Every matching build, de-duplicated, newest first."""
        index = BuildIndex()
        async for page in self.stream(build_filter, page_size=PAGE_SIZE):
            index.upsert(page)
        return index.builds()

    async def describe(self, build_ids: Sequence[str]) -> list[Build]:
        """The builds with these ids (unknown ids are simply absent)."""
        found: list[Build] = []
        for start in range(0, len(build_ids), ID_BATCH_SIZE):
            batch = BuildFilter(build_ids=tuple(build_ids[start : start + ID_BATCH_SIZE]))
            async for page in self.stream(batch, first_page_size=PAGE_SIZE):
                found.extend(page)
        return found

    def origins(self) -> list[str]:
        """The (profile, region) labels this client covers (none for a single one)."""
        return [self.origin] if self.origin else []

    async def start(self, request: StartBuildRequest, origin: str | None = None) -> str:
        """Start a build and return its BuildId.

        The request carries the caller's ClientToken, so calling this again
        with the same request after a lost response returns the same build.
        """
        response = await self._call("start_build", **request.to_api())
        build_id = response.get("BuildId")
        if not isinstance(build_id, str) or not build_id:
            raise ApiError("The service accepted the build but returned no BuildId.", Kind.SERVICE)
        return build_id

    async def refresh(
        self, index: BuildIndex | OriginView, build_filter: BuildFilter | None = None
    ) -> Changes:
        """Bring ``index`` up to date cheaply and report what changed.

        1. The head of the list, newest first, until a page holds a build the
           index already knows: that catches every new build.
        2. The builds the index still holds as InProgress and step 1 did not
           cover, described by ``build-id`` in batches: that catches every
           status change. A build that stopped matching the filter, or that the
           service no longer returns, leaves the index.
        Finished builds cannot change, so nothing else needs asking.
        """
        build_filter = build_filter or BuildFilter()
        changes = Changes()
        seen: set[str] = set()
        token: str | None = None
        while True:
            page, token = await self._describe_page(build_filter, HEAD_PAGE_SIZE, token)
            known = any(b.build_id in index for b in page)
            seen.update(b.build_id for b in page)
            changes += index.upsert(page)
            if known or not token:
                break
        running = [i for i in index.running_ids() if i not in seen]
        if running:
            keep = [b for b in await self.describe(running) if build_filter.matches(b)]
            kept = {b.build_id for b in keep}
            changes += index.upsert(keep)
            changes += index.remove([i for i in running if i not in kept])
        return changes
