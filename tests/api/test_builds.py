"""Parsing builds in both documented shapes, and the filter's two status spellings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.builds import (
    Build,
    BuildFilter,
    BuildStatus,
    Product,
    StartBuildRequest,
    build_to_json,
    parse_build,
    parse_builds,
    parse_time,
)

# The describe-builds output of the seed's CLI example (legacy shape), minus its
# trailing comma, which is not JSON.
LEGACY = {
    "BuildId": "1f84f17b-35c6-4e5b-9170-c98f279c6345",
    "InputFulfillmentOptions": [
        {
            "Id": "fo-ids4xf7qagwyc",
            "Product": {"Title": "Test Ubuntu product", "Version": "Test 1.0"},
        }
    ],
    "InputImage": {"Id": "ami-86743afe", "Name": "Ubuntu 16.04"},
    "LastUpdateTime": 1529960569.43,
    "OutputImage": {"Description": "Ubuntu 16.04", "Name": "Ubuntu"},
    "OutputInstallationLogS3BucketName": "ssm-logs-s3-bucket",
    "StartTime": 1529960569.43,
    "Status": "InProgress",
}

MODEL = {
    "BuildId": "d33cffa8-b49a-42b7-b98b-54c41ca26b3a",
    "Status": "Failed",
    "Products": [{"Id": "prod-1", "Title": "NGINX Plus", "Version": "R32"}],
    "FulfillmentOptionIds": ["fo-7rqxnginxplus"],
    "SourceImage": {"Id": "ami-58d7e821", "Name": "Ubuntu"},
    "DestinationImage": {"Name": "web", "Description": "web server"},
    "SnsTopicArn": "arn:aws:sns:us-east-1:123456789012:builds",
    "ErrorDetail": {"Code": "InstallFailed", "Message": "exit 1"},
    "StandardOutputUrl": "https://s3/x?X-Amz-Signature=abc",
    "StartTime": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    "LastUpdateTime": datetime(2026, 1, 2, 4, 0, 0, tzinfo=UTC),
}


def test_legacy_shape_from_the_cli_example() -> None:
    build = parse_build(LEGACY)
    assert build is not None
    assert build.status is BuildStatus.IN_PROGRESS
    assert build.fulfillment_option_ids == ("fo-ids4xf7qagwyc",)
    assert build.products == (Product(title="Test Ubuntu product", version="Test 1.0"),)
    assert build.source_image.id == "ami-86743afe"
    assert build.destination_image.name == "Ubuntu"
    assert build.destination_image.description == "Ubuntu 16.04"
    assert build.log_bucket == "ssm-logs-s3-bucket"
    assert build.start_time == datetime(2018, 6, 25, 21, 2, 49, 430000, tzinfo=UTC)


def test_model_shape() -> None:
    build = parse_build(MODEL)
    assert build is not None
    assert build.status is BuildStatus.FAILED
    assert build.products[0].id == "prod-1"
    assert build.error_detail is not None and build.error_detail.code == "InstallFailed"
    assert build.sns_topic_arn == "arn:aws:sns:us-east-1:123456789012:builds"
    assert build.last_update_time == datetime(2026, 1, 2, 4, tzinfo=UTC)


def test_missing_optional_fields_and_unknown_status() -> None:
    build = parse_build({"BuildId": "b-1", "Status": "Paused"})
    assert build == Build(build_id="b-1", raw_status="Paused")
    assert build.status is None


def test_records_without_an_id_are_dropped() -> None:
    assert parse_builds([{"Status": "Failed"}, "junk", None, {"BuildId": "ok"}]) == [
        Build(build_id="ok")
    ]
    assert parse_builds("not a list") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1529960569, datetime(2018, 6, 25, 21, 2, 49, tzinfo=UTC)),
        ("1529960569", datetime(2018, 6, 25, 21, 2, 49, tzinfo=UTC)),
        ("2018-06-25T21:02:49Z", datetime(2018, 6, 25, 21, 2, 49, tzinfo=UTC)),
        (datetime(2018, 6, 25, 21, 2, 49), datetime(2018, 6, 25, 21, 2, 49, tzinfo=UTC)),
        ("yesterday", None),
        (True, None),
        (1e30, None),
    ],
)
def test_parse_time(value: object, expected: datetime | None) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize(
    "text", ["InProgress", "in-progress", "IN_PROGRESS", "inprogress", " In-Progress "]
)
def test_status_accepts_both_spellings(text: str) -> None:
    assert BuildStatus.parse(text) is BuildStatus.IN_PROGRESS


def test_status_rejects_unknown_words_with_the_choices() -> None:
    with pytest.raises(ValueError, match="in-progress, succeeded, failed, internal-error"):
        BuildStatus.parse("done")


def test_filter_sends_documented_status_values() -> None:
    flt = BuildFilter(
        statuses=(BuildStatus.IN_PROGRESS, BuildStatus.INTERNAL_ERROR), product_ids=("p",)
    )
    assert flt.to_api() == [
        {"Name": "product-id", "Values": ["p"]},
        {"Name": "status", "Values": ["in-progress", "internal-error"]},
    ]
    assert BuildFilter().to_api() == []
    assert BuildFilter().is_empty


def test_filter_matches_like_the_service() -> None:
    build = parse_build(MODEL)
    assert build is not None
    assert BuildFilter(statuses=(BuildStatus.FAILED,), product_ids=("prod-1",)).matches(build)
    assert not BuildFilter(statuses=(BuildStatus.SUCCEEDED,)).matches(build)
    assert BuildFilter(fulfillment_option_ids=("x", "fo-7rqxnginxplus")).matches(build)
    assert not BuildFilter(build_ids=("other",)).matches(build)


def test_same_content_ignores_resigned_urls() -> None:
    a = parse_build(MODEL)
    b = parse_build({**MODEL, "StandardOutputUrl": "https://s3/x?X-Amz-Signature=new"})
    c = parse_build({**MODEL, "Status": "Succeeded"})
    assert a is not None and b is not None and c is not None
    assert a.same_content(b)
    assert not a.same_content(c)


def test_start_request_leaves_out_blank_optionals() -> None:
    request = StartBuildRequest(("fo-1",), "ami-12345678", "name", "tok", "", None)
    assert request.to_api() == {
        "ClientToken": "tok",
        "FulfillmentOptionIds": ["fo-1"],
        "SourceImageId": "ami-12345678",
        "DestinationImageName": "name",
    }


def test_json_output_redacts_log_signatures() -> None:
    build = parse_build(MODEL)
    assert build is not None
    data = build_to_json(build)
    assert data["StandardOutputUrl"] == "https://s3/x?X-Amz-Signature=***"
    assert data["StartTime"] == "2026-01-02T03:04:05+00:00"
    assert "StandardErrorUrl" not in data
