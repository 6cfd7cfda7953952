"""FieldMessage: the line under a form field that says what is wrong with it.

Hidden while there is nothing to say, so a form takes no more room than its
fields until it has a problem to show. Text only: messages may quote what the
user or the service wrote, which must never be read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FieldMessage(Static):
    """A message under a field; ``say(None)`` hides it."""

    DEFAULT_CSS = """
    FieldMessage {
        display: none;
        height: auto;
        color: $error;
    }
    """

    def say(self, message: str | None, style: str = "red") -> None:
        """Show ``message`` (in ``style``), or hide the line for None or ''."""
        self.update(Text(message or "", style=style))
        self.display = bool(message)
