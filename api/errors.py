"""Turn everything that can go wrong below the UI into one plain sentence with the fix.

The client raises only :class:`ApiError`; the UI and the CLI show
``str(error)`` and decide what to do from :attr:`ApiError.kind` (back off when
throttled, pause polling on credentials, keep the form on bad input). Nothing
here prints credentials: messages name the profile, never a key.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass

from botocore import exceptions as bexc


class Kind(enum.Enum):
    """What sort of trouble, which decides how the caller reacts."""

    CONFIG = "config"
    CREDENTIALS = "credentials"
    THROTTLED = "throttled"
    OFFLINE = "offline"
    INPUT = "input"
    SERVICE = "service"
    PAGINATION = "pagination"


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Kind
    sentence: str
    field: str | None = None


_POLICY = "AWSMarketplaceImageBuildFullAccess"

# {profile} is filled in with the profile's name (or "default").
_BY_CODE: dict[str, _Entry] = {
    "InternalServerErrorException": _Entry(
        Kind.SERVICE, "The Image Build service had an internal error; try again in a moment."
    ),
    "InvalidNextTokenException": _Entry(
        Kind.PAGINATION,
        "The listing's page token expired or is not valid; list the builds again from the start.",
    ),
    "InvalidMaxResultsException": _Entry(
        Kind.INPUT, "MaxResults must be between 0 and 256 builds per page."
    ),
    "InvalidFilterException": _Entry(
        Kind.INPUT,
        "The service rejected the filter ({message}). Filters are build-id, product-id, "
        "fulfillment-option-id and status (in-progress, succeeded, failed, internal-error).",
    ),
    "BuildLimitExceededException": _Entry(
        Kind.INPUT,
        "Too many builds are running at once for this account; "
        "wait for one to finish, then start this one again.",
    ),
    "IdempotentParameterMismatchException": _Entry(
        Kind.INPUT,
        "This submission's client token was already used for a build with other parameters; "
        "submit it as a new build (a new token).",
    ),
    "InstallerMismatchException": _Entry(
        Kind.INPUT,
        "The product's installer does not support the source image's platform; "
        "choose a source AMI of a platform the fulfillment option supports.",
        "source_image_id",
    ),
    "InvalidFulfillmentOptionIdException": _Entry(
        Kind.INPUT,
        "A fulfillment option id does not exist ({message}); "
        "copy it from the product's page in AWS Marketplace.",
        "fulfillment_option_ids",
    ),
    "InvalidSourceImageIdException": _Entry(
        Kind.INPUT,
        "The source AMI does not exist in this region or is not shared with this account; "
        "check the AMI id and the region.",
        "source_image_id",
    ),
    "InvalidDestinationImageNameException": _Entry(
        Kind.INPUT,
        "The destination image name is not valid: use 3-128 letters, digits, spaces "
        "and ()[]./-'@_.",
        "destination_image_name",
    ),
    "InvalidSnsTopicArnException": _Entry(
        Kind.INPUT,
        "The SNS topic does not exist; give the ARN of a topic in this account and region, "
        "or leave it empty.",
        "sns_topic_arn",
    ),
    "UnauthorizedOperationException": _Entry(
        Kind.CREDENTIALS,
        "Profile {profile} is not allowed to do this; attach the managed policy "
        f"{_POLICY} to its user or role.",
    ),
    "AccessDeniedException": _Entry(
        Kind.CREDENTIALS,
        f"Access denied for profile {{profile}}; attach the managed policy {_POLICY} "
        "to its user or role.",
    ),
    "ExpiredToken": _Entry(
        Kind.CREDENTIALS,
        "The AWS session for profile {profile} has expired; run "
        "`aws sso login --profile {profile}` (or renew the credentials).",
    ),
    "UnrecognizedClientException": _Entry(
        Kind.CREDENTIALS,
        "AWS does not recognise the credentials of profile {profile}; renew them "
        "(`aws sso login --profile {profile}` or `aws configure`).",
    ),
    "InvalidSignatureException": _Entry(
        Kind.CREDENTIALS,
        "The request signature was rejected: the secret key does not match the access key "
        "of profile {profile}, or this machine's clock is off; fix the credentials.",
    ),
    "ThrottlingException": _Entry(
        Kind.THROTTLED, "The service is throttling requests; backing off before trying again."
    ),
}
_ALIASES = {
    "ExpiredTokenException": "ExpiredToken",
    "RequestExpired": "ExpiredToken",
    "InvalidClientTokenId": "UnrecognizedClientException",
    "SignatureDoesNotMatch": "InvalidSignatureException",
    "Throttling": "ThrottlingException",
    "TooManyRequestsException": "ThrottlingException",
    "RequestLimitExceeded": "ThrottlingException",
    "ProvisionedThroughputExceededException": "ThrottlingException",
}


class ApiError(Exception):
    """A failure worth one sentence to the user.

    Attributes:
        kind: what sort of trouble (decides retry, back-off or pausing).
        code: the service's error code, when the service answered.
        field: the StartBuild input the error is about, when there is one.
    """

    def __init__(
        self, sentence: str, kind: Kind, code: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(sentence)
        self.kind = kind
        self.code = code
        self.field = field

    @property
    def retryable(self) -> bool:
        """Whether trying the same call again later may work."""
        return self.kind in (Kind.THROTTLED, Kind.OFFLINE, Kind.SERVICE)


def translate(
    exc: BaseException, profile: str | None = None, endpoint: str | None = None
) -> ApiError:
    """Map a botocore, aiohttp or asyncio failure to an :class:`ApiError`."""
    import aiohttp  # here, not at module level: it costs ~0.3 s of start-up

    if isinstance(exc, ApiError):
        return exc
    who = profile or "default"
    if isinstance(exc, bexc.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "Unknown")
        message = str(error.get("Message") or "").strip().rstrip(".")
        entry = _BY_CODE.get(_ALIASES.get(code, code))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if entry is None:
            kind = Kind.SERVICE if isinstance(status, int) and status >= 500 else Kind.INPUT
            detail = f": {message}" if message else ""
            return ApiError(f"The service answered {code}{detail}.", kind, code)
        sentence = entry.sentence.format(profile=who, message=message or code)
        return ApiError(sentence, entry.kind, code, entry.field)
    where = endpoint or "the service"
    if isinstance(exc, bexc.NoRegionError):
        return ApiError(
            "No AWS region is set: pass --region, set AWS_REGION, or add `region = ...` "
            "to the profile in ~/.aws/config.",
            Kind.CONFIG,
        )
    if isinstance(exc, bexc.ProfileNotFound):
        return ApiError(
            f"The profile {who} is not in ~/.aws/config or ~/.aws/credentials; "
            "check --profile or AWS_PROFILE.",
            Kind.CONFIG,
        )
    if isinstance(exc, bexc.SSOError | bexc.TokenRetrievalError):
        return ApiError(
            f"The SSO session for profile {who} has expired; run `aws sso login --profile {who}`.",
            Kind.CREDENTIALS,
        )
    if isinstance(exc, bexc.NoCredentialsError | bexc.PartialCredentialsError):
        return ApiError(
            "No AWS credentials were found: run `aws configure` or "
            f"`aws sso login --profile {who}`, or set AWS_PROFILE.",
            Kind.CREDENTIALS,
        )
    if isinstance(exc, bexc.ParamValidationError):
        report = str(exc).split(":", 1)[-1].strip().replace("\n", " ")
        return ApiError(f"The request is not valid: {report}", Kind.INPUT)
    if isinstance(
        exc,
        bexc.EndpointConnectionError
        | bexc.ConnectionClosedError
        | bexc.ConnectTimeoutError
        | bexc.ReadTimeoutError
        | bexc.HTTPClientError
        | aiohttp.ClientError
        | asyncio.TimeoutError
        | ConnectionError,
    ):
        return ApiError(f"Cannot reach {where}: offline or the endpoint is down.", Kind.OFFLINE)
    if isinstance(exc, bexc.BotoCoreError):
        return ApiError(f"AWS client error: {exc}", Kind.SERVICE)
    return ApiError(f"Unexpected error: {type(exc).__name__}: {exc}", Kind.SERVICE)
