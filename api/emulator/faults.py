"""Fault injection for the emulator: the failures mpib must ride through.

Rates are drawn from a seeded generator so a test run is repeatable. One-shot
faults (``fail_next``, ``drop_next``) let a test put one failure exactly where
it wants it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Faults:
    """What to break, and how often. Every field can be changed while serving."""

    throttle_rate: float = 0.0
    """Share of API calls answered with ThrottlingException (HTTP 400)."""
    error_rate: float = 0.0
    """Share of API calls answered with InternalServerErrorException (HTTP 500)."""
    latency: float = 0.0
    """Seconds added before every API answer."""
    url_lifetime: int = 900
    """Seconds a presigned log URL stays valid."""
    expired_credentials: bool = False
    """Answer every API call with ExpiredTokenException (an SSO session ran out)."""
    fail_next: list[tuple[str, str]] = field(default_factory=list)
    """Queue of (operation, error code): the next call of that operation fails so."""
    drop_next: Counter[str] = field(default_factory=Counter)
    """Per operation: handle the call, then drop the connection without answering."""
    seed: int = 11
    fired: Counter[str] = field(default_factory=Counter)
    """How many of each fault were answered (for soak reports)."""

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def roll(self, operation: str) -> str | None:
        """The error code to answer this call with, if a fault fires."""
        code = self._roll(operation)
        if code is not None:
            self.fired[code] += 1
        return code

    def _roll(self, operation: str) -> str | None:
        for n, (op, code) in enumerate(self.fail_next):
            if op == operation:
                del self.fail_next[n]
                return code
        if self.expired_credentials:
            return "ExpiredTokenException"
        draw = self.rng.random()
        if draw < self.throttle_rate:
            return "ThrottlingException"
        if draw < self.throttle_rate + self.error_rate:
            return "InternalServerErrorException"
        return None

    def take_drop(self, operation: str) -> bool:
        """Whether to drop this call's response (and count it as used)."""
        if self.drop_next[operation] > 0:
            self.drop_next[operation] -= 1
            return True
        return False


FAULT_MESSAGES = {
    "ThrottlingException": ("Rate exceeded", 400),
    "InternalServerErrorException": ("An internal error occurred.", 500),
    "ExpiredTokenException": ("The security token included in the request is expired", 400),
    "UnrecognizedClientException": ("The security token included in the request is invalid.", 400),
}
