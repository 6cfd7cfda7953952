"""DetailScreen: one build's every field, over the table (Enter)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer

from api.builds import Build
from tui.history import History
from tui.widgets.build_detail import BuildDetail


class DetailScreen(ModalScreen[None]):
    """A scrollable card with the build's fields; Esc or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "dismiss", "Close"),
    ]

    def __init__(self, build: Build, history: History | None = None) -> None:
        super().__init__()
        self.build = build
        self.history = history

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-card"):
            yield BuildDetail(id="detail-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-card").border_title = f"Build {self.build.build_id}"
        self.query_one(BuildDetail).show(self.build, self.history)

    async def action_dismiss(self, result: None = None) -> None:
        """Close the card."""
        self.dismiss(result)
