"""The service's input constraints, written once.

The model documents them in prose (DestinationImageName: 3-128 of a given
character set) or not at all (AMI and SNS ARN formats are EC2's and SNS's). The
start-build form checks them as the user types and the emulator enforces them,
so both read the same rules and cannot drift apart.
"""

from __future__ import annotations

import re

IMAGE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$")
AMI_ID_PATTERN = re.compile(r"^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
SNS_TOPIC_ARN_PATTERN = re.compile(
    r"^arn:aws(?:-[a-z]+)*:sns:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$"
)
FULFILLMENT_OPTION_ID_PATTERN = re.compile(r"^[^\s,]{1,128}$")

MAX_RESULTS_LIMIT = 256
"""DescribeBuilds' MaxResults upper bound (the model says 0..256; botocore does
not check the maximum client side)."""


def image_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid destination image name, or None."""
    if not 3 <= len(name) <= 128:
        return f"the image name must be 3 to 128 characters (it is {len(name)})"
    bad = sorted({c for c in name if not IMAGE_NAME_PATTERN.match("aa" + c)})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return f"the image name may hold letters, digits, spaces and ()[]./-'@_ only, not {shown}"
    return None


def ami_id_problem(ami_id: str) -> str | None:
    """Why ``ami_id`` is not an AMI id (``ami-`` + 8 or 17 lowercase hex), or None."""
    if AMI_ID_PATTERN.match(ami_id):
        return None
    return f"{ami_id!r} is not an AMI id: expected ami- followed by 8 or 17 hex digits"


def sns_topic_arn_problem(arn: str) -> str | None:
    """Why ``arn`` is not an SNS topic ARN, or None."""
    if SNS_TOPIC_ARN_PATTERN.match(arn):
        return None
    return (
        f"{arn!r} is not an SNS topic ARN: expected "
        "arn:aws:sns:<region>:<12-digit account>:<topic name>"
    )


DESCRIPTION_LIMIT = 255
"""EC2's limit on an image description (the model gives none)."""


def description_problem(description: str) -> str | None:
    """Why ``description`` cannot describe an image, or None."""
    if len(description) > DESCRIPTION_LIMIT:
        return (
            f"the description may be at most {DESCRIPTION_LIMIT} characters "
            f"(it is {len(description)})"
        )
    return None


def fulfillment_option_ids_problem(ids: tuple[str, ...] | list[str]) -> str | None:
    """Why a list of fulfillment option ids cannot be sent, or None.

    Only presence and shape (no blanks or commas) are checked: the service does
    not document a format, and whether an id exists is for it to say.
    """
    if not ids:
        return "give at least one fulfillment option id (fo-...)"
    bad = [i for i in ids if not FULFILLMENT_OPTION_ID_PATTERN.match(i)]
    if bad:
        return f"not a fulfillment option id: {', '.join(bad)}"
    return None


BUILD_ID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
FILTER_VALUE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")


def split_values(text: str) -> tuple[str, ...]:
    """Values typed in one field, separated by commas and/or spaces, de-duplicated."""
    return tuple(dict.fromkeys(v for v in re.split(r"[\s,]+", text.strip()) if v))


def build_ids_problem(ids: tuple[str, ...]) -> str | None:
    """Why these are not build ids (the service's ids are UUIDs), or None."""
    bad = [i for i in ids if not BUILD_ID_PATTERN.match(i)]
    if bad:
        return f"not a build id: {', '.join(bad)} (expected a UUID like 1f84f17b-35c6-4e5b-…)"
    return None


def filter_values_problem(kind: str, values: tuple[str, ...]) -> str | None:
    """Why ``values`` cannot be a product or fulfillment option id filter, or None."""
    bad = [v for v in values if not FILTER_VALUE_PATTERN.match(v)]
    if bad:
        return f"not a {kind}: {', '.join(bad)} (letters, digits and .-_:/ only)"
    return None
