"""HelpScreen: every key binding, grouped by where it works (``?``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_KEY_NAMES = {"question_mark": "?", "escape": "esc", "slash": "/", "enter": "⏎"}


def _rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys = " ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))
            rows.append((keys, binding.description or binding.action))
    return rows


class HelpScreen(ModalScreen[None]):
    """A table of keys; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, groups: Sequence[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for title, bindings in self.groups:
            table.add_row(Text(title, style="bold underline"), "")
            for keys, what in _rows(bindings):
                table.add_row(Text(keys), Text(what))
            table.add_row("", "")
        with VerticalScroll(id="help-card"):
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-card").border_title = "Keys (Esc closes)"

    async def action_dismiss(self, result: None = None) -> None:
        """Close help."""
        self.dismiss(result)
