"""Mask the secret parts of presigned URLs before they are shown or written.

A presigned URL is a bearer credential until it expires: whoever holds it can
read the log. mpib shows where a log lives, never the means to read it.
"""

from __future__ import annotations

import re

_SECRET_PARAMS = re.compile(
    r"(?P<key>X-Amz-(?:Signature|Security-Token|Credential)|Signature|AWSAccessKeyId)="
    r"(?P<value>[^&#\s]*)",
    re.IGNORECASE,
)
MASK = "***"


def redact_url(url: str | None) -> str | None:
    """The URL with signature, credential and token values replaced by ``***``."""
    if url is None:
        return None
    return _SECRET_PARAMS.sub(lambda m: f"{m.group('key')}={MASK}", url)
