"""One line of the benchmark table: a figure, its peer, mpib, and the target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """A measured figure and what it must be.

    A target is either a ratio to the peer (``max_ratio``) or an absolute
    ceiling (``max_value``, in the figure's unit); a row with neither is
    shown for information.
    """

    figure: str
    mpib: float | None
    peer: float | None = None
    peer_name: str = ""
    max_ratio: float | None = None
    max_value: float | None = None

    @property
    def ratio(self) -> float | None:
        """mpib / peer, when both were measured."""
        if self.peer and self.mpib is not None:
            return self.mpib / self.peer
        return None

    @property
    def target(self) -> str:
        """The target as text."""
        if self.max_ratio is not None:
            return f"<= {self.max_ratio:g}x"
        if self.max_value is not None:
            return f"<= {self.max_value:g}"
        return ""

    @property
    def passed(self) -> bool | None:
        """Whether the target is met (None: no target, or not measured)."""
        if self.max_ratio is not None and self.ratio is not None:
            return self.ratio <= self.max_ratio
        if self.max_value is not None and self.mpib is not None:
            return self.mpib <= self.max_value
        return None


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}" if value < 10 else f"{value:.1f}"


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (the README shows it as is)."""
    lines = [
        "| figure | peer | mpib | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        peer = f"{_fmt(row.peer)} ({row.peer_name})" if row.peer is not None else "-"
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        result = {True: "pass", False: "FAIL", None: ""}[row.passed]
        lines.append(
            f"| {row.figure} | {peer} | {_fmt(row.mpib)} | {ratio} | {row.target} | {result} |"
        )
    return "\n".join(lines)
