"""Domain types for image builds, parsed from DescribeBuilds/StartBuild responses.

Everything above this module works with these frozen dataclasses, never with
botocore's response dicts, so the UI cannot trip over a missing key. Parsing is
deliberately forgiving: the service documents two response shapes (the model's
``SourceImage``/``DestinationImage``/``Products`` and the legacy shape in the CLI
example: ``InputImage``/``OutputImage``/``InputFulfillmentOptions``), optional
fields are often absent, and a build we cannot fully read is still worth showing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from api.redact import redact_url
from api.sanitize import one_line


class BuildStatus(enum.StrEnum):
    """A build's ``Status`` as the service reports it on a Build.

    The DescribeBuilds *filter* spells the same states differently
    (``in-progress``); :attr:`filter_value` gives that spelling so the two are
    never mixed up.
    """

    IN_PROGRESS = "InProgress"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    INTERNAL_ERROR = "InternalError"

    @property
    def filter_value(self) -> str:
        """The documented DescribeBuilds ``status`` filter value for this state."""
        return _FILTER_VALUES[self]

    @property
    def is_final(self) -> bool:
        """True once the build can no longer change."""
        return self is not BuildStatus.IN_PROGRESS

    @classmethod
    def parse(cls, text: str) -> BuildStatus:
        """Read a status the way a person types it: ``InProgress``, ``in-progress``,
        ``in_progress`` or ``inprogress``, any case.

        Raises:
            ValueError: with the accepted words, when ``text`` names no status.
        """
        key = text.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
        for status in cls:
            if status.value.lower() == key:
                return status
        accepted = ", ".join(s.filter_value for s in cls)
        raise ValueError(f"unknown build status {text!r}; use one of {accepted}")


_FILTER_VALUES = {
    BuildStatus.IN_PROGRESS: "in-progress",
    BuildStatus.SUCCEEDED: "succeeded",
    BuildStatus.FAILED: "failed",
    BuildStatus.INTERNAL_ERROR: "internal-error",
}


@dataclass(frozen=True, slots=True)
class Product:
    """A Marketplace product installed by a build (filled in by Marketplace)."""

    id: str | None = None
    title: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class SourceImage:
    """The AMI the build starts from."""

    id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class DestinationImage:
    """The AMI the build creates; ``id`` is set only once it has succeeded."""

    id: str | None = None
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """Why a build failed: ``SSMAgentNotFound`` or ``InstallFailed`` plus a message."""

    code: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Build:
    """One build record. Equality is by value, so a refresh can tell what changed."""

    build_id: str
    status: BuildStatus | None = None
    products: tuple[Product, ...] = ()
    fulfillment_option_ids: tuple[str, ...] = ()
    source_image: SourceImage = field(default_factory=SourceImage)
    destination_image: DestinationImage = field(default_factory=DestinationImage)
    sns_topic_arn: str | None = None
    error_detail: ErrorDetail | None = None
    standard_output_url: str | None = None
    standard_error_url: str | None = None
    log_bucket: str | None = None
    start_time: datetime | None = None
    last_update_time: datetime | None = None
    raw_status: str | None = None
    origin: str | None = None
    """Which (profile, region) it was listed from, when mpib watches several; else None."""

    @property
    def is_running(self) -> bool:
        """True while the service may still change this build."""
        return self.status is BuildStatus.IN_PROGRESS

    def same_content(self, other: Build) -> bool:
        """Equal apart from the presigned log URLs, which are re-signed on every call."""
        return (
            self.status == other.status
            and self.last_update_time == other.last_update_time
            and self.destination_image == other.destination_image
            and self.error_detail == other.error_detail
            and self.products == other.products
            and self.source_image == other.source_image
            and self.fulfillment_option_ids == other.fulfillment_option_ids
            and self.sns_topic_arn == other.sns_topic_arn
            and self.start_time == other.start_time
        )


@dataclass(frozen=True, slots=True)
class BuildFilter:
    """The service-side filters of DescribeBuilds; values within one kind are ORed,
    kinds are ANDed (the service's semantics, mirrored by :meth:`matches`)."""

    build_ids: tuple[str, ...] = ()
    product_ids: tuple[str, ...] = ()
    fulfillment_option_ids: tuple[str, ...] = ()
    statuses: tuple[BuildStatus, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every build through."""
        return not (
            self.build_ids or self.product_ids or self.fulfillment_option_ids or self.statuses
        )

    def to_api(self) -> list[dict[str, Any]]:
        """The ``Filters`` parameter, with status in its documented filter spelling."""
        filters: list[dict[str, Any]] = []
        for name, values in (
            ("build-id", self.build_ids),
            ("product-id", self.product_ids),
            ("fulfillment-option-id", self.fulfillment_option_ids),
            ("status", tuple(s.filter_value for s in self.statuses)),
        ):
            if values:
                filters.append({"Name": name, "Values": list(values)})
        return filters

    def matches(self, build: Build) -> bool:
        """Whether the service would return ``build`` for this filter.

        Used by refresh: a build fetched by id is kept only while it still matches.
        """
        if self.build_ids and build.build_id not in self.build_ids:
            return False
        if self.statuses and build.status not in self.statuses:
            return False
        if self.product_ids and not any(p.id in self.product_ids for p in build.products):
            return False
        return not (
            self.fulfillment_option_ids
            and not set(self.fulfillment_option_ids) & set(build.fulfillment_option_ids)
        )


@dataclass(frozen=True, slots=True)
class StartBuildRequest:
    """What StartBuild needs. ``client_token`` is chosen by the caller, once per
    submission, so that retrying the same submission can never start a second build."""

    fulfillment_option_ids: tuple[str, ...]
    source_image_id: str
    destination_image_name: str
    client_token: str
    destination_image_description: str | None = None
    sns_topic_arn: str | None = None

    def to_api(self) -> dict[str, Any]:
        """The StartBuild parameters; optional fields are left out when blank."""
        params: dict[str, Any] = {
            "ClientToken": self.client_token,
            "FulfillmentOptionIds": list(self.fulfillment_option_ids),
            "SourceImageId": self.source_image_id,
            "DestinationImageName": self.destination_image_name,
        }
        if self.destination_image_description:
            params["DestinationImageDescription"] = self.destination_image_description
        if self.sns_topic_arn:
            params["SnsTopicArn"] = self.sns_topic_arn
        return params


def build_to_json(build: Build) -> dict[str, Any]:
    """A Build as the model shapes it, for ``mpib ls --json``: ISO 8601 times, and
    log URLs with their signatures masked (they are bearer credentials)."""
    data: dict[str, Any] = {
        "BuildId": build.build_id,
        "Status": build.raw_status,
        "Products": [
            {k: v for k, v in (("Id", p.id), ("Title", p.title), ("Version", p.version)) if v}
            for p in build.products
        ],
        "FulfillmentOptionIds": list(build.fulfillment_option_ids),
        "SourceImage": _compact({"Id": build.source_image.id, "Name": build.source_image.name}),
        "DestinationImage": _compact(
            {
                "Id": build.destination_image.id,
                "Name": build.destination_image.name,
                "Description": build.destination_image.description,
            }
        ),
        "SnsTopicArn": build.sns_topic_arn,
        "ErrorDetail": (
            _compact({"Code": build.error_detail.code, "Message": build.error_detail.message})
            if build.error_detail
            else None
        ),
        "StandardOutputUrl": redact_url(build.standard_output_url),
        "StandardErrorUrl": redact_url(build.standard_error_url),
        "StartTime": build.start_time.isoformat() if build.start_time else None,
        "LastUpdateTime": build.last_update_time.isoformat() if build.last_update_time else None,
    }
    return _compact(data)


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, {}, [])}


# --- parsing -------------------------------------------------------------------


def parse_build(data: Mapping[str, Any], origin: str | None = None) -> Build | None:
    """Read one Build dict in either the model or the legacy shape.

    Returns None only when there is no usable BuildId: such a record cannot be
    keyed, refreshed or shown, so dropping it is the honest choice.
    """
    if not isinstance(data, Mapping):
        return None
    build_id = _text(data.get("BuildId"))
    if not build_id:
        return None
    raw_status = _text(data.get("Status"))
    status: BuildStatus | None
    try:
        status = BuildStatus(raw_status) if raw_status else None
    except ValueError:
        status = None

    products = tuple(_parse_products(data.get("Products")))
    fo_ids = tuple(_strings(data.get("FulfillmentOptionIds")))
    legacy_options = data.get("InputFulfillmentOptions")
    if isinstance(legacy_options, list):
        for option in legacy_options:
            if not isinstance(option, Mapping):
                continue
            option_id = _text(option.get("Id"))
            if option_id and option_id not in fo_ids:
                fo_ids += (option_id,)
            product = option.get("Product")
            if isinstance(product, Mapping) and not data.get("Products"):
                products += (_parse_product(product),)

    source = _mapping(data.get("SourceImage")) or _mapping(data.get("InputImage"))
    destination = _mapping(data.get("DestinationImage")) or _mapping(data.get("OutputImage"))
    error = _mapping(data.get("ErrorDetail"))
    return Build(
        build_id=build_id,
        status=status,
        raw_status=raw_status,
        products=products,
        fulfillment_option_ids=fo_ids,
        source_image=SourceImage(id=_text(source.get("Id")), name=_text(source.get("Name"))),
        destination_image=DestinationImage(
            id=_text(destination.get("Id")),
            name=_text(destination.get("Name")),
            description=_text(destination.get("Description")),
        ),
        sns_topic_arn=_text(data.get("SnsTopicArn")),
        error_detail=(
            ErrorDetail(code=_text(error.get("Code")), message=_text(error.get("Message")))
            if error
            else None
        ),
        standard_output_url=_text(data.get("StandardOutputUrl")),
        standard_error_url=_text(data.get("StandardErrorUrl")),
        log_bucket=_text(data.get("OutputInstallationLogS3BucketName")),
        start_time=parse_time(data.get("StartTime")),
        last_update_time=parse_time(data.get("LastUpdateTime")),
        origin=origin,
    )


def parse_builds(items: Any, origin: str | None = None) -> list[Build]:
    """Parse a ``Builds`` list, skipping records without a BuildId."""
    if not isinstance(items, list):
        return []
    return [b for b in (parse_build(item, origin) for item in items) if b is not None]


def parse_time(value: Any) -> datetime | None:
    """A timestamp as an aware UTC datetime, from a datetime (botocore), epoch
    seconds (the legacy example, raw JSON) or an ISO 8601 string."""
    try:
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return datetime.fromtimestamp(float(value), UTC)
        if isinstance(value, str) and value:
            try:
                return datetime.fromtimestamp(float(value), UTC)
            except ValueError:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _parse_products(items: Any) -> Iterable[Product]:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, Mapping):
                yield _parse_product(item)


def _parse_product(item: Mapping[str, Any]) -> Product:
    return Product(
        id=_text(item.get("Id")), title=_text(item.get("Title")), version=_text(item.get("Version"))
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    """A string field, never carrying a control character to the screen."""
    if isinstance(value, str):
        return one_line(value) or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _strings(items: Any) -> Iterable[str]:
    if isinstance(items, list):
        for item in items:
            text = _text(item)
            if text:
                yield text
