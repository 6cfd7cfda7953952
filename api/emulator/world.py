"""The emulated account: its builds, their lifecycle, and the two operations' rules.

No HTTP here: :class:`World` takes decoded parameters and returns response
dicts or raises :class:`ServiceFault`, which keeps every rule testable and
lets the demo scenario start builds without a request. Time comes from a
clock the tests can move (:meth:`World.advance`) instead of sleeping.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from api import rules
from api.emulator.catalog import IMAGES_BY_ID, OFFERINGS_BY_ID, Image, Offering
from api.emulator.logs import LogStore

FILTER_NAMES = ("build-id", "fulfillment-option-id", "product-id", "status")
STATUS_BY_FILTER = {
    "in-progress": "InProgress",
    "succeeded": "Succeeded",
    "failed": "Failed",
    "internal-error": "InternalError",
}
FAILURES = (
    ("InstallFailed", "Installation timed out or exited with a non-zero return code (exit 1)."),
    ("SSMAgentNotFound", "The SSM agent was not running on the build instance or was unreachable."),
)


class ServiceFault(Exception):
    """An error the service answers with: HTTP status, ``__type`` and message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass
class BuildRecord:
    """One build as the emulated service stores it."""

    build_id: str
    seq: int
    offerings: tuple[Offering, ...]
    image: Image
    destination_name: str
    destination_description: str | None
    sns_topic_arn: str | None
    start: float
    finish_at: float
    outcome: str
    status: str = "InProgress"
    last_update: float = 0.0
    destination_id: str | None = None
    error: tuple[str, str] | None = None
    log_scale: int = 1

    def __post_init__(self) -> None:
        self.last_update = self.last_update or self.start


@dataclass
class WorldConfig:
    """Knobs of the emulated account."""

    region: str = "us-east-1"
    max_running: int = 10
    """Concurrent InProgress builds allowed before BuildLimitExceededException."""
    build_seconds: tuple[float, float] = (60.0, 180.0)
    """How long a new build runs, uniformly between the two."""
    outcome_weights: tuple[float, float, float] = (0.75, 0.18, 0.07)
    """Chances of Succeeded, Failed, InternalError for a new build."""
    default_page_size: int = 100
    token_lifetime: float | None = None
    """Seconds a NextToken stays valid (None: forever)."""
    seed: int = 7


@dataclass
class World:
    """All builds of the account, newest last in :attr:`records` (index == seq)."""

    config: WorldConfig = field(default_factory=WorldConfig)
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        self.records: list[BuildRecord] = []
        self.by_id: dict[str, BuildRecord] = {}
        self.running: set[str] = set()
        self.tokens: dict[str, tuple[str, str]] = {}
        self.offset = 0.0
        self.rng = random.Random(self.config.seed)
        self.logs = LogStore()
        self._token_key = hashlib.sha256(f"tokens-{self.config.seed}".encode()).digest()

    # --- time -------------------------------------------------------------------

    def now(self) -> float:
        """The emulated wall clock (real time plus whatever tests advanced)."""
        return self.clock() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the build clock forward; builds due by then finish."""
        self.offset += seconds
        self.settle()

    def settle(self) -> None:
        """Finish every running build whose time has come."""
        now = self.now()
        for build_id in [i for i in self.running if self.by_id[i].finish_at <= now]:
            self._finish(self.by_id[build_id])

    def _finish(self, record: BuildRecord) -> None:
        record.status = record.outcome
        record.last_update = record.finish_at
        if record.outcome == "Succeeded":
            record.destination_id = (
                "ami-" + hashlib.sha256(record.build_id.encode()).hexdigest()[:17]
            )
        elif record.outcome == "Failed":
            record.error = FAILURES[record.seq % len(FAILURES)]
        self.running.discard(record.build_id)

    # --- creating builds ------------------------------------------------------------

    def add_build(
        self,
        *,
        offerings: tuple[Offering, ...],
        image: Image,
        name: str,
        description: str | None = None,
        sns_topic_arn: str | None = None,
        start: float | None = None,
        duration: float | None = None,
        outcome: str | None = None,
        log_scale: int = 1,
    ) -> BuildRecord:
        """Record a build (no validation: StartBuild validates before calling this)."""
        start = self.now() if start is None else start
        if duration is None:
            duration = self.rng.uniform(*self.config.build_seconds)
        if outcome is None:
            outcome = self.rng.choices(
                ("Succeeded", "Failed", "InternalError"), self.config.outcome_weights
            )[0]
        build_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        record = BuildRecord(
            build_id=build_id,
            seq=len(self.records),
            offerings=offerings,
            image=image,
            destination_name=name,
            destination_description=description,
            sns_topic_arn=sns_topic_arn,
            start=start,
            finish_at=start + duration,
            outcome=outcome,
            log_scale=log_scale,
        )
        self.records.append(record)
        self.by_id[build_id] = record
        self.running.add(build_id)
        if record.finish_at <= self.now():
            self._finish(record)
        return record

    # --- StartBuild --------------------------------------------------------------------

    def start_build(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """StartBuild: validate like the service, honour ClientToken, create a build."""
        self.settle()
        fo_ids = params.get("FulfillmentOptionIds")
        image_id = params.get("SourceImageId")
        name = params.get("DestinationImageName")
        description = params.get("DestinationImageDescription")
        sns = params.get("SnsTopicArn")
        token = params.get("ClientToken")
        fingerprint = json.dumps(
            [fo_ids, image_id, name, description, sns], sort_keys=True, default=str
        )
        if isinstance(token, str) and token in self.tokens:
            build_id, earlier = self.tokens[token]
            if earlier != fingerprint:
                raise ServiceFault(
                    "IdempotentParameterMismatchException",
                    "The client token was already used with different parameters.",
                )
            return self._start_result(self.by_id[build_id])

        if (
            not isinstance(fo_ids, list)
            or not fo_ids
            or not all(isinstance(i, str) for i in fo_ids)
        ):
            raise ServiceFault(
                "InvalidFulfillmentOptionIdException",
                "FulfillmentOptionIds must name at least one id.",
            )
        name_problem = "it is missing"
        if isinstance(name, str):
            name_problem = rules.image_name_problem(name) or ""
        if name_problem or not isinstance(name, str):
            raise ServiceFault(
                "InvalidDestinationImageNameException",
                f"Invalid DestinationImageName: {name_problem}.",
            )
        if not isinstance(image_id, str) or rules.ami_id_problem(image_id):
            raise ServiceFault(
                "InvalidSourceImageIdException", f"Invalid SourceImageId {image_id!r}: malformed."
            )
        image = IMAGES_BY_ID.get(image_id)
        if image is None:
            raise ServiceFault(
                "InvalidSourceImageIdException", f"The image id '{image_id}' does not exist."
            )
        unknown = [i for i in fo_ids if i not in OFFERINGS_BY_ID]
        if unknown:
            raise ServiceFault(
                "InvalidFulfillmentOptionIdException",
                f"Fulfillment option id(s) {', '.join(unknown)} do not exist.",
            )
        if description is not None and (
            not isinstance(description, str) or rules.description_problem(description)
        ):
            raise ServiceFault(
                "ValidationException",
                "DestinationImageDescription must be at most "
                f"{rules.DESCRIPTION_LIMIT} characters.",
            )
        if sns is not None and (not isinstance(sns, str) or rules.sns_topic_arn_problem(sns)):
            raise ServiceFault("InvalidSnsTopicArnException", f"Invalid SnsTopicArn {sns!r}.")
        offerings = tuple(OFFERINGS_BY_ID[i] for i in dict.fromkeys(fo_ids))
        mismatched = [
            o.fulfillment_option_id for o in offerings if image.platform not in o.platforms
        ]
        if mismatched:
            raise ServiceFault(
                "InstallerMismatchException",
                f"Fulfillment option(s) {', '.join(mismatched)} have no installer for "
                f"{image.platform} images like {image.id}.",
            )
        if len(self.running) >= self.config.max_running:
            raise ServiceFault(
                "BuildLimitExceededException",
                f"The account already has {len(self.running)} builds in progress "
                f"(limit {self.config.max_running}).",
            )
        record = self.add_build(
            offerings=offerings, image=image, name=name, description=description, sns_topic_arn=sns
        )
        if isinstance(token, str):
            self.tokens[token] = (record.build_id, fingerprint)
        return self._start_result(record)

    @staticmethod
    def _start_result(record: BuildRecord) -> dict[str, Any]:
        return {"BuildId": record.build_id, "Products": _products(record)}

    # --- DescribeBuilds -----------------------------------------------------------------

    def describe_builds(
        self, params: Mapping[str, Any], present: Callable[[BuildRecord], dict[str, Any]]
    ) -> dict[str, Any]:
        """DescribeBuilds: filter, newest first, one page, opaque NextToken.

        Args:
            present: turns a record into the response's Build dict (the server
                adds presigned log URLs there).
        """
        self.settle()
        max_results = params.get("MaxResults")
        if max_results is None or max_results == 0:
            limit = self.config.default_page_size
        elif (
            isinstance(max_results, int)
            and not isinstance(max_results, bool)
            and 0 < max_results <= rules.MAX_RESULTS_LIMIT
        ):
            limit = max_results
        else:
            raise ServiceFault(
                "InvalidMaxResultsException",
                f"MaxResults must be between 0 and {rules.MAX_RESULTS_LIMIT}, got {max_results!r}.",
            )
        match, fingerprint = self._compile_filters(params.get("Filters"))
        before = len(self.records)
        token = params.get("NextToken")
        if token is not None:
            before = self._read_token(token, fingerprint)

        candidates: Any
        ids = match.get("build-id")
        if ids is not None:
            candidates = sorted(
                (self.by_id[i] for i in ids if i in self.by_id and self.by_id[i].seq < before),
                key=lambda r: -r.seq,
            )
        else:
            candidates = (self.records[i] for i in range(before - 1, -1, -1))
        page: list[BuildRecord] = []
        more = False
        for record in candidates:
            if not _matches(record, match):
                continue
            if len(page) == limit:
                more = True
                break
            page.append(record)
        result: dict[str, Any] = {"Builds": [present(r) for r in page]}
        if more and page:
            result["NextToken"] = self._make_token(page[-1].seq, fingerprint)
        return result

    def _compile_filters(self, filters: Any) -> tuple[dict[str, set[str]], str]:
        if filters is None:
            return {}, "[]"
        if not isinstance(filters, list):
            raise ServiceFault("InvalidFilterException", "Filters must be a list.")
        match: dict[str, set[str]] = {}
        for item in filters:
            if not isinstance(item, Mapping):
                raise ServiceFault("InvalidFilterException", "Each filter needs Name and Values.")
            name, values = item.get("Name"), item.get("Values")
            if name not in FILTER_NAMES:
                raise ServiceFault(
                    "InvalidFilterException",
                    f"The filter name {name!r} is not valid; use one of {', '.join(FILTER_NAMES)}",
                )
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                raise ServiceFault(
                    "InvalidFilterException", f"The filter {name} needs one or more string values."
                )
            if name == "status":
                bad = [v for v in values if v not in STATUS_BY_FILTER]
                if bad:
                    raise ServiceFault(
                        "InvalidFilterException",
                        f"The status value {bad[0]!r} is not valid; use one of "
                        + " | ".join(STATUS_BY_FILTER),
                    )
                values = [STATUS_BY_FILTER[v] for v in values]
            match.setdefault(str(name), set()).update(values)
        fingerprint = json.dumps({k: sorted(v) for k, v in sorted(match.items())})
        return match, fingerprint

    def _make_token(self, before: int, fingerprint: str) -> str:
        body = json.dumps(
            {
                "b": before,
                "f": hashlib.sha256(fingerprint.encode()).hexdigest()[:16],
                "t": round(self.now(), 3),
            }
        ).encode()
        mac = hmac.new(self._token_key, body, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(body + mac).decode().rstrip("=")

    def _read_token(self, token: Any, fingerprint: str) -> int:
        invalid = ServiceFault("InvalidNextTokenException", "The NextToken is not valid.")
        if not isinstance(token, str) or not 1 <= len(token) <= 1024:
            raise invalid
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except ValueError as exc:
            raise invalid from exc
        body, mac = raw[:-12], raw[-12:]
        if not hmac.compare_digest(
            mac, hmac.new(self._token_key, body, hashlib.sha256).digest()[:12]
        ):
            raise invalid
        data = json.loads(body)
        if data["f"] != hashlib.sha256(fingerprint.encode()).hexdigest()[:16]:
            raise ServiceFault(
                "InvalidNextTokenException", "The NextToken was issued for different filters."
            )
        lifetime = self.config.token_lifetime
        if lifetime is not None and self.now() - float(data["t"]) > lifetime:
            raise ServiceFault("InvalidNextTokenException", "The NextToken has expired.")
        return int(data["b"])

    # --- presenting -----------------------------------------------------------------------

    def build_dict(self, record: BuildRecord) -> dict[str, Any]:
        """The Build structure of the model (log URLs are added by the server)."""
        destination: dict[str, Any] = {"Name": record.destination_name}
        if record.destination_description:
            destination["Description"] = record.destination_description
        if record.destination_id:
            destination["Id"] = record.destination_id
        data: dict[str, Any] = {
            "BuildId": record.build_id,
            "Status": record.status,
            "Products": _products(record),
            "FulfillmentOptionIds": [o.fulfillment_option_id for o in record.offerings],
            "SourceImage": {"Id": record.image.id, "Name": record.image.name},
            "DestinationImage": destination,
            "StartTime": round(record.start, 3),
            "LastUpdateTime": round(record.last_update, 3),
        }
        if record.sns_topic_arn:
            data["SnsTopicArn"] = record.sns_topic_arn
        if record.error:
            data["ErrorDetail"] = {"Code": record.error[0], "Message": record.error[1]}
        return data

    def log_text(self, record: BuildRecord, stream: str) -> bytes:
        """The part of a build's log written by now (all of it once finished)."""
        full = self.logs.full(record, stream)
        if record.status != "InProgress":
            return full
        span = max(record.finish_at - record.start, 1e-6)
        fraction = min(max((self.now() - record.start) / span, 0.0), 1.0)
        cut = int(len(full) * fraction)
        return full[: full.rfind(b"\n", 0, cut) + 1]


def _products(record: BuildRecord) -> list[dict[str, str]]:
    return [{"Id": o.product_id, "Title": o.title, "Version": o.version} for o in record.offerings]


def _matches(record: BuildRecord, match: dict[str, set[str]]) -> bool:
    for name, values in match.items():
        if name == "build-id":
            ok = record.build_id in values
        elif name == "status":
            ok = record.status in values
        elif name == "product-id":
            ok = any(o.product_id in values for o in record.offerings)
        else:
            ok = any(o.fulfillment_option_id in values for o in record.offerings)
        if not ok:
            return False
    return True
