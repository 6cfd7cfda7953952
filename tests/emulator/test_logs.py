"""Presigned log URLs: SigV4 query auth with expiry, Range, logs that grow."""

from __future__ import annotations

import aiohttp
import pytest
import yarl

from api.builds import StartBuildRequest
from api.client import BuildsClient
from api.emulator import Emulator

START = StartBuildRequest(("fo-ids4xf7qagwyc",), "ami-58d7e821", "ubuntu-ami", "t")


async def get(url: str, range_header: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    headers = {"Range": range_header} if range_header else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(yarl.URL(url, encoded=True), headers=headers) as response,
    ):
        return response.status, await response.read(), dict(response.headers)


async def started(emulator: Emulator, client: BuildsClient) -> str:
    build_id = await client.start(START)
    emulator.world.advance(emulator.world.config.build_seconds[1] + 1)
    return build_id


async def test_full_log_and_ranges(emulator: Emulator, client: BuildsClient) -> None:
    (build,) = await client.describe([await started(emulator, client)])
    assert build.standard_output_url and build.standard_error_url
    status, full, headers = await get(build.standard_output_url)
    assert status == 200 and headers["Accept-Ranges"] == "bytes"
    assert full.endswith(b"\n") and len(full) > 1000

    status, tail, headers = await get(build.standard_output_url, "bytes=-100")
    assert status == 206 and tail == full[-100:]
    assert headers["Content-Range"] == f"bytes {len(full) - 100}-{len(full) - 1}/{len(full)}"

    status, rest, _ = await get(build.standard_output_url, "bytes=10-")
    assert status == 206 and rest == full[10:]

    status, _, headers = await get(build.standard_output_url, f"bytes={len(full)}-")
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(full)}"

    status, err, _ = await get(build.standard_error_url)
    assert status == 200 and err != full


async def test_url_expires_with_the_emulator_clock(
    emulator: Emulator, client: BuildsClient
) -> None:
    emulator.faults.url_lifetime = 60
    (build,) = await client.describe([await started(emulator, client)])
    assert build.standard_output_url
    assert (await get(build.standard_output_url))[0] == 200
    emulator.world.advance(61)
    status, body, _ = await get(build.standard_output_url)
    assert status == 403 and b"Request has expired" in body
    (fresh,) = await client.describe([build.build_id])
    assert fresh.standard_output_url
    assert (await get(fresh.standard_output_url))[0] == 200


async def test_tampered_signature_is_refused(emulator: Emulator, client: BuildsClient) -> None:
    (build,) = await client.describe([await started(emulator, client)])
    assert build.standard_output_url
    other = build.standard_output_url.replace("stdout.log", "stderr.log")
    assert (await get(other))[0] == 403
    forged = build.standard_output_url[:-4] + "0000"
    assert (await get(forged))[0] == 403


async def test_log_grows_while_the_build_runs(emulator: Emulator, client: BuildsClient) -> None:
    build_id = await client.start(START)
    (build,) = await client.describe([build_id])
    assert build.standard_output_url
    status, _, _ = await get(build.standard_output_url)
    assert status == 404  # nothing written yet
    record = emulator.world.by_id[build_id]
    span = record.finish_at - record.start
    emulator.world.advance(span * 0.3)
    status, early, _ = await get(build.standard_output_url)
    assert status == 200 and early.endswith(b"\n")
    emulator.world.advance(span * 0.3)
    status, later, _ = await get(build.standard_output_url, f"bytes={len(early)}-")
    assert status == 206 and later
    emulator.world.advance(span)
    _, final, _ = await get(build.standard_output_url)
    assert final.startswith(early + later)
    assert final.rstrip().endswith(b"\x1b[0m")


@pytest.mark.parametrize("key", ["X-Amz-Signature", "X-Amz-Credential"])
async def test_missing_auth_parameter(emulator: Emulator, client: BuildsClient, key: str) -> None:
    (build,) = await client.describe([await started(emulator, client)])
    assert build.standard_output_url
    base, query = build.standard_output_url.split("?")
    kept = "&".join(p for p in query.split("&") if not p.startswith(key + "="))
    assert (await get(f"{base}?{kept}"))[0] == 403
