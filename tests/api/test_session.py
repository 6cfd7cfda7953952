"""The session finds our model, honours the usual AWS settings, and fails clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.client import BuildsClient
from api.emulator import Emulator
from api.errors import ApiError, Kind
from api.session import MODELS_DIR, ClientSettings, client_config, make_session, open_client


def test_model_ships_verbatim_from_the_seed() -> None:
    seed = Path(__file__).resolve().parents[3] / "shared/seeds/marketplace-image-build-api.txt"
    shipped = (MODELS_DIR / "marketplaceimagebuild/2017-12-15/service-2.json").read_text()
    if seed.exists():
        line = next(x for x in seed.read_text().splitlines() if x.startswith('{ "version":"2.0"'))
        assert shipped.strip() == line.strip()
    model = json.loads(shipped)
    assert model["metadata"]["signingName"] == "aws-marketplace"
    paginators = json.loads(
        (MODELS_DIR / "marketplaceimagebuild/2017-12-15/paginators-1.json").read_text()
    )
    assert paginators["pagination"]["DescribeBuilds"] == {
        "input_token": "NextToken",
        "output_token": "NextToken",
        "limit_key": "MaxResults",
        "result_key": "Builds",
    }


async def test_ours_wins_over_a_users_own_model_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Path(str(Path.home()))
    broken = home / ".aws/models/marketplaceimagebuild/2017-12-15"
    broken.mkdir(parents=True)
    (broken / "service-2.json").write_text('{"version": "2.0", "metadata": {}, "operations": {}}')
    settings = ClientSettings(region="us-east-1", access_key_id="a", secret_access_key="b")
    async with open_client(settings) as (client, region):
        assert region == "us-east-1"
        assert client.can_paginate("describe_builds")
        assert client.meta.endpoint_url == "https://imagebuild.marketplace.us-east-1.amazonaws.com"


async def test_service_specific_endpoint_variable(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MARKETPLACEIMAGEBUILD", emulator.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    async with BuildsClient.open(ClientSettings()) as client:
        assert client.endpoint == emulator.endpoint
        assert client.region == "eu-west-1"
        assert await client.list_all() == []


async def test_profile_from_config_files(emulator: Emulator) -> None:
    home = Path.home()
    (home / "config").write_text(
        f"[profile build]\nregion = ap-southeast-2\nendpoint_url = {emulator.endpoint}\n"
    )
    (home / "credentials").write_text(
        "[build]\naws_access_key_id = test\naws_secret_access_key = test\n"
    )
    async with BuildsClient.open(ClientSettings(profile="build")) as client:
        assert client.region == "ap-southeast-2"
        assert await client.list_all() == []


async def test_no_region_is_a_sentence_not_a_traceback() -> None:
    with pytest.raises(ApiError) as caught:
        async with open_client(ClientSettings()):
            pass
    assert caught.value.kind is Kind.CONFIG
    assert "--region" in str(caught.value) and "AWS_REGION" in str(caught.value)


async def test_unknown_profile() -> None:
    with pytest.raises(ApiError) as caught:
        async with open_client(ClientSettings(profile="nope", region="us-east-1")):
            pass
    assert "nope" in str(caught.value) and caught.value.kind is Kind.CONFIG


def test_retries_are_bounded_and_standard() -> None:
    config = client_config(ClientSettings())
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert config.connect_timeout == 5.0 and config.read_timeout == 20.0


def test_search_path_is_not_duplicated() -> None:
    session = make_session(ClientSettings())
    paths = session.get_component("data_loader").search_paths
    assert paths[0] == str(MODELS_DIR)
    assert paths.count(str(MODELS_DIR)) == 1
