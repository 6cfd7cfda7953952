"""The optional debug log (``--log-file``): what went wrong, never a secret.

Everything mpib logs goes through :class:`RedactingFilter`, which masks
presigned URL signatures and credentials and any value of the AWS secret
environment variables, so a log file can be attached to a bug report as is.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from api.redact import MASK, redact_url

LOGGER = logging.getLogger("mpib")

_SECRET_ENV = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b")


class RedactingFilter(logging.Filter):
    """Rewrites each record's final text with secrets masked."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        found = [os.environ.get(name, "") for name in _SECRET_ENV]
        self.secrets = [s for s in [*(secrets or []), *found] if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = self.scrub(text), None
        return True

    def scrub(self, text: str) -> str:
        """``text`` with URL signatures, key ids and known secrets masked."""
        text = redact_url(text) or ""
        text = _KEY_ID.sub(MASK, text)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text


def configure(path: str | None, secrets: list[str] | None = None) -> logging.Handler:
    """Send mpib's log to ``path`` (nothing is logged anywhere without it)."""
    LOGGER.propagate = False
    if not path:
        null = logging.NullHandler()
        LOGGER.addHandler(null)
        return null
    handler = logging.FileHandler(Path(path).expanduser(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.DEBUG)
    return handler
