"""The builds screen: the live list of builds (foundation version).

Streams DescribeBuilds pages into a table keyed by BuildId; the first page is
shown before the second is requested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from api.builds import Build
from api.errors import ApiError
from api.index import BuildIndex, Changes

if TYPE_CHECKING:
    from tui.app import MpibApp

COLUMNS = (
    ("status", "Status"),
    ("build", "Build"),
    ("product", "Product"),
    ("source", "Source AMI"),
    ("destination", "Destination"),
    ("started", "Started (UTC)"),
)


def row_cells(build: Build) -> list[Text]:
    """The table cells of a build; plain Text, so service data is never markup."""
    products = ", ".join(
        " ".join(x for x in (p.title or p.id, p.version) if x) for p in build.products
    )
    destination = build.destination_image.id or build.destination_image.name or ""
    started = build.start_time.strftime("%Y-%m-%d %H:%M") if build.start_time else ""
    return [
        Text(build.raw_status or "?"),
        Text(build.build_id[:8]),
        Text(products),
        Text(build.source_image.id or ""),
        Text(destination),
        Text(started),
    ]


class BuildsScreen(Screen[None]):
    """Every build of the account, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.index = BuildIndex()
        self.streaming = False

    @property
    def mpib(self) -> MpibApp:
        """The app, typed."""
        from tui.app import MpibApp

        assert isinstance(self.app, MpibApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Static(id="status-line")
        table: DataTable[Text] = DataTable(id="builds", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        if self.mpib.client_error is not None:
            self._status(str(self.mpib.client_error))
            return
        self.stream_builds()

    def _status(self, text: str) -> None:
        self.query_one("#status-line", Static).update(Text(text))

    def _where(self) -> str:
        client = self.mpib.client
        mark = "demo" if self.mpib.settings.is_demo else (self.mpib.settings.profile or "default")
        return f"{mark} · {client.region if client else '?'}"

    @work(group="stream", exclusive=True, exit_on_error=False)
    async def stream_builds(self) -> None:
        """Stream every page into the table, newest first."""
        client = self.mpib.client
        if client is None:
            return
        self.streaming = True
        try:
            async for page in client.stream(self.mpib.build_filter):
                self._apply(self.index.upsert(page))
                self._status(f"{self._where()} · loading… {len(self.index)} builds")
        except ApiError as error:
            self._status(f"{self._where()} · {error}")
            return
        finally:
            self.streaming = False
        self._status(f"{self._where()} · {len(self.index)} builds")

    def _apply(self, changes: Changes) -> None:
        table = self.query_one("#builds", DataTable)
        for build_id in changes.added:
            build = self.index.get(build_id)
            if build is not None:
                table.add_row(*row_cells(build), key=build_id)
