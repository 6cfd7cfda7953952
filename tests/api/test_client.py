"""BuildsClient against the emulator: streaming pages, describe, start, refresh."""

from __future__ import annotations

from api.builds import BuildFilter, BuildStatus, StartBuildRequest
from api.client import FIRST_PAGE_SIZE, PAGE_SIZE, BuildsClient
from api.emulator import Emulator
from api.emulator.scenario import seed_history
from api.index import BuildIndex

START = StartBuildRequest(("fo-ids4xf7qagwyc",), "ami-58d7e821", "ubuntu-ami", "token-1")


async def test_stream_small_first_page_then_full_pages(
    emulator: Emulator, client: BuildsClient
) -> None:
    seed_history(emulator.world, 600)
    sizes = []
    async for page in client.stream():
        sizes.append(len(page))
        if len(sizes) == 1:
            # The second page has not been asked for while the first is handled.
            assert emulator.count("DescribeBuilds") == 1
    assert sizes == [FIRST_PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, 600 - FIRST_PAGE_SIZE - 2 * PAGE_SIZE]
    assert [c.params.get("MaxResults") for c in emulator.calls] == [50, 256, 256, 256]


async def test_stream_with_filter_sends_documented_values(
    emulator: Emulator, client: BuildsClient
) -> None:
    seed_history(emulator.world, 100, running=3)
    builds = await client.list_all(BuildFilter(statuses=(BuildStatus.IN_PROGRESS,)))
    assert len(builds) == 3
    assert emulator.calls[-1].params["Filters"] == [{"Name": "status", "Values": ["in-progress"]}]


async def test_empty_account(client: BuildsClient) -> None:
    pages = [page async for page in client.stream()]
    assert pages == [[]]


async def test_expired_token_restarts_listing_without_duplicates(
    emulator: Emulator, client: BuildsClient
) -> None:
    seed_history(emulator.world, 400)
    emulator.world.config.token_lifetime = 30
    index = BuildIndex()
    pages = 0
    async for page in client.stream():
        index.upsert(page)
        pages += 1
        if pages == 2:
            emulator.world.advance(60)  # the token in hand is now stale
    assert len(index) == 400
    assert {c.operation for c in emulator.calls} == {"DescribeBuilds"}
    assert sum(1 for c in emulator.calls if "NextToken" not in c.params) == 2


async def test_start_returns_build_id_and_is_idempotent(
    emulator: Emulator, client: BuildsClient
) -> None:
    first = await client.start(START)
    assert await client.start(START) == first
    assert len(emulator.world.records) == 1
    assert emulator.calls[0].params["ClientToken"] == "token-1"
    (build,) = await client.describe([first])
    assert build.status is BuildStatus.IN_PROGRESS
    assert build.destination_image.name == "ubuntu-ami"


async def test_dropped_start_response_is_retried_into_the_same_build(
    emulator: Emulator,
) -> None:
    """botocore's own retry (3 attempts, as shipped) after the answer was lost."""
    import dataclasses

    from tests.conftest import settings_for

    settings = dataclasses.replace(settings_for(emulator.endpoint), max_attempts=3)
    emulator.faults.drop_next["StartBuild"] = 1
    async with BuildsClient.open(settings) as client:
        build_id = await client.start(START)
    assert emulator.count("StartBuild") == 2
    assert [r.build_id for r in emulator.world.records] == [build_id]


async def test_refresh_costs_two_calls_with_2000_builds(
    emulator: Emulator, client: BuildsClient
) -> None:
    seed_history(emulator.world, 2000, running=50)
    emulator.world.config.max_running = 100
    index = BuildIndex()
    async for page in client.stream():
        index.upsert(page)
    before = emulator.count()
    changes = await client.refresh(index)
    assert emulator.count() - before == 2
    assert not changes


async def test_refresh_sees_new_builds_and_status_changes(
    emulator: Emulator, client: BuildsClient
) -> None:
    seed_history(emulator.world, 300, running=3)
    index = BuildIndex()
    async for page in client.stream():
        index.upsert(page)
    running = set(index.running_ids())
    new_id = await client.start(START)
    emulator.world.advance(200)  # every running build (and the new one) finishes
    changes = await client.refresh(index)
    assert changes.added == (new_id,)
    assert set(changes.updated) == running
    assert index.ids()[0] == new_id
    assert not index.running_ids()
    assert len(index) == 301


async def test_filtered_refresh_drops_builds_that_stop_matching(
    emulator: Emulator, client: BuildsClient
) -> None:
    seed_history(emulator.world, 50, running=4)
    only_running = BuildFilter(statuses=(BuildStatus.IN_PROGRESS,))
    index = BuildIndex()
    async for page in client.stream(only_running):
        index.upsert(page)
    assert len(index) == 4
    emulator.world.advance(3600)
    new_id = await client.start(START)
    changes = await client.refresh(index, only_running)
    assert changes.added == (new_id,)
    assert len(changes.removed) == 4
    assert index.ids() == [new_id]
