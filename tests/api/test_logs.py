"""LogReader against the emulator's presigned URLs: tail first, earlier, follow, renew."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import aiohttp
import pytest

from api.build_logs import BuildLogs, Stream, open_http
from api.client import BuildsClient
from api.emulator import Emulator
from api.emulator.catalog import IMAGES_BY_ID, OFFERINGS_BY_ID
from api.emulator.world import BuildRecord
from api.errors import ApiError, Kind
from api.logs import TAIL_BYTES, LogReader, check_url, copy_clean

HOSTILE = (
    b"start\n"
    b"title \x1b]0;pwned\x07 clipboard \x1b]52;c;ZXZpbA==\x1b\\ clear \x1b[2J\x1b[H\n"
    b"alt \x1b[?1049h bell \x07 back\x08space \x9b31m c1 \xc2\x9b2J \x1bPdcs\x1b\\ end\n"
    b"\x1b[31mred\x1b[0m bad utf8 \xff\xfe ok\r\n"
)


def add(emulator: Emulator, *, running: bool, duration: float = 600) -> BuildRecord:
    world = emulator.world
    start = world.now() - (duration / 2 if running else duration + 10)
    return world.add_build(
        offerings=(OFFERINGS_BY_ID["fo-ids4xf7qagwyc"],),
        image=IMAGES_BY_ID["ami-58d7e821"],
        name="logs-test",
        start=start,
        duration=duration,
        outcome="Failed",
    )


def big_log(lines: int) -> bytes:
    return b"".join(
        b"%08d the installer says something fairly long here\n" % n for n in range(lines)
    )


@pytest.fixture
async def logs(client: BuildsClient) -> AsyncIterator[BuildLogs]:
    async with open_http() as http:
        yield BuildLogs(client, http)


async def reader_for(
    logs: BuildLogs, record: BuildRecord, stream: Stream = Stream.STDOUT
) -> LogReader:
    build = await logs.describe(record.build_id)
    assert build is not None
    reader = logs.reader(build, stream)
    assert reader is not None
    return reader


async def test_tail_first_fetches_only_the_tail(emulator: Emulator, logs: BuildLogs) -> None:
    record = add(emulator, running=False)
    data = big_log(80_000)  # 4.6 MB
    emulator.world.logs.overrides[(record.build_id, "stdout")] = data
    reader = await reader_for(logs, record)
    text = await reader.tail()
    assert emulator.log_fetches[-1].range == f"bytes=-{TAIL_BYTES}"
    assert sum(f.sent for f in emulator.log_fetches) <= TAIL_BYTES
    assert text.endswith("00079999 the installer says something fairly long here\n")
    assert text.startswith("000")  # from a whole line, not the middle of one
    assert reader.size == len(data) and 0 < reader.start < len(data) - TAIL_BYTES + 100

    # Scrolling up loads earlier chunks until the whole log is there, with nothing lost.
    chunks = 0
    while not reader.at_top:
        text = await reader.earlier() + text
        chunks += 1
    assert text.encode() == data
    assert len(emulator.log_fetches) == 1 + chunks
    assert chunks == -(-reader.size // TAIL_BYTES) - 1 or chunks == -(-reader.size // TAIL_BYTES)


async def test_follow_appends_what_the_build_writes(emulator: Emulator, logs: BuildLogs) -> None:
    record = add(emulator, running=True)
    reader = await reader_for(logs, record)
    text = await reader.tail()
    assert text and emulator.world.by_id[record.build_id].status == "InProgress"
    assert await reader.more() == ""  # nothing new yet: a 416, not an error
    emulator.world.advance(60)
    grown = await reader.more()
    assert grown and reader.end > len(text.encode()) - 100
    emulator.world.advance(3600)  # the build ends
    text += grown + await reader.more()
    full = emulator.world.logs.full(record, "stdout").decode()
    assert _plain(text) == _plain(full)


def _plain(text: str) -> str:
    from api.sanitize import clean, strip_sgr

    return strip_sgr(clean(text, keep_sgr=True))


async def test_expired_url_is_renewed(emulator: Emulator, logs: BuildLogs) -> None:
    record = add(emulator, running=True)
    emulator.faults.url_lifetime = 30
    reader = await reader_for(logs, record)
    await reader.tail()
    emulator.world.advance(120)  # the URL in hand has expired
    assert await reader.more()
    assert reader.renewals == 1
    assert [f.status for f in emulator.log_fetches][-2:] == [403, 206]


async def test_renewal_that_fails_is_one_sentence(emulator: Emulator, logs: BuildLogs) -> None:
    record = add(emulator, running=True)
    emulator.faults.url_lifetime = 30
    reader = await reader_for(logs, record)
    emulator.world.advance(120)
    emulator.faults.fail_next.append(("DescribeBuilds", "ExpiredTokenException"))
    with pytest.raises(ApiError) as caught:
        await reader.tail()
    assert "renewing it failed" in str(caught.value) and "X-Amz" not in str(caught.value)


async def test_no_log_yet_is_not_an_error(emulator: Emulator, logs: BuildLogs) -> None:
    record = add(emulator, running=True, duration=10_000)
    emulator.world.logs.overrides[(record.build_id, "stderr")] = b""
    reader = await reader_for(logs, record, Stream.STDERR)
    assert await reader.tail() == "" and not reader.found


async def test_hostile_bytes_never_come_out(emulator: Emulator, logs: BuildLogs) -> None:
    record = add(emulator, running=False)
    emulator.world.logs.overrides[(record.build_id, "stdout")] = HOSTILE
    reader = await reader_for(logs, record)
    text = await reader.tail()
    assert "\x1b[31mred\x1b[0m" in text  # SGR kept for the viewer to style
    without_sgr = text.replace("\x1b[31m", "").replace("\x1b[0m", "")
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in without_sgr)
    assert "pwned" not in text and "ZXZpbA" not in text and "\ufffd" in text
    out = io.StringIO()
    await copy_clean(reader, out.write)
    saved = out.getvalue()
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in saved)
    assert "red bad utf8" in saved


async def test_offline_is_one_sentence(emulator: Emulator, logs: BuildLogs) -> None:
    record = add(emulator, running=False)
    reader = await reader_for(logs, record)
    await emulator.stop()
    with pytest.raises(ApiError) as caught:
        await reader.tail()
    assert caught.value.kind is Kind.OFFLINE and "X-Amz" not in str(caught.value)


def test_only_https_or_loopback() -> None:
    check_url("https://bucket.s3.amazonaws.com/x.log?X-Amz-Signature=1")
    check_url("http://127.0.0.1:4566/logs/x")
    check_url("http://[::1]:4566/logs/x")
    with pytest.raises(ApiError, match="only https"):
        check_url("http://bucket.s3.amazonaws.com/x.log")
    with pytest.raises(ApiError, match="only https"):
        check_url("file:///etc/passwd")


async def test_reader_refuses_plain_http(emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as http:
        with pytest.raises(ApiError):
            LogReader(http, "http://example.com/log")
