"""SigV4 for the emulator: check header signatures, make and check presigned URLs.

The arithmetic is botocore's own (``SigV4Auth`` and ``S3SigV4QueryAuth``), so
the emulator accepts exactly what a real botocore or ``aws`` CLI client signs
and nothing else. What botocore does not offer is signing at a chosen instant:
the emulator's build clock can be moved forward by tests, and presigned URLs
must age with it, so :func:`presign` sets the timestamp itself and then runs the
signer's steps.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from botocore.auth import S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"
ALGORITHM = "AWS4-HMAC-SHA256"


class SignatureError(Exception):
    """A request whose signature does not hold; ``code`` is the AWS error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class HeaderAuth:
    """The parts of an ``Authorization: AWS4-HMAC-SHA256 ...`` header."""

    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str | None) -> HeaderAuth:
    """Split an Authorization header, or raise :class:`SignatureError`."""
    if not value:
        raise SignatureError("MissingAuthenticationTokenException", "Missing Authentication Token")
    algorithm, _, rest = value.partition(" ")
    if algorithm != ALGORITHM:
        raise SignatureError(
            "IncompleteSignatureException", f"Unsupported signature algorithm {algorithm!r}."
        )
    parts = {}
    for item in rest.split(","):
        key, _, val = item.strip().partition("=")
        parts[key] = val
    try:
        access_key, date, region, service, terminator = parts["Credential"].split("/")
        signed = tuple(parts["SignedHeaders"].split(";"))
        signature = parts["Signature"]
    except (KeyError, ValueError) as exc:
        raise SignatureError(
            "IncompleteSignatureException",
            "Authorization header requires Credential, SignedHeaders and Signature.",
        ) from exc
    if terminator != "aws4_request":
        raise SignatureError("IncompleteSignatureException", "Credential scope is malformed.")
    return HeaderAuth(access_key, date, region, service, signed, signature)


def verify_header_request(
    *,
    auth: HeaderAuth,
    secret_key: str,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
    max_skew_seconds: float = 300.0,
) -> None:
    """Recompute the signature of a header-signed request; raise if it differs.

    Args:
        url: scheme, host and the raw (still percent-encoded) path and query.
        headers: the request's headers; only the signed ones are used.
        now: the real wall clock (a client signs with it).
    """
    amz_date = _header(headers, "x-amz-date")
    if not amz_date:
        raise SignatureError("IncompleteSignatureException", "X-Amz-Date header is missing.")
    signed_at = _parse_timestamp(amz_date)
    if abs((now - signed_at).total_seconds()) > max_skew_seconds:
        raise SignatureError(
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is now earlier or later than "
            f"{now.strftime(SIGV4_TIMESTAMP)} by more than {int(max_skew_seconds)} seconds.",
        )
    request = AWSRequest(
        method=method,
        url=url,
        headers={name: _header(headers, name) or "" for name in auth.signed_headers},
        data=body,
    )
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(auth.access_key, secret_key), auth.service, auth.region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, auth.signature):
        raise SignatureError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )


def presign(
    *,
    url: str,
    access_key: str,
    secret_key: str,
    region: str,
    expires: int,
    at: datetime,
) -> str:
    """A presigned GET URL (S3 style, SigV4 query auth) signed at instant ``at``."""
    request = AWSRequest(method="GET", url=url)
    request.context["timestamp"] = at.astimezone(UTC).strftime(SIGV4_TIMESTAMP)
    signer = S3SigV4QueryAuth(Credentials(access_key, secret_key), "s3", region, expires=expires)
    signer._modify_request_before_signing(request)
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    signer._inject_signature_to_request(request, signature)
    return str(request.url)


def verify_presigned(
    *,
    url: str,
    secrets: Mapping[str, str],
    now: datetime,
) -> None:
    """Check a presigned URL's signature and expiry against the emulator clock.

    Args:
        url: the full URL as received, query still percent-encoded.
        secrets: secret key by access key.
    Raises:
        SignatureError: ``AccessDenied`` (S3's code) for any failure.
    """
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    try:
        access_key, _date, region, service, _ = params["X-Amz-Credential"].split("/")
        amz_date = params["X-Amz-Date"]
        expires = int(params["X-Amz-Expires"])
        given = params["X-Amz-Signature"]
    except (KeyError, ValueError) as exc:
        raise SignatureError("AccessDenied", "Query-string authentication is incomplete.") from exc
    secret = secrets.get(access_key)
    if secret is None:
        raise SignatureError(
            "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist."
        )
    unsigned_query = "&".join(
        pair for pair in parts.query.split("&") if not pair.startswith("X-Amz-Signature=")
    )
    request = AWSRequest(
        method="GET", url=f"{parts.scheme}://{parts.netloc}{parts.path}?{unsigned_query}"
    )
    request.context["timestamp"] = amz_date
    signer = S3SigV4QueryAuth(Credentials(access_key, secret), service, region, expires=expires)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, given):
        raise SignatureError(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    if (now - _parse_timestamp(amz_date)).total_seconds() > expires:
        raise SignatureError("AccessDenied", "Request has expired")


def _parse_timestamp(value: str) -> datetime:
    try:
        return datetime.strptime(value, SIGV4_TIMESTAMP).replace(tzinfo=UTC)
    except ValueError as exc:
        raise SignatureError(
            "IncompleteSignatureException", f"X-Amz-Date {value!r} is not a valid timestamp."
        ) from exc


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
