"""Every modelled exception, and the common client-side failures, read as one sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.builds import StartBuildRequest
from api.client import BuildsClient
from api.emulator import Emulator
from api.errors import ApiError, Kind
from api.session import MODELS_DIR, ClientSettings
from tests.conftest import settings_for

MODEL = json.loads((MODELS_DIR / "marketplaceimagebuild/2017-12-15/service-2.json").read_text())
MODELLED = sorted(name for name, shape in MODEL["shapes"].items() if shape.get("exception"))
START = StartBuildRequest(("fo-ids4xf7qagwyc",), "ami-58d7e821", "ubuntu-ami", "t")


@pytest.mark.parametrize("code", MODELLED)
async def test_each_modelled_exception_is_one_plain_sentence(
    emulator: Emulator, client: BuildsClient, code: str
) -> None:
    emulator.faults.fail_next.append(("StartBuild", code))
    with pytest.raises(ApiError) as caught:
        await client.start(START)
    error = caught.value
    assert error.code == code
    text = str(error)
    assert text.endswith(".") and "\n" not in text
    assert code not in text, "the sentence explains, it does not repeat the code"


def test_unauthorized_names_the_policy_and_profile() -> None:
    from botocore.exceptions import ClientError

    exc = ClientError(
        {"Error": {"Code": "UnauthorizedOperationException", "Message": "no"}}, "StartBuild"
    )
    from api.errors import translate

    error = translate(exc, profile="prod")
    assert "AWSMarketplaceImageBuildFullAccess" in str(error) and "prod" in str(error)
    assert error.kind is Kind.CREDENTIALS


def test_fields_are_attached_where_there_is_one() -> None:
    from botocore.exceptions import ClientError

    from api.errors import translate

    def field(code: str) -> str | None:
        return translate(ClientError({"Error": {"Code": code}}, "StartBuild")).field

    assert field("InvalidSourceImageIdException") == "source_image_id"
    assert field("InvalidDestinationImageNameException") == "destination_image_name"
    assert field("InvalidSnsTopicArnException") == "sns_topic_arn"
    assert field("InvalidFulfillmentOptionIdException") == "fulfillment_option_ids"
    assert field("BuildLimitExceededException") is None


async def test_expired_session_tells_how_to_log_in(emulator: Emulator) -> None:
    emulator.faults.expired_credentials = True
    async with BuildsClient.open(settings_for(emulator.endpoint)) as client:
        with pytest.raises(ApiError) as caught:
            await client.list_all()
    assert caught.value.kind is Kind.CREDENTIALS
    assert "aws sso login --profile default" in str(caught.value)


async def test_offline_endpoint(tmp_path: Path) -> None:
    settings = ClientSettings(
        region="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        access_key_id="test",
        secret_access_key="test",
        max_attempts=1,
        connect_timeout=1,
    )
    async with BuildsClient.open(settings) as client:
        with pytest.raises(ApiError) as caught:
            await client.list_all()
    assert caught.value.kind is Kind.OFFLINE
    assert "127.0.0.1:9" in str(caught.value)


async def test_no_credentials_anywhere(emulator: Emulator) -> None:
    settings = ClientSettings(region="us-east-1", endpoint_url=emulator.endpoint, max_attempts=1)
    async with BuildsClient.open(settings) as client:
        with pytest.raises(ApiError) as caught:
            await client.list_all()
    assert caught.value.kind is Kind.CREDENTIALS
    assert "No AWS credentials" in str(caught.value)
