"""BuildsTable: a virtual table over a BuildIndex, painting only the visible rows.

Textual's DataTable re-lays out every row (about 10 s for 100,000 here) and
sorts by cell values, not by the data behind them. This widget keeps an ordered
list of build ids and renders lines on demand through the line API (as
toolong's LogLines does), so a refresh that changes three builds repaints
three rows, sorting uses the real timestamps, and the cursor follows a build
id, not a row number.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
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

from api.builds import Build
from api.index import BuildIndex, Changes
from tui.columns import COLUMNS_BY_KEY, GAP, Column, fit

FLASH_SECONDS = 2.0
"""How long a row that changed on refresh stays highlighted."""


class BuildsTable(ScrollView, can_focus=True):
    """Every build of a :class:`BuildIndex`, one row each, keyed by BuildId."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "builds-table--header",
        "builds-table--cursor",
        "builds-table--flash",
        "builds-table--sorted",
    }
    DEFAULT_CSS = """
    BuildsTable {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    BuildsTable > .builds-table--header { background: $panel; text-style: bold; }
    BuildsTable > .builds-table--sorted { color: $accent; text-style: bold underline; }
    BuildsTable > .builds-table--cursor { background: $block-cursor-blurred-background; }
    BuildsTable:focus > .builds-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    BuildsTable > .builds-table--flash { background: $warning 30%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Detail"),
        Binding("o", "sort_next", "Sort"),
        Binding("O", "sort_reverse", "Reverse", show=False),
    ]

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another build."""

        table: BuildsTable
        build_id: str | None
        """The build under the cursor (None: the table is empty)."""

    @dataclass
    class Selected(Message):
        """Enter (or a click) on a build."""

        table: BuildsTable
        build_id: str
        """The chosen build."""

    @dataclass
    class SortChanged(Message):
        """The sort column or direction changed."""

        table: BuildsTable
        column: str
        """Key of the sort column."""
        reverse: bool
        """True for descending."""

    def __init__(
        self,
        index: BuildIndex,
        clock: Callable[[], float] = time.time,
        *,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id)
        self.index = index
        self.clock = clock
        self.sort_column = "started"
        self.sort_reverse = True
        self.matcher: Callable[[Build], bool] | None = None
        self._ids: list[str] = []
        self._cursor = 0
        self._cells: dict[str, dict[str, list[Segment]]] = {}
        """Rendered static cells per build, by column, for the current layout (cleared
        when the layout changes): a frame renders only the clock-driven cells again."""
        self._flash: dict[str, float] = {}
        self._layout: list[tuple[Column, int]] = fit(80)
        self._show_origin = False
        self.only_columns: tuple[str, ...] = ()
        """The config's ``columns``: which to show, in order (empty: all that fit)."""
        self._last_highlight: str | None = None
        self._painted_live: dict[str, tuple[str, ...]] = {}
        self.marked: set[str] = set()
        """Builds shown with a watch mark (the screen shares its watch list here)."""

    # --- data -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Rows shown (after any search narrowing)."""
        return len(self._ids)

    @property
    def row_ids(self) -> list[str]:
        """Build ids in display order."""
        return self._ids

    @property
    def cursor_row(self) -> int:
        """Row index of the cursor."""
        return self._cursor

    @property
    def cursor_id(self) -> str | None:
        """BuildId under the cursor."""
        return self._ids[self._cursor] if self._ids else None

    @property
    def columns(self) -> list[str]:
        """Keys of the columns that fit the current width."""
        return [c.key for c, _ in self._layout]

    def apply(self, changes: Changes, flash: bool = True) -> None:
        """Show what an index merge changed, keeping the cursor on its build.

        Rows are patched, never rebuilt: changed rows lose their cached cells
        and, if ``flash``, light up briefly; the order is recomputed only when
        rows came or went or a changed value is the one sorted by.
        """
        if not changes:
            return
        for build_id in changes.updated + changes.removed:
            self._cells.pop(build_id, None)
        for build_id in changes.removed:
            self._painted_live.pop(build_id, None)
        if flash:
            until = time.monotonic() + FLASH_SECONDS
            for build_id in changes.updated + changes.added:
                self._flash[build_id] = until
            self.set_timer(FLASH_SECONDS + 0.05, self.refresh)
        reorder = self._order_may_change() or self.matcher is not None
        if changes.added or changes.removed or (changes.updated and reorder):
            self.reorder()
        else:
            self.refresh()

    def reorder(self) -> None:
        """Recompute the row order (sort and search), keeping cursor and scroll."""
        keep = self.cursor_id
        top = round(self.scroll_y)
        offset = self._cursor - top
        self._ids = self._ordered()
        row = self._row_of(keep)
        self._cursor = row if row is not None else min(self._cursor, max(len(self._ids) - 1, 0))
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._ids) + 1)
        if top > 0:
            # Scrolled into the list: keep the cursor's build on the same screen line.
            self.scroll_to(y=max(0, self._cursor - offset), animate=False, immediate=True)
        # _move repaints; at the top it stays there, so new builds show above the cursor.
        self._move(self._cursor)

    def set_sort(self, column: str, reverse: bool) -> None:
        """Sort by a column key; the sort holds through every refresh."""
        if column not in COLUMNS_BY_KEY:
            raise ValueError(f"no column {column!r}")
        self.sort_column, self.sort_reverse = column, reverse
        self.reorder()
        self.post_message(self.SortChanged(self, column, reverse))

    def move_to(self, build_id: str) -> bool:
        """Put the cursor on a build (scrolling it into view); False if not shown."""
        row = self._row_of(build_id)
        if row is None:
            return False
        self._move(row)
        return True

    def tick(self) -> None:
        """Repaint the rows whose clock-driven cells ("3m ago", a running
        duration) would now read differently; usually a handful, often none."""
        now = self.clock()
        live = [column for column, _ in self._layout if column.live]
        top = round(self.scroll_y)
        for row, build_id in enumerate(self._ids[top : top + self.size.height]):
            build = self.index.get(build_id)
            if build is None:
                continue
            texts = tuple(column.cell(build, now).plain for column in live)
            if self._painted_live.get(build_id) != texts:
                self.refresh_line(top + row + 1)  # +1: the header line

    def _order_may_change(self) -> bool:
        return self.sort_column not in ("build", "source", "started", "product")

    def _ordered(self) -> list[str]:
        if self.matcher is None and self.sort_column == "started" and self.sort_reverse:
            return list(self.index.ids())  # the index's own order, newest first: no sort
        builds = self.index.builds()
        if self.matcher is not None:
            builds = [b for b in builds if self.matcher(b)]
        if self.sort_column == "started" and self.sort_reverse:
            return [b.build_id for b in builds]
        sort = COLUMNS_BY_KEY[self.sort_column].sort
        now = self.clock()
        builds.sort(key=lambda b: sort(b, now), reverse=self.sort_reverse)
        return [b.build_id for b in builds]

    def _row_of(self, build_id: str | None) -> int | None:
        if build_id is None:
            return None
        try:
            return self._ids.index(build_id)
        except ValueError:
            return None

    # --- cursor and keys --------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 2)

    def _move(self, row: int) -> None:
        """Put the cursor on ``row`` (clamped), scroll it into view, repaint."""
        if self._ids:
            self._cursor = max(0, min(row, len(self._ids) - 1))
            top = round(self.scroll_y)
            visible = max(1, self.size.height - 1)
            if self._cursor < top:
                self.scroll_to(y=self._cursor, animate=False, immediate=True)
            elif self._cursor >= top + visible:
                self.scroll_to(y=self._cursor - visible + 1, animate=False, immediate=True)
        self.refresh()
        self._post_highlight()

    def _post_highlight(self) -> None:
        current = self.cursor_id
        if current != self._last_highlight:
            self._last_highlight = current
            self.post_message(self.Highlighted(self, current))

    def action_cursor(self, delta: int) -> None:
        """Move the cursor by ``delta`` rows."""
        self._move(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        """Move a page up or down."""
        self._move(self._cursor + direction * self._page)

    def action_first(self) -> None:
        """Go to the first row."""
        self._move(0)

    def action_last(self) -> None:
        """Go to the last row."""
        self._move(len(self._ids) - 1)

    def action_select(self) -> None:
        """Open the build under the cursor."""
        if self.cursor_id is not None:
            self.post_message(self.Selected(self, self.cursor_id))

    def action_sort_next(self) -> None:
        """Sort by the next visible column."""
        keys = self.columns
        current = keys.index(self.sort_column) if self.sort_column in keys else -1
        column = keys[(current + 1) % len(keys)]
        self.set_sort(column, reverse=column in ("started", "updated", "duration"))

    def action_sort_reverse(self) -> None:
        """Flip the sort direction."""
        self.set_sort(self.sort_column, not self.sort_reverse)

    def on_click(self, event: events.Click) -> None:
        """A click on the header sorts by that column; on a row, moves there."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = 0
            for column, width in self._layout:
                if x <= offset.x < x + width + GAP:
                    reverse = not self.sort_reverse if column.key == self.sort_column else False
                    self.set_sort(column.key, reverse)
                    return
                x += width + GAP
            return
        row = round(self.scroll_y) + offset.y - 1
        if row < len(self._ids):
            if row == self._cursor and event.chain == 2:
                self.action_select()
            self._move(row)

    @property
    def show_origin(self) -> bool:
        """Whether the "Where" (profile/region) column is shown."""
        return self._show_origin

    @show_origin.setter
    def show_origin(self, value: bool) -> None:
        self._show_origin = value
        self._set_layout(fit(self.scrollable_content_region.width or 80, value, self.only_columns))
        self.refresh()

    def _set_layout(self, layout: list[tuple[Column, int]]) -> None:
        """Use new columns or widths; cells rendered for the old ones are dropped."""
        if layout != self._layout:
            self._layout = layout
            self._cells.clear()

    def on_resize(self, event: events.Resize) -> None:
        """Choose the columns that fit the new width."""
        width = self.scrollable_content_region.width
        self._set_layout(fit(width, self._show_origin, self.only_columns))
        self.virtual_size = Size(width, len(self._ids) + 1)
        self._move(self._cursor)

    # --- painting -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line 0 is the (fixed) header; the rest show rows from the scroll offset."""
        width = self.size.width
        base = self.rich_style
        if y == 0:
            return self._header(width)
        row = round(self.scroll_y) + y - 1
        if row >= len(self._ids):
            return Strip.blank(width, base)
        build_id = self._ids[row]
        build = self.index.get(build_id)
        if build is None:
            return Strip.blank(width, base)
        style = base
        if row == self._cursor:
            style = base + self.get_component_rich_style("builds-table--cursor")
        elif self._flash.get(build_id, 0.0) > time.monotonic():
            style = base + self.get_component_rich_style("builds-table--flash")
        mark = "•" if build_id in self.marked else " "
        return self._strip(self._row_cells(build), width, style, mark)

    def _header(self, width: int) -> Strip:
        header = self.get_component_rich_style("builds-table--header")
        sorted_style = self.get_component_rich_style("builds-table--sorted")
        cells = []
        for column, col_width in self._layout:
            label = column.label
            if column.key == self.sort_column:
                label += " ▼" if self.sort_reverse else " ▲"
                cells.append(self._render_cell(Text(label, style=sorted_style), col_width))
            else:
                cells.append(self._render_cell(Text(label), col_width))
        return self._strip(cells, width, self.rich_style + header)

    def _row_cells(self, build: Build) -> list[list[Segment]]:
        """Each shown column's rendered cell: static ones from the cache, live ones now."""
        cached = self._cells.setdefault(build.build_id, {})
        now = self.clock()
        cells: list[list[Segment]] = []
        live: list[str] = []
        for column, col_width in self._layout:
            if column.live:
                text = column.cell(build, now)
                live.append(text.plain)
                cells.append(self._render_cell(text, col_width))
                continue
            segments = cached.get(column.key)
            if segments is None:
                segments = cached[column.key] = self._render_cell(
                    column.cell(build, 0.0), col_width
                )
            cells.append(segments)
        self._painted_live[build.build_id] = tuple(live)
        return cells

    def _render_cell(self, text: Text, col_width: int) -> list[Segment]:
        cell = text.copy()
        cell.truncate(col_width, overflow="ellipsis", pad=True)
        return list(cell.render(self.app.console))

    def _strip(
        self, cells: list[list[Segment]], width: int, style: Style, mark: str = " "
    ) -> Strip:
        segments: list[Segment] = [Segment(mark, style)]
        gap = Segment(" " * GAP, style)
        for n, cell in enumerate(cells):
            if n:
                segments.append(gap)
            for segment in cell:
                segments.append(
                    Segment(segment.text, style + segment.style if segment.style else style)
                )
        return Strip(segments).crop_extend(0, width, style)
