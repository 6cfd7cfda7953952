"""ConfirmStartScreen: what will be built, and where, before any money is spent."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from api.builds import StartBuildRequest


def summary(request: StartBuildRequest, where: str) -> Table:
    """The request as label/value rows (values shown literally, never as markup)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    rows = (
        ("Where", where),
        ("Products", ", ".join(request.fulfillment_option_ids)),
        ("Source AMI", request.source_image_id),
        ("New image", request.destination_image_name),
        ("Description", request.destination_image_description or "-"),
        ("SNS topic", request.sns_topic_arn or "-"),
    )
    for label, value in rows:
        table.add_row(label, Text(value))
    return table


class ConfirmStartScreen(ModalScreen[bool]):
    """Yes (Enter, y) starts the build; No (Esc, n) goes back to the form."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "back", "Back"),
        Binding("y", "confirm", "Start"),
    ]

    def __init__(self, request: StartBuildRequest, where: str) -> None:
        super().__init__()
        self.request = request
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-card"):
            yield Static(summary(self.request, self.where), id="confirm-summary")
            yield Static(
                Text("This creates a new AMI in the account and may incur charges.", "dim"),
                id="confirm-note",
            )
            with Horizontal(id="confirm-buttons"):
                yield Button("Start build", variant="warning", id="confirm")
                yield Button("Back", id="back")

    def on_mount(self) -> None:
        self.query_one("#confirm-card").border_title = "Start this build?"
        self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        """Start it."""
        self.dismiss(True)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Back to the form, everything kept."""
        self.dismiss(False)
