"""BuildDetail: every field of one build, as a two-column grid.

Used both in the side pane of wide terminals and in the detail screen. Values
are plain ``Text`` (never markup) and log URLs are shown with their signature
masked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from api.builds import Build
from api.redact import redact_url
from tui.columns import duration_seconds, span, status_text
from tui.history import History, history_text


def _when(moment: datetime | None) -> Text:
    if moment is None:
        return Text("-")
    local = moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    utc = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return Text(f"{local}\n{utc}")


def detail_renderable(build: Build, now: float, history: History | None = None) -> RenderableType:
    """The grid of fields for ``build`` (and its product's recent history, if given)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str, value: Text | str | None) -> None:
        grid.add_row(label, value if isinstance(value, Text) else Text(value or "-"))

    row("Build", build.build_id)
    row("Status", status_text(build))
    if build.error_detail is not None:
        row(
            "Error",
            Text(
                f"{build.error_detail.code or '?'}: {build.error_detail.message or ''}", style="red"
            ),
        )
    for n, product in enumerate(build.products or ()):
        label = "Products" if n == 0 else ""
        row(label, f"{product.title or '?'} {product.version or ''}\n{product.id or ''}".strip())
    if not build.products:
        row("Products", None)
    row("Fulfillment", ", ".join(build.fulfillment_option_ids) or None)
    row("Source", " ".join(x for x in (build.source_image.id, build.source_image.name) if x))
    destination = build.destination_image
    row("Destination", "\n".join(x for x in (destination.id, destination.name) if x) or None)
    row("Description", destination.description)
    row("SNS topic", build.sns_topic_arn)
    row("Started", _when(build.start_time))
    row("Updated", _when(build.last_update_time))
    seconds = duration_seconds(build, now)
    row("Duration", None if seconds is None else span(seconds))
    row("stdout log", redact_url(build.standard_output_url))
    row("stderr log", redact_url(build.standard_error_url))
    if build.log_bucket:
        row("Log bucket", build.log_bucket)
    if history is not None:
        # The product goes in the value: as part of the label, a long title widened
        # the label column and squeezed every value of the card.
        row("History", Text(f"{history.product}\n", style="bold") + history_text(history))
    return grid


class BuildDetail(Static):
    """Shows one build (or a hint when there is none)."""

    DEFAULT_CSS = """
    BuildDetail { padding: 0 1; }
    """

    def __init__(self, clock: Callable[[], float] = time.time, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.build: Build | None = None

    def show(self, build: Build | None, history: History | None = None) -> None:
        """Display ``build``'s fields, and its product's recent history when given."""
        self.build = build
        if build is None:
            self.update(Text("No build selected.", style="dim"))
        else:
            self.update(detail_renderable(build, self.clock(), history))
