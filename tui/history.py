"""A small picture of a product's recent builds: success rate and a duration sparkline.

Computed from the builds already loaded (no extra call), for the detail views:
"is this failure new, or does this product always fail on this AMI?"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text

from api.builds import Build, BuildStatus

BARS = "▁▂▃▄▅▆▇█"
RECENT = 24
"""How many of the product's most recent finished builds the picture covers."""


@dataclass(frozen=True)
class History:
    """The product's recent finished builds."""

    product: str
    finished: int
    succeeded: int
    durations: tuple[float, ...]
    """Oldest first, seconds."""

    @property
    def success_rate(self) -> float:
        """Share of finished builds that succeeded (0 when none finished)."""
        return self.succeeded / self.finished if self.finished else 0.0


def history_of(build: Build, builds: Iterable[Build]) -> History | None:
    """The history of ``build``'s first product among ``builds`` (newest first)."""
    if not build.products or not build.products[0].id:
        return None
    product = build.products[0]
    recent = [
        b
        for b in builds
        if b.status is not None
        and b.status.is_final
        and any(p.id == product.id for p in b.products)
    ][:RECENT]
    durations = tuple(
        (b.last_update_time - b.start_time).total_seconds()
        for b in reversed(recent)
        if b.start_time and b.last_update_time
    )
    succeeded = sum(1 for b in recent if b.status is BuildStatus.SUCCEEDED)
    return History(product.title or product.id or "?", len(recent), succeeded, durations)


def sparkline(values: Iterable[float]) -> str:
    """One bar per value, scaled between the smallest and the largest."""
    values = list(values)
    if not values:
        return ""
    low, high = min(values), max(values)
    scale = (high - low) or 1.0
    return "".join(
        BARS[min(int((v - low) / scale * (len(BARS) - 1)), len(BARS) - 1)] for v in values
    )


def history_text(history: History) -> Text:
    """``12 finished, 83% succeeded`` and the sparkline, styled by success."""
    text = Text()
    if not history.finished:
        return Text("no finished builds loaded", style="dim")
    rate = history.success_rate
    style = "green" if rate >= 0.8 else "yellow" if rate >= 0.5 else "red"
    text.append(f"{history.finished} finished, ")
    text.append(f"{rate:.0%} succeeded", style=style)
    if history.durations:
        text.append("\ndurations ")
        text.append(sparkline(history.durations), style="cyan")
    return text
