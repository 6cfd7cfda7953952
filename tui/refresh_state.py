"""What the live refresh is doing, and the one line that says so.

Plain state with no Textual in it: the builds screen drives it from its timers
and workers, the status bar shows :meth:`RefreshState.describe`, and tests can
check every wording without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from api.backoff import Backoff
from api.errors import ApiError, Kind
from tui.columns import span


@dataclass
class RefreshState:
    """Interval, pause, last success, next run, and the last error if any."""

    interval: float = 10.0
    paused: bool = False
    loading: bool = False
    loaded: int = 0
    last_ok: float | None = None
    next_due: float | None = None
    error: ApiError | None = None
    backoff: Backoff = field(default_factory=Backoff)

    @property
    def live(self) -> bool:
        """Whether a timer should be running."""
        return self.interval > 0 and not self.paused

    def succeeded(self, now: float) -> None:
        """A refresh (or load) went through."""
        self.last_ok = now
        self.error = None
        self.backoff.succeeded()

    def failed(self, error: ApiError) -> float | None:
        """Record a failure; the delay before retrying, or None to wait for the user.

        Credential problems pause polling: retrying cannot fix them, and
        hammering the service with a dead token helps nobody.
        """
        self.error = error
        if error.kind in (Kind.CREDENTIALS, Kind.CONFIG):
            self.paused = True
            return None
        return self.backoff.failed()

    def describe(self, now: float) -> str:
        """``updated 3s ago · next in 7s``, ``paused``, ``loading… 768 builds`` …"""
        parts: list[str] = []
        if self.loading:
            parts.append(f"loading… {self.loaded} builds")
        if self.error is not None:
            what = {
                Kind.THROTTLED: "throttled",
                Kind.OFFLINE: "offline",
                Kind.CREDENTIALS: "credentials",
            }.get(self.error.kind, "error")
            parts.append(f"{what}: {self.error}")
        if self.last_ok is not None:
            parts.append(f"updated {span(now - self.last_ok)} ago")
        if self.paused:
            parts.append("paused (p resumes, r refreshes)" if self.error else "paused")
        elif self.interval <= 0:
            parts.append("live refresh off (r refreshes)")
        elif self.next_due is not None and not self.loading:
            wait = max(0.0, self.next_due - now)
            verb = "retrying in" if self.error else "next in"
            parts.append(f"{verb} {span(wait)}")
        return " · ".join(parts)
