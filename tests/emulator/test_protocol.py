"""The emulator speaks the service's protocol: signatures, pagination, filters, errors.

Everything goes through the real aiobotocore client over loopback HTTP.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from api.builds import BuildFilter, BuildStatus
from api.client import BuildsClient
from api.emulator import Emulator
from api.emulator.scenario import seed_history
from api.errors import ApiError, Kind
from api.session import open_client
from tests.conftest import settings_for


async def raw(emulator: Emulator, operation: str, **params: Any) -> dict[str, Any]:
    """Call an operation with exactly these parameters (no BuildsClient shaping)."""
    async with open_client(settings_for(emulator.endpoint)) as (client, _):
        result: dict[str, Any] = await getattr(client, operation)(**params)
        return result


async def error_code(emulator: Emulator, operation: str, **params: Any) -> str:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        await raw(emulator, operation, **params)
    return str(caught.value.response["Error"]["Code"])


async def test_wrong_secret_is_rejected(emulator: Emulator) -> None:
    async with BuildsClient.open(settings_for(emulator.endpoint, secret="not-test")) as client:
        with pytest.raises(ApiError) as caught:
            await client.list_all()
    assert caught.value.code == "InvalidSignatureException"
    assert caught.value.kind is Kind.CREDENTIALS
    assert "secret key does not match" in str(caught.value)


async def test_unknown_access_key_is_rejected(emulator: Emulator) -> None:
    async with BuildsClient.open(settings_for(emulator.endpoint, access_key="AKIDUNKNOWN")) as c:
        with pytest.raises(ApiError) as caught:
            await c.list_all()
    assert caught.value.code == "UnrecognizedClientException"


async def test_unsigned_request_is_rejected(emulator: Emulator) -> None:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            emulator.endpoint + "/",
            data=b"{}",
            headers={
                "X-Amz-Target": "AWSMPImageBuilding.DescribeBuilds",
                "Content-Type": "application/x-amz-json-1.1",
            },
        ) as response,
    ):
        body = await response.json(content_type=None)
    assert response.status == 403
    assert body["__type"] == "MissingAuthenticationTokenException"


async def test_pages_are_newest_first_and_complete(emulator: Emulator) -> None:
    seed_history(emulator.world, 300, running=5)
    first = await raw(emulator, "describe_builds", MaxResults=7)
    assert len(first["Builds"]) == 7
    starts = [b["StartTime"] for b in first["Builds"]]
    assert starts == sorted(starts, reverse=True)
    seen = [b["BuildId"] for b in first["Builds"]]
    token = first["NextToken"]
    while token:
        page = await raw(emulator, "describe_builds", MaxResults=256, NextToken=token)
        seen += [b["BuildId"] for b in page["Builds"]]
        token = page.get("NextToken")
    assert len(seen) == len(set(seen)) == 300


async def test_exact_fit_page_has_no_token(emulator: Emulator) -> None:
    seed_history(emulator.world, 10)
    page = await raw(emulator, "describe_builds", MaxResults=10)
    assert len(page["Builds"]) == 10 and "NextToken" not in page


@pytest.mark.parametrize("max_results", [257, 1000])
async def test_max_results_over_256(emulator: Emulator, max_results: int) -> None:
    assert await error_code(emulator, "describe_builds", MaxResults=max_results) == (
        "InvalidMaxResultsException"
    )


async def test_garbage_token(emulator: Emulator) -> None:
    code = await error_code(emulator, "describe_builds", NextToken="not-a-token")
    assert code == "InvalidNextTokenException"


async def test_token_bound_to_filters(emulator: Emulator) -> None:
    seed_history(emulator.world, 20)
    page = await raw(emulator, "describe_builds", MaxResults=5)
    code = await error_code(
        emulator,
        "describe_builds",
        NextToken=page["NextToken"],
        Filters=[{"Name": "status", "Values": ["failed"]}],
    )
    assert code == "InvalidNextTokenException"


@pytest.mark.parametrize(
    "filters",
    [
        [{"Name": "colour", "Values": ["red"]}],
        [{"Name": "status", "Values": ["InProgress"]}],
        [{"Name": "status", "Values": []}],
    ],
)
async def test_invalid_filters(emulator: Emulator, filters: list[dict[str, Any]]) -> None:
    assert (
        await error_code(emulator, "describe_builds", Filters=filters) == "InvalidFilterException"
    )


async def test_filters_combine_or_within_and_across(emulator: Emulator) -> None:
    seed_history(emulator.world, 200, running=4)
    records = emulator.world.records
    async with BuildsClient.open(settings_for(emulator.endpoint)) as client:
        running = await client.list_all(BuildFilter(statuses=(BuildStatus.IN_PROGRESS,)))
        assert {b.build_id for b in running} == emulator.world.running
        done = await client.list_all(
            BuildFilter(statuses=(BuildStatus.FAILED, BuildStatus.INTERNAL_ERROR))
        )
        assert {b.build_id for b in done} == {
            r.build_id for r in records if r.status in ("Failed", "InternalError")
        }
        fo = "fo-7rqxnginxplus"
        both = await client.list_all(
            BuildFilter(fulfillment_option_ids=(fo,), statuses=(BuildStatus.SUCCEEDED,))
        )
        assert both and all(
            fo in b.fulfillment_option_ids and b.status is BuildStatus.SUCCEEDED for b in both
        )
        by_product = await client.list_all(BuildFilter(product_ids=("prod-splunkent0095",)))
        assert by_product and all(
            any(p.id == "prod-splunkent0095" for p in b.products) for b in by_product
        )
        some = [r.build_id for r in records[:3]]
        assert {b.build_id for b in await client.describe(some)} == set(some)


START = {
    "FulfillmentOptionIds": ["fo-ids4xf7qagwyc"],
    "SourceImageId": "ami-58d7e821",
    "DestinationImageName": "ubuntu-ami",
}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"FulfillmentOptionIds": ["fo-doesnotexist"]}, "InvalidFulfillmentOptionIdException"),
        ({"FulfillmentOptionIds": []}, "InvalidFulfillmentOptionIdException"),
        ({"SourceImageId": "ami-123"}, "InvalidSourceImageIdException"),
        ({"SourceImageId": "ami-0000000000000000a"}, "InvalidSourceImageIdException"),
        ({"DestinationImageName": "ab"}, "InvalidDestinationImageNameException"),
        ({"DestinationImageName": "x" * 129}, "InvalidDestinationImageNameException"),
        ({"DestinationImageName": "bad|name"}, "InvalidDestinationImageNameException"),
        ({"SnsTopicArn": "arn:aws:sqs:us-east-1:123456789012:q"}, "InvalidSnsTopicArnException"),
        ({"SourceImageId": "ami-0f9e8d7c6b5a49382"}, "InstallerMismatchException"),
    ],
)
async def test_start_build_constraints(
    emulator: Emulator, change: dict[str, Any], code: str
) -> None:
    assert await error_code(emulator, "start_build", **{**START, **change}) == code
    assert emulator.world.records == []


async def test_valid_name_characters_accepted(emulator: Emulator) -> None:
    name = "web (prod) [v2] ./-'@_ 1"
    result = await raw(
        emulator,
        "start_build",
        **{
            **START,
            "DestinationImageName": name,
            "SnsTopicArn": "arn:aws:sns:eu-west-1:123456789012:build-events",
        },
    )
    record = emulator.world.by_id[result["BuildId"]]
    assert record.destination_name == name
    assert result["Products"] == [
        {"Id": "prod-ubuntutest01", "Title": "Test Ubuntu product", "Version": "Test 1.0"}
    ]


async def test_client_token_is_idempotent(emulator: Emulator) -> None:
    first = await raw(emulator, "start_build", ClientToken="tok-1", **START)
    again = await raw(emulator, "start_build", ClientToken="tok-1", **START)
    assert first["BuildId"] == again["BuildId"]
    assert len(emulator.world.records) == 1
    other = {**START, "DestinationImageName": "something else"}
    code = await error_code(emulator, "start_build", ClientToken="tok-1", **other)
    assert code == "IdempotentParameterMismatchException"
    assert len(emulator.world.records) == 1


async def test_concurrency_limit(emulator: Emulator) -> None:
    emulator.world.config.max_running = 2
    await raw(emulator, "start_build", **START)
    await raw(emulator, "start_build", **START)
    assert await error_code(emulator, "start_build", **START) == "BuildLimitExceededException"
    emulator.world.advance(3600)
    await raw(emulator, "start_build", **START)


async def test_unauthorized_principal(emulator: Emulator) -> None:
    emulator.config.unauthorized_keys = frozenset({"readonly"})
    emulator._secrets["readonly"] = "test"
    async with BuildsClient.open(settings_for(emulator.endpoint, access_key="readonly")) as c:
        assert await c.list_all() == []
        from api.builds import StartBuildRequest

        with pytest.raises(ApiError) as caught:
            await c.start(StartBuildRequest(("fo-ids4xf7qagwyc",), "ami-58d7e821", "abc", "t"))
    assert caught.value.code == "UnauthorizedOperationException"
    assert "AWSMarketplaceImageBuildFullAccess" in str(caught.value)


async def test_lifecycle_runs_to_each_outcome(emulator: Emulator, client: BuildsClient) -> None:
    from api.builds import StartBuildRequest

    world = emulator.world
    world.config.max_running = 100
    request = StartBuildRequest(("fo-ids4xf7qagwyc",), "ami-58d7e821", "ubuntu-ami", "")
    ids = [await client.start(replace(request, client_token=f"t{n}")) for n in range(40)]
    page = await raw(emulator, "describe_builds")
    assert {b["Status"] for b in page["Builds"]} == {"InProgress"}
    assert all("Id" not in b["DestinationImage"] for b in page["Builds"])
    world.advance(world.config.build_seconds[1] + 1)
    page = await raw(emulator, "describe_builds", Filters=[{"Name": "build-id", "Values": ids}])
    by_status: dict[str, list[dict[str, Any]]] = {}
    for b in page["Builds"]:
        by_status.setdefault(b["Status"], []).append(b)
    assert set(by_status) == {"Succeeded", "Failed", "InternalError"}
    assert all(b["DestinationImage"]["Id"].startswith("ami-") for b in by_status["Succeeded"])
    assert {b["ErrorDetail"]["Code"] for b in by_status["Failed"]} <= {
        "InstallFailed",
        "SSMAgentNotFound",
    }
    assert all(b["LastUpdateTime"] > b["StartTime"] for b in page["Builds"])


async def test_injected_faults_reach_the_client(emulator: Emulator) -> None:
    emulator.faults.fail_next.append(("DescribeBuilds", "ThrottlingException"))
    emulator.faults.fail_next.append(("DescribeBuilds", "InternalServerErrorException"))
    async with BuildsClient.open(settings_for(emulator.endpoint)) as client:
        with pytest.raises(ApiError) as throttled:
            await client.list_all()
        with pytest.raises(ApiError) as failed:
            await client.list_all()
        assert await client.list_all() == []
    assert throttled.value.kind is Kind.THROTTLED
    assert failed.value.kind is Kind.SERVICE and failed.value.retryable


async def test_standard_retries_ride_through_one_throttle(emulator: Emulator) -> None:
    emulator.faults.fail_next.append(("DescribeBuilds", "ThrottlingException"))
    settings = replace(settings_for(emulator.endpoint), max_attempts=3)
    async with BuildsClient.open(settings) as client:
        assert await client.list_all() == []
    assert emulator.count("DescribeBuilds") == 2
