"""LogView: a virtual viewer for one (possibly huge) installer log.

Built on Textual's line API like the builds table: only the visible rows are
drawn, from a list of sanitised lines, so a log of 100,000 lines scrolls as
cheaply as one of 100. Lines arrive three ways: the tail first, earlier chunks
prepended when the user reaches the top (the view does not jump), and new
text appended while following. Wrapping maps screen rows to (line, part)
through prefix sums, so even a 100,000-character line is one cheap lookup.

The text is already free of escape sequences (:mod:`api.sanitize`) except
SGR colour, which :meth:`rich.text.Text.from_ansi` turns into styles; search
works on the plain text.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from itertools import accumulate
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from api.sanitize import strip_sgr

ERROR_LINE = re.compile(
    r"\b(error|errors|fatal|failed|failure|exception|traceback|panic|denied)\b", re.IGNORECASE
)
"""What a line that 'looks like an error' contains (``e`` jumps to the next one)."""

_CACHE = 512


class LogView(ScrollView, can_focus=True):
    """Scrollable lines with search highlights; posts ``AtTop`` and ``ScrolledUp``."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-view--match",
        "log-view--current",
        "log-view--mark",
    }
    DEFAULT_CSS = """
    LogView > .log-view--mark { background: $error 30%; }
    LogView > .log-view--match { background: $warning 40%; }
    LogView > .log-view--current { background: $warning; color: $background; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_by(-1)", "Up", show=False),
        Binding("down,j", "scroll_by(1)", "Down", show=False),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
        Binding("pagedown,ctrl+f,space", "page(1)", "Page down", show=False),
        Binding("home,g", "top", "Top", show=False),
        Binding("end,G", "bottom", "Bottom", show=False),
        Binding("left,h", "pan(-8)", "Left", show=False),
        Binding("right,l", "pan(8)", "Right", show=False),
    ]

    class AtTop(Message):
        """The first loaded line is in view: time to load earlier text."""

    class ScrolledUp(Message):
        """The user moved away from the bottom (following should stop pinning)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.lines: list[str] = []
        self.plains: list[str] = []
        self.open_last = False
        """The last line has no newline yet (more of it may arrive)."""
        self.wrap = False
        self.query_text = ""
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.marked = -1
        """The line ``e`` jumped to (drawn highlighted)."""
        self._texts: OrderedDict[int, Text] = OrderedDict()
        self._widest = 0
        self._rows: list[int] = []  # with wrap: cumulative rows at the end of each line

    # --- content ------------------------------------------------------------------------

    def append(self, text: str) -> None:
        """Add text at the end; the first piece continues an unfinished last line."""
        if not text:
            return
        pieces = text.expandtabs(4).split("\n")
        ends_open = pieces[-1] != ""
        if not ends_open:
            pieces.pop()
        first = len(self.lines)
        if self.open_last and self.lines:
            first -= 1
            self.lines[-1] += pieces.pop(0)
            self.plains[-1] = strip_sgr(self.lines[-1])
            self._texts.pop(first, None)
        self.lines.extend(pieces)
        self.plains.extend(strip_sgr(p) for p in pieces)
        self.open_last = ends_open
        self._content_changed(first)

    def prepend(self, text: str) -> None:
        """Add whole lines before the first one, keeping what is on screen in place."""
        if not text:
            return
        pieces = text.expandtabs(4).split("\n")
        if pieces[-1] == "":
            pieces.pop()
        rows_before = self._total_rows()
        self.lines[:0] = pieces
        self.plains[:0] = [strip_sgr(p) for p in pieces]
        self._texts.clear()
        shift = len(pieces)
        self.matches = [(line + shift, col) for line, col in self.matches]
        self.marked += shift if self.marked >= 0 else 0
        self._content_changed(0)
        self._rematch(0, shift)
        added = self._total_rows() - rows_before
        self.scroll_to(y=self.scroll_y + added, animate=False, immediate=True)

    def clear(self) -> None:
        """Forget every line."""
        self.lines, self.plains, self.open_last = [], [], False
        self._texts.clear()
        self._widest = 0
        self.matches, self.current = [], -1
        self._content_changed(0)

    def plain_text(self) -> str:
        """Every loaded line, without colour, newline-terminated."""
        return "".join(p + "\n" for p in self.plains)

    def _content_changed(self, first: int) -> None:
        for plain in self.plains[first:]:
            self._widest = max(self._widest, len(plain))
        if self.query_text:
            self._rematch(first, len(self.lines))
        self._relayout()

    def _relayout(self) -> None:
        width = max(self.scrollable_content_region.width, 1)
        if self.wrap:
            self._rows = list(accumulate(max(1, -(-len(p) // width)) for p in self.plains))
            self.virtual_size = Size(width, self._total_rows())
        else:
            self._rows = []
            self.virtual_size = Size(self._widest + 1, len(self.lines))
        self.refresh()

    def _total_rows(self) -> int:
        return self._rows[-1] if self.wrap and self._rows else len(self.lines)

    def set_wrap(self, wrap: bool) -> None:
        """Wrap long lines at the width, or scroll sideways; keeps the top line in view."""
        line, _ = self._line_at(round(self.scroll_y))
        self.wrap = wrap
        self._relayout()
        self.scroll_to(x=0, y=self._row_of(line), animate=False, immediate=True)

    # --- moving -------------------------------------------------------------------------

    @property
    def at_bottom(self) -> bool:
        """The last row is in view."""
        return self.scroll_y >= self.max_scroll_y

    def action_scroll_by(self, delta: int) -> None:
        """Move up or down by rows."""
        self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True)
        self._moved(delta)

    def action_page(self, direction: int) -> None:
        """Move by a screenful."""
        self.action_scroll_by(direction * max(self.size.height - 1, 1))

    def action_top(self) -> None:
        """To the first loaded line (which loads earlier text)."""
        self.scroll_to(y=0, animate=False, immediate=True)
        self._moved(-1)

    def action_bottom(self) -> None:
        """To the last line (again after the next layout, which may grow the view)."""
        self.scroll_end(animate=False, immediate=True)
        self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    def action_pan(self, delta: int) -> None:
        """Scroll sideways (no wrap)."""
        self.scroll_to(x=max(self.scroll_x + delta, 0), animate=False, immediate=True)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel counts as the user scrolling up."""
        self.call_after_refresh(self._moved, -1)

    def _moved(self, delta: int) -> None:
        if delta < 0:
            self.post_message(self.ScrolledUp())
        if round(self.scroll_y) == 0:
            self.post_message(self.AtTop())

    def show_line(self, line: int, col: int = 0) -> None:
        """Scroll so ``line`` is in view, a third of the way down."""
        row = self._row_of(line)
        if self.wrap:
            row += col // max(self.scrollable_content_region.width, 1)
        else:
            width = self.scrollable_content_region.width
            x = 0 if col < width - 4 else max(col - width // 2, 0)
            self.scroll_to(x=x, animate=False, immediate=True)
        self.scroll_to(y=max(row - self.size.height // 3, 0), animate=False, immediate=True)

    def _row_of(self, line: int) -> int:
        if not self.wrap or not self._rows or line <= 0:
            return max(line, 0)
        return self._rows[min(line, len(self._rows)) - 1]

    def _line_at(self, row: int) -> tuple[int, int]:
        """(line, part) shown at a screen row."""
        if not self.wrap:
            return row, 0
        line = bisect.bisect_right(self._rows, row)
        start = self._rows[line - 1] if line else 0
        return line, row - start

    # --- search and errors ---------------------------------------------------------------

    def search(self, query: str) -> int:
        """Highlight every case-insensitive match; returns how many."""
        self.query_text = query.lower()
        self.matches, self.current = [], -1
        if self.query_text:
            self._rematch(0, len(self.lines))
        self.refresh()
        return len(self.matches)

    def _rematch(self, first: int, last: int) -> None:
        """Find matches in lines [first, last) and merge them in order."""
        if not self.query_text:
            return
        found = []
        needle = self.query_text
        for n in range(first, min(last, len(self.plains))):
            hay = self.plains[n].lower()
            at = hay.find(needle)
            while at >= 0:
                found.append((n, at))
                at = hay.find(needle, at + max(len(needle), 1))
        kept = [m for m in self.matches if not first <= m[0] < last]
        self.matches = sorted(kept + found)

    def next_match(self, direction: int = 1) -> tuple[int, int] | None:
        """Go to the next (or previous) match, wrapping around."""
        if not self.matches:
            return None
        if self.current < 0:
            top, _ = self._line_at(round(self.scroll_y))
            index = bisect.bisect_left(self.matches, (top, 0))
            self.current = index if direction > 0 else index - 1
        else:
            self.current += direction
        self.current %= len(self.matches)
        line, col = self.matches[self.current]
        self.show_line(line, col)
        self.refresh()
        return line, col

    def next_error(self) -> int | None:
        """Go to the next line that looks like an error (from the top the first time)."""
        top, _ = self._line_at(round(self.scroll_y))
        start = top + self.size.height // 3 + 1 if self._error_seen else 0
        for n in list(range(start, len(self.plains))) + list(range(0, start)):
            if ERROR_LINE.search(self.plains[n]):
                self._error_seen = True
                self.marked = n
                self.show_line(n)
                self.refresh()
                return n
        return None

    _error_seen = False

    # --- painting -----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Wrapping depends on the width."""
        self._relayout()

    def render_line(self, y: int) -> Strip:
        """One screen row: a line (or part of one when wrapping) with highlights."""
        width = self.size.width
        base = self.rich_style
        line, part = self._line_at(round(self.scroll_y) + y)
        if line >= len(self.lines):
            return Strip.blank(width, base)
        text = self._text(line)
        if self.wrap:
            start = part * max(self.scrollable_content_region.width, 1)
        else:
            start = round(self.scroll_x)
        piece = text[start : start + width]
        if line == self.marked:
            piece.pad_right(width - len(piece))
            piece.stylize_before(self.get_component_rich_style("log-view--mark"))
        self._highlight(piece, line, start, width)
        segments = [
            Segment(s.text, base + s.style if s.style else base)
            for s in piece.render(self.app.console)
        ]
        return Strip(segments).crop_extend(0, width, base)

    def _text(self, line: int) -> Text:
        text = self._texts.get(line)
        if text is None:
            raw = self.lines[line]
            text = Text.from_ansi(raw, end="") if "\x1b" in raw else Text(raw, end="")
            self._texts[line] = text
            if len(self._texts) > _CACHE:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(line)
        return text

    def _highlight(self, piece: Text, line: int, start: int, width: int) -> None:
        if not self.matches or not self.query_text:
            return
        size = len(self.query_text)
        first = bisect.bisect_left(self.matches, (line, 0))
        current = self.matches[self.current] if self.current >= 0 else None
        for n in range(first, len(self.matches)):
            at_line, col = self.matches[n]
            if at_line != line or col >= start + width:
                break
            if col + size <= start:
                continue
            name = "log-view--current" if (at_line, col) == current else "log-view--match"
            style: Style = self.get_component_rich_style(name)
            piece.stylize(style, max(col - start, 0), min(col + size - start, width))
