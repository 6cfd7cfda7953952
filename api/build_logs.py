"""The installer logs of builds: which URL, a reader for it, a fresh URL when it expires.

Ties :class:`api.client.BuildsClient` (which knows the presigned URLs, and can
re-describe a build for new ones) to :class:`api.logs.LogReader` (which reads
them). The UI and ``mpib logs`` both go through here.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from api.builds import Build
from api.logs import LogReader

if TYPE_CHECKING:
    import aiohttp

    from api.client import BuildsClient
    from api.multi_client import MultiClient


class Stream(enum.StrEnum):
    """The two logs of a build."""

    STDOUT = "stdout"
    STDERR = "stderr"

    def url_of(self, build: Build) -> str | None:
        """The build's presigned URL for this log, if it has one."""
        if self is Stream.STDOUT:
            return build.standard_output_url
        return build.standard_error_url


def open_http() -> aiohttp.ClientSession:
    """An HTTP session for log downloads: bounded connect and read times.

    No total timeout: following a log or saving a big one may take minutes.
    """
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=None, connect=5, sock_read=30)
    return aiohttp.ClientSession(timeout=timeout, auto_decompress=True)


class BuildLogs:
    """Hands out readers for the logs of builds, each able to renew its own URL."""

    def __init__(self, client: BuildsClient | MultiClient, http: aiohttp.ClientSession) -> None:
        self.client = client
        self.http = http

    async def describe(self, build_id: str) -> Build | None:
        """The build as the service has it now (fresh log URLs included)."""
        found = await self.client.describe([build_id])
        return found[0] if found else None

    def reader(self, build: Build, stream: Stream) -> LogReader | None:
        """A reader of ``stream`` of ``build``; None while the build has no such log URL."""
        url = stream.url_of(build)
        if not url:
            return None

        async def renew() -> str | None:
            fresh = await self.describe(build.build_id)
            return stream.url_of(fresh) if fresh else None

        return LogReader(self.http, url, renew)
