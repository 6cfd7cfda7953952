"""Reading a start-build submission, its ClientToken, and cloning a build."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from api import start_request as sr
from api.builds import Build, DestinationImage, SourceImage
from api.idempotency import SubmissionTokens

GOOD = {sr.FO_IDS: "fo-a, fo-b fo-a", sr.SOURCE: "ami-58d7e821", sr.NAME: " web (1) "}


def test_good_fields_make_a_request() -> None:
    check = sr.check_start(GOOD)
    assert check.problems == {}
    assert check.request is not None
    assert check.request.fulfillment_option_ids == ("fo-a", "fo-b")
    assert check.request.destination_image_name == "web (1)"
    assert (
        check.request.sns_topic_arn is None and check.request.destination_image_description is None
    )


def test_every_problem_is_reported_at_once() -> None:
    check = sr.check_start({sr.SOURCE: "ami-xyz", sr.NAME: "a", sr.SNS: "arn:aws:sns:x"})
    assert check.request is None
    assert set(check.problems) == {sr.FO_IDS, sr.SOURCE, sr.NAME, sr.SNS}


def test_same_submission_same_token_an_edit_gets_a_new_one() -> None:
    numbers = count()
    tokens = SubmissionTokens(new_token=lambda: f"t{next(numbers)}")
    request = sr.check_start(GOOD).request
    edited = sr.check_start({**GOOD, sr.NAME: "web (2)"}).request
    assert request is not None and edited is not None
    assert tokens.stamp(request).client_token == "t0"
    assert tokens.stamp(request).client_token == "t0"  # a retry
    assert tokens.stamp(edited).client_token == "t1"  # an edit
    assert tokens.stamp(request).client_token == "t2"  # back again: still another submission
    tokens.forget()
    assert tokens.stamp(request).client_token == "t3"  # after a success


def test_clone_keeps_everything_but_renames() -> None:
    build = Build(
        build_id="b-1",
        fulfillment_option_ids=("fo-a", "fo-b"),
        source_image=SourceImage(id="ami-58d7e821"),
        destination_image=DestinationImage(name="web-20250101-0000", description="d"),
        sns_topic_arn="arn:aws:sns:us-east-1:123456789012:builds",
    )
    fields = sr.clone_fields(build, datetime(2026, 11, 28, 10, 45, tzinfo=UTC))
    assert fields[sr.NAME] == "web-20261128-1045"  # the old stamp replaced, not stacked
    assert fields[sr.FO_IDS] == "fo-a, fo-b" and fields[sr.DESCRIPTION] == "d"
    assert sr.check_start(fields).problems == {}
    long = Build(build_id="b-2", destination_image=DestinationImage(name="n" * 128))
    assert len(sr.clone_fields(long, datetime(2026, 1, 1, tzinfo=UTC))[sr.NAME]) == 128
