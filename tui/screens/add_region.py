"""AddRegionScreen (ctrl+r): one more region, or profile/region, to watch in the same table."""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.widgets.field_message import FieldMessage

_PAIR = re.compile(r"^(?:[\w+=,.@-]{1,64}/)?[a-z]{2}(?:-[a-z]+)+-\d$")


class AddRegionScreen(ModalScreen[str | None]):
    """Dismisses with ``region`` or ``profile/region``, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="region-card"):
            yield Label("Watch another region too: region, or profile/region")
            yield Input(placeholder="eu-west-1   or   prod/us-west-2", id="region")
            yield FieldMessage(id="region-error")

    def on_mount(self) -> None:
        self.query_one("#region-card").border_title = "Add a region"
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not _PAIR.match(value):
            self.query_one("#region-error", FieldMessage).say(
                f"{value!r} is not a region like eu-west-1 (or prod/eu-west-1)"
            )
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Close without adding."""
        self.dismiss(None)
