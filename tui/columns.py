"""The builds table's columns: what each shows, how it sorts, which go first when narrow.

Pure functions of a :class:`~api.builds.Build` and a clock, so the table widget
only lays out and paints, and tests can check a cell without a terminal.
Every cell is a Rich ``Text`` built from plain strings: text from the service
is never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from api.builds import Build, BuildStatus

STATUS_LOOK: dict[BuildStatus | None, tuple[str, str]] = {
    BuildStatus.IN_PROGRESS: ("⟳", "bold yellow"),
    BuildStatus.SUCCEEDED: ("✓", "green"),
    BuildStatus.FAILED: ("✗", "bold red"),
    BuildStatus.INTERNAL_ERROR: ("!", "magenta"),
    None: ("?", "dim"),
}
"""Glyph and colour per status: the glyph and word read the same without colour."""

_STATUS_ORDER = {
    BuildStatus.IN_PROGRESS: 0,
    BuildStatus.FAILED: 1,
    BuildStatus.INTERNAL_ERROR: 2,
    BuildStatus.SUCCEEDED: 3,
    None: 4,
}


def status_text(build: Build) -> Text:
    """``⟳ InProgress`` in the status colour."""
    glyph, style = STATUS_LOOK.get(build.status, STATUS_LOOK[None])
    return Text(f"{glyph} {build.raw_status or 'Unknown'}", style=style)


def products_text(build: Build) -> str:
    """Product titles and versions, comma separated."""
    return ", ".join(" ".join(x for x in (p.title or p.id, p.version) if x) for p in build.products)


def ago(moment: datetime | None, now: float) -> str:
    """``45s ago``, ``12m ago``, ``3h ago``, ``5d ago``."""
    if moment is None:
        return ""
    seconds = int(max(0.0, now - moment.timestamp()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def span(seconds: float) -> str:
    """A duration in its largest sensible unit: ``45s``, ``12m``, ``1h05m``, ``3d``."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s" if seconds < 600 else f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"
    return f"{seconds // 86400}d"


def duration_seconds(build: Build, now: float) -> float | None:
    """How long the build ran (runs, if still going)."""
    if build.start_time is None:
        return None
    end = now if build.is_running else (build.last_update_time or build.start_time).timestamp()
    return max(0.0, end - build.start_time.timestamp())


@dataclass(frozen=True, slots=True)
class Column:
    """One column.

    Attributes:
        drop: lower numbers stay longest when the terminal is narrow (0 never drops).
        flex: takes a share of spare width.
        live: its text depends on the clock, so it is never cached.
    """

    key: str
    label: str
    width: int
    drop: float
    cell: Callable[[Build, float], Text]
    sort: Callable[[Build, float], Any]
    flex: bool = False
    live: bool = False


def _ts(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


def _destination(build: Build, _: float) -> Text:
    image = build.destination_image
    if image.id and image.name:
        return Text(f"{image.name} {image.id}")
    return Text(image.id or image.name or "")


def _duration(build: Build, now: float) -> Text:
    seconds = duration_seconds(build, now)
    return Text(
        "" if seconds is None else span(seconds), style="" if not build.is_running else "yellow"
    )


COLUMNS: tuple[Column, ...] = (
    Column(
        "origin",
        "Where",
        18,
        1.5,  # after Destination, before the times
        lambda b, _: Text(b.origin or "", style="dim"),
        lambda b, _: b.origin or "",
        live=True,  # not cached: a re-list can move a build to a labelled origin
    ),
    Column(
        "status",
        "Status",
        15,
        0,
        lambda b, _: status_text(b),
        lambda b, _: (_STATUS_ORDER.get(b.status, 4), -_ts(b.start_time)),
    ),
    Column("build", "Build", 8, 0, lambda b, _: Text(b.build_id[:8]), lambda b, _: b.build_id),
    Column(
        "product",
        "Product",
        18,
        0,
        lambda b, _: Text(products_text(b)),
        lambda b, _: products_text(b).lower(),
        flex=True,
    ),
    Column(
        "source",
        "Source AMI",
        21,
        3,
        lambda b, _: Text(b.source_image.id or ""),
        lambda b, _: b.source_image.id or "",
    ),
    Column(
        "destination",
        "Destination",
        24,
        2,
        _destination,
        lambda b, _: (b.destination_image.name or "").lower(),
        flex=True,
    ),
    Column(
        "started",
        "Started",
        9,
        1,
        lambda b, now: Text(ago(b.start_time, now)),
        lambda b, _: _ts(b.start_time),
        live=True,
    ),
    Column(
        "duration",
        "Duration",
        10,
        1,
        _duration,
        lambda b, now: duration_seconds(b, now) or 0.0,
        live=True,
    ),
    Column(
        "updated",
        "Updated",
        9,
        4,
        lambda b, now: Text(ago(b.last_update_time, now)),
        lambda b, _: _ts(b.last_update_time),
        live=True,
    ),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
GAP = 2
"""Blank cells between columns."""


def fit(width: int, origin: bool = False, only: tuple[str, ...] = ()) -> list[tuple[Column, int]]:
    """The columns that fit in ``width`` cells, in display order, with their widths.

    Columns are dropped highest ``drop`` first until the rest fit; spare width
    goes to the flexible columns. The "Where" column exists only with ``origin``
    (several profiles or regions watched). ``only`` (the config's ``columns``)
    picks and orders the columns; the status and build columns are never left out.
    """
    if only:
        keys = [k for k in ("status", "build") if k not in only] + list(only)
        chosen = [COLUMNS_BY_KEY[k] for k in keys]
        if origin and "origin" not in only:
            chosen.insert(0, COLUMNS_BY_KEY["origin"])
    else:
        chosen = [c for c in COLUMNS if origin or c.key != "origin"]
    for level in sorted({c.drop for c in COLUMNS if c.drop}, reverse=True):
        if _needed(chosen) <= width:
            break
        chosen = [c for c in chosen if c.drop != level]
    spare = max(0, width - _needed(chosen))
    flexible = [c for c in chosen if c.flex]
    widths = {c.key: c.width for c in chosen}
    for n, column in enumerate(flexible):
        share = spare // len(flexible) + (1 if n < spare % len(flexible) else 0)
        widths[column.key] += share
    return [(c, widths[c.key]) for c in chosen]


def _needed(columns: list[Column]) -> int:
    return sum(c.width for c in columns) + GAP * (len(columns) - 1) + 1
