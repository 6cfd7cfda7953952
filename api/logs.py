"""Read an installer log through its presigned S3 URL: the tail first, then
earlier chunks on demand, then new bytes while the build runs.

A log can be hundreds of megabytes and the end is what explains a failure, so
nothing here ever needs the whole object: :meth:`LogReader.tail` asks for the
last bytes (``Range: bytes=-N``), :meth:`LogReader.earlier` for the chunk before
what is shown, :meth:`LogReader.more` for what was written since
(``Range: bytes=<end>-``). Presigned URLs expire (S3 answers 403), so the
reader asks ``renew`` for a fresh one (the caller re-describes the build) and
carries on. URLs are bearer credentials: they are never put in a message, and
are only fetched over https, or http to a loopback host (the emulator).

Text comes out decoded (invalid UTF-8 as U+FFFD) and sanitised by
:func:`api.sanitize.clean`, with SGR colour kept for the viewer.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from api.errors import ApiError, Kind
from api.sanitize import clean, decode

if TYPE_CHECKING:
    import aiohttp

TAIL_BYTES = 256 * 1024
"""How much of the end is fetched first: a few thousand lines, in one quick request."""
CHUNK_BYTES = 256 * 1024
"""How much more is fetched each time the user scrolls to the top."""

Renew = Callable[[], Awaitable[str | None]]
"""Returns a freshly presigned URL for the same log, or None if there is none."""

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


def check_url(url: str) -> None:
    """Refuse anything but https, or http to a loopback host (the emulator)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    host = parts.hostname or ""
    if parts.scheme == "http" and _is_loopback(host):
        return
    raise ApiError(
        f"Refusing to fetch a log from {parts.scheme}://{host}: only https "
        "(or http to this machine) is allowed.",
        Kind.INPUT,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    first: int
    """Offset of ``body`` in the object."""
    size: int | None
    """The whole object's size, when the server said."""


class LogReader:
    """One log object, read in ranges. Not safe to use from two tasks at once.

    Attributes:
        start: offset of the first byte shown (0 once the whole top is loaded).
        end: offset of the next byte to fetch when following.
        size: the object's size at the last answer, if known.
        found: False while the object does not exist (no log written yet).
    """

    def __init__(self, session: aiohttp.ClientSession, url: str, renew: Renew | None = None):
        check_url(url)
        self._session = session
        self._url = url
        self._renew = renew
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.start = 0
        self.end = 0
        self.size: int | None = None
        self.found = False
        self.renewals = 0

    @property
    def at_top(self) -> bool:
        """True when nothing earlier is left to load."""
        return self.start == 0

    async def tail(self, nbytes: int = TAIL_BYTES) -> str:
        """The last ``nbytes`` (from the first whole line in them); '' if no log yet."""
        answer = await self._get(f"bytes=-{nbytes}")
        if answer is None:
            return ""
        body = answer.body
        self.start = answer.first
        self.end = answer.first + len(body)
        if answer.first > 0:
            skip = _line_start(body)
            body = body[skip:]
            self.start += skip
        return clean(self._decoder.decode(body), keep_sgr=True)

    async def earlier(self, nbytes: int = CHUNK_BYTES) -> str:
        """Whole lines from before what is shown ('' at the top); moves :attr:`start` back."""
        if self.start == 0:
            return ""
        first = max(self.start - nbytes, 0)
        answer = await self._get(f"bytes={first}-{self.start - 1}")
        if answer is None:
            return ""
        body = answer.body[: self.start - answer.first]
        if answer.first > 0:
            skip = _line_start(body)
            body = body[skip:]
            first = answer.first + skip
        else:
            first = 0
        self.start = first
        return clean(decode(body), keep_sgr=True)

    async def more(self) -> str:
        """What was written after :attr:`end` ('' if nothing new)."""
        answer = await self._get(f"bytes={self.end}-")
        if answer is None:
            return ""
        body = answer.body
        if answer.first < self.end:  # a server that ignored Range sent everything
            body = body[self.end - answer.first :]
        if not body:
            return ""
        self.end += len(body)
        return clean(self._decoder.decode(body), keep_sgr=True)

    async def chunks(self, chunk_bytes: int = 1 << 16) -> AsyncIterator[bytes]:
        """The whole object from the start, streamed (for saving and ``mpib logs``)."""
        response = await self._request(None)
        try:
            if response.status == 404:
                return
            self._raise_for(response.status)
            async for chunk in response.content.iter_chunked(chunk_bytes):
                yield chunk
        finally:
            response.release()

    # --- HTTP ---------------------------------------------------------------------------

    async def _get(self, byte_range: str) -> _Answer | None:
        """One ranged GET; None when the object does not exist or the range is empty."""
        response = await self._request(byte_range)
        try:
            if response.status == 404:
                self.found = False
                return None
            if response.status == 416:  # nothing at or after that offset (yet)
                self.found = True
                self.size = _total(response.headers.get("Content-Range")) or self.size
                return None
            self._raise_for(response.status)
            body = await _read(response)
        finally:
            response.release()
        self.found = True
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", ""))
        if response.status == 206 and match:
            size = None if match.group(3) == "*" else int(match.group(3))
            self.size = size
            return _Answer(206, body, int(match.group(1)), size)
        self.size = len(body)
        return _Answer(response.status, body, 0, len(body))

    async def _request(self, byte_range: str | None) -> aiohttp.ClientResponse:
        """GET the URL, renewing it once if S3 says it expired (403)."""
        response = await self._send(byte_range)
        if response.status == 403 and self._renew is not None:
            response.release()
            fresh = await self._renew_url()
            response = await self._send(byte_range) if fresh else response
        return response

    async def _renew_url(self) -> bool:
        assert self._renew is not None
        try:
            url = await self._renew()
        except ApiError as error:
            raise ApiError(
                f"The log link expired and renewing it failed: {error}", error.kind
            ) from None
        if not url:
            return False
        check_url(url)
        self._url = url
        self.renewals += 1
        return True

    async def _send(self, byte_range: str | None) -> aiohttp.ClientResponse:
        import aiohttp
        from yarl import URL

        headers = {"Range": byte_range} if byte_range else {}
        try:
            # encoded=True: send the URL byte for byte; re-quoting it breaks the signature.
            return await self._session.get(URL(self._url, encoded=True), headers=headers)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            where = urlsplit(self._url).hostname
            raise ApiError(
                f"Cannot fetch the log from {where}: {type(exc).__name__}.", Kind.OFFLINE
            ) from None

    @staticmethod
    def _raise_for(status: int) -> None:
        if status == 403:
            raise ApiError(
                "The log link has expired or was refused (HTTP 403), and no fresh one "
                "could be had; press r to try again.",
                Kind.CREDENTIALS,
            )
        if status >= 400:
            raise ApiError(f"The log server answered HTTP {status}.", Kind.SERVICE)


async def _read(response: aiohttp.ClientResponse) -> bytes:
    import aiohttp

    try:
        return await response.read()
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise ApiError(f"The log download broke off: {type(exc).__name__}.", Kind.OFFLINE) from None


def _line_start(body: bytes) -> int:
    """Where the first whole line of a chunk cut from the middle of a log begins.

    After the first newline; for a chunk with none (one enormous line), after
    any UTF-8 continuation bytes, so decoding starts on a character.
    """
    newline = body.find(b"\n")
    if newline >= 0:
        return newline + 1
    skip = 0
    while skip < min(len(body), 3) and 0x80 <= body[skip] <= 0xBF:
        skip += 1
    return skip


def _total(content_range: str | None) -> int | None:
    if content_range and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        return int(total) if total.isdigit() else None
    return None


async def copy_clean(reader: LogReader, write: Callable[[str], object]) -> int:
    """Stream the whole log through the sanitiser (no colour) into ``write``; bytes read.

    Lines are cleaned whole (a partial line waits for its end), so an escape
    sequence split across network chunks is still recognised and removed, and
    a UTF-8 character is never cut in two.
    """
    pending = b""
    total = 0
    async for chunk in reader.chunks():
        total += len(chunk)
        pending += chunk
        cut = pending.rfind(b"\n") + 1
        if cut:
            write(clean(decode(pending[:cut])))
            pending = pending[cut:]
    if pending:
        write(clean(decode(pending)))
    return total
