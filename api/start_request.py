"""Read a start-build submission from text fields, field by field.

The form (as the user types) and ``mpib start`` (before any call) check the
same way, with the rules the emulator enforces, so a bad AMI id is the same
sentence everywhere and never costs a call. The ClientToken is not chosen
here: see :mod:`api.idempotency`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from api import rules
from api.builds import Build, StartBuildRequest

FO_IDS = "fulfillment_option_ids"
SOURCE = "source_image_id"
NAME = "destination_image_name"
DESCRIPTION = "destination_image_description"
SNS = "sns_topic_arn"
FIELDS = (FO_IDS, SOURCE, NAME, DESCRIPTION, SNS)
"""The submission's fields, named like :class:`StartBuildRequest`'s attributes
(and like :attr:`api.errors.ApiError.field`, so service errors land on them)."""


@dataclass(frozen=True, slots=True)
class StartCheck:
    """The request the fields make (without a ClientToken), or what is wrong."""

    request: StartBuildRequest | None
    problems: dict[str, str] = field(default_factory=dict)


def check_start(fields: Mapping[str, str]) -> StartCheck:
    """Check every field; blank optional fields are left out of the request."""
    text = {name: fields.get(name, "").strip() for name in FIELDS}
    fo_ids = rules.split_values(text[FO_IDS])
    found = {
        FO_IDS: rules.fulfillment_option_ids_problem(fo_ids),
        SOURCE: rules.ami_id_problem(text[SOURCE]) if text[SOURCE] else "give the source AMI id",
        NAME: rules.image_name_problem(text[NAME]),
        DESCRIPTION: rules.description_problem(text[DESCRIPTION]),
        SNS: rules.sns_topic_arn_problem(text[SNS]) if text[SNS] else None,
    }
    problems = {name: problem for name, problem in found.items() if problem}
    if problems:
        return StartCheck(None, problems)
    return StartCheck(
        StartBuildRequest(
            fulfillment_option_ids=fo_ids,
            source_image_id=text[SOURCE],
            destination_image_name=text[NAME],
            destination_image_description=text[DESCRIPTION] or None,
            sns_topic_arn=text[SNS] or None,
            client_token="",
        )
    )


_STAMP = re.compile(r"-\d{8}-\d{4}$")


def clone_fields(build: Build, now: datetime) -> dict[str, str]:
    """The fields that start ``build`` again: same products, AMI, description and
    topic, and the name with a fresh ``-YYYYMMDD-HHMM`` suffix (replacing an
    earlier one, so clones of clones do not grow), since AMI names must be unique."""
    base = _STAMP.sub("", build.destination_image.name or "image")
    suffix = now.strftime("-%Y%m%d-%H%M")
    return {
        FO_IDS: ", ".join(build.fulfillment_option_ids),
        SOURCE: build.source_image.id or "",
        NAME: base[: 128 - len(suffix)] + suffix,
        DESCRIPTION: build.destination_image.description or "",
        SNS: build.sns_topic_arn or "",
    }
