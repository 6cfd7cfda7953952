"""Exponential back-off with full jitter, capped, for the refresh loop.

After a failed refresh the next one waits longer (so a throttled account is
not hammered), and one success brings the interval straight back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays after consecutive failures: ``base * 2**n`` (capped), jittered."""

    base: float = 2.0
    cap: float = 30.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def failed(self) -> float:
        """Record a failure; return how long to wait before trying again."""
        ceiling = min(self.cap, self.base * (2**self.failures))
        self.failures += 1
        return max(self.base / 2, self.rng.uniform(ceiling / 2, ceiling))

    def succeeded(self) -> None:
        """Back to the normal interval."""
        self.failures = 0
