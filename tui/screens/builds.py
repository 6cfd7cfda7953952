"""The builds screen: the live list a person watches for hours.

One worker streams the listing into the :class:`BuildIndex` page by page (the
first page is painted before the second is asked for); a timer, re-armed only
when the previous refresh has finished, runs :meth:`BuildsClient.refresh`,
which costs about two calls whatever the number of builds. Failures keep the
table, show in the status bar and back off; credential problems pause polling
until the user presses ``r``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from api.builds import Build, BuildFilter, BuildStatus, StartBuildRequest
from api.errors import ApiError, Kind
from api.index import BuildIndex, Changes
from tui.columns import STATUS_LOOK
from tui.crash import ReportsWorkerErrors
from tui.debug_log import LOGGER
from tui.history import History, history_of
from tui.refresh_state import RefreshState
from tui.search import SearchFields, compile_query
from tui.watch import WatchList
from tui.widgets.build_detail import BuildDetail
from tui.widgets.builds_table import BuildsTable

if TYPE_CHECKING:
    from api.build_logs import BuildLogs
    from api.client import BuildsClient
    from api.multi_client import MultiClient
    from tui.widgets.filter_form import FilterForm

READ_ONLY = "Read-only mode: starting builds is turned off (--read-only or MPIB_READ_ONLY)."

WIDE = 150
"""From this many columns on, the detail pane sits beside the table."""

DOCK_AT = 120
"""From this many columns on, the filter form docks beside the table (else a modal)."""


def filter_summary(build_filter: BuildFilter) -> str:
    """``status=failed,in-progress product=…`` for the top bar ('' for none)."""
    parts = []
    if build_filter.statuses:
        parts.append("status=" + ",".join(s.filter_value for s in build_filter.statuses))
    for name, values in (
        ("build", build_filter.build_ids),
        ("product", build_filter.product_ids),
        ("fo", build_filter.fulfillment_option_ids),
    ):
        if values:
            parts.append(f"{name}=" + ",".join(values))
    return " ".join(parts)


class BuildsScreen(ReportsWorkerErrors, Screen[None]):
    """Every build of the account (or of the filter), newest first, kept live."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "logs", "Logs"),
        Binding("m", "mark", "Watch", show=False),
        Binding("y", "copy_id", "Copy id", show=False),
        Binding("Y", "copy_ami", "Copy AMI", show=False),
        Binding("slash", "search", "Search"),
        Binding("f", "filter", "Filter"),
        Binding("s", "start", "Start"),
        Binding("c", "clone", "Clone", show=False),
        Binding("F", "clear_filter", "Clear filter", show=False),
        Binding("r", "refresh", "Refresh"),
        Binding("p", "pause", "Pause"),
        Binding("R", "relist", "Re-list all", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        client: BuildsClient | MultiClient | None,
        where: str,
        build_filter: BuildFilter,
        refresh_seconds: float,
        clock: Callable[[], float] = time.time,
        problem: ApiError | None = None,
        read_only: bool = False,
        columns: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.columns = columns
        self.read_only = read_only
        self.client = client
        self.where = where
        self.build_filter = build_filter
        self.clock = clock
        self.index = BuildIndex()
        self.state = RefreshState(interval=refresh_seconds)
        self.problem = problem
        self.search_fields = SearchFields()
        self._timer: Timer | None = None
        self._logs: BuildLogs | None = None
        self._prefetched: AsyncIterator[list[Build]] | None = None
        self.watching = WatchList()
        self._start_origin: str | None = None
        self._histories: dict[str | None, History | None] = {}
        """The pair a clone is started in (its source build's); None: the first."""
        self._status_text: str | None = None

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="top-bar")
        yield Static(id="banner")
        with Horizontal(id="main"):
            yield BuildsTable(self.index, self.clock, id="builds")
            yield BuildDetail(self.clock, id="detail-pane")
        with Horizontal(id="search-bar"):
            yield Input(
                placeholder="search: words or col:value (id status product ami name fo error)",
                id="search",
            )
            yield Static(id="search-count")
        yield Static(id="status-bar")
        yield Footer()

    @property
    def table(self) -> BuildsTable:
        """The builds table."""
        return self.query_one("#builds", BuildsTable)

    def prefetch(self) -> None:
        """Ask for the first page now (before this screen is even mounted)."""
        if self.client is not None and self.problem is None:
            self._prefetched = self.client.prefetch(self.build_filter)

    class BuildFinished(Message):
        """A watched build left InProgress (the app alerts the user)."""

        def __init__(self, build: Build) -> None:
            super().__init__()
            self.build = build

    def use_client(self, client: BuildsClient | MultiClient, where: str) -> None:
        """Watch through another client from now on (a region was added): list again."""
        self.client = client
        self.where = where
        self.table.show_origin = len(client.origins()) > 1
        self._paint_chrome()
        self.load(relist=True)

    def on_mount(self) -> None:
        self.table.only_columns = self.columns
        self.table.marked = self.watching.ids
        if self.client is not None:
            self.table.show_origin = len(self.client.origins()) > 1
        self.table.focus()
        self.set_interval(1.0, self._tick)
        self._paint_chrome()
        if self.problem is not None or self.client is None:
            if self.problem is not None:
                self.state.failed(self.problem)
            self._paint_chrome()
            return
        self.load()

    def on_resize(self) -> None:
        wide = self.size.width >= WIDE
        if wide and not self.has_class("-wide"):
            self.add_class("-wide")
            self._show_in_pane(self.index.get(self.table.cursor_id or ""))
        self.set_class(wide, "-wide")
        if self.size.width < DOCK_AT and self._dock is not None:
            self._close_dock()

    def _tick(self) -> None:
        """Once a second: live durations and 'updated Ns ago' move on.

        Only rows whose clock-driven cells now read differently are repainted:
        idle watching costs a few lines a second, not a screen.
        """
        self.table.tick()
        self._paint_status()

    def _paint_chrome(self) -> None:
        top = Text()
        top.append(" mpib ", style="bold reverse")
        top.append(f" {self.where}")
        counts = self.index.counts()
        for status in BuildStatus:
            glyph, style = STATUS_LOOK[status]
            top.append("  ")
            top.append(f"{glyph} {counts.get(status, 0)}", style=style)
        top.append(f"  {len(self.index)} builds")
        if self.read_only:
            top.append("  read-only", style="bold yellow")
        summary = filter_summary(self.build_filter)
        if summary:
            top.append("  filter: ", style="bold")
            top.append(summary)
        # One fixed line: no layout pass (a layout per update cost ~40 ms per page).
        self.query_one("#top-bar", Static).update(top, layout=False)
        self._paint_banner()
        self._paint_status()

    def _paint_banner(self) -> None:
        """Credential and configuration trouble gets a banner over the table, with the fix."""
        banner = self.query_one("#banner", Static)
        error = self.state.error
        if error is None or error.kind not in (Kind.CREDENTIALS, Kind.CONFIG):
            banner.display = False
            return
        text = Text()
        text.append(" ⚠ ", "bold")
        text.append(str(error))
        text.append(
            "\n   Polling is paused. Fix it, then press r: mpib reads the credentials "
            "again, no restart needed.",
            "dim",
        )
        banner.update(text)
        banner.display = True

    def _paint_status(self) -> None:
        text = self.state.describe(self.clock())
        problems = self.client.problems if self.client is not None else {}
        if problems:  # a pair in trouble while the others go on
            text += " · " + "; ".join(
                f"{origin}: {error.kind.value}" for origin, error in problems.items()
            )
        if text == self._status_text:
            return
        self._status_text = text
        style = "red" if self.state.error or problems else ""
        self.query_one("#status-bar", Static).update(Text(text, style=style), layout=False)

    def _apply(self, changes: Changes, flash: bool) -> None:
        if changes:
            self._histories.clear()
            # Index the new text for search now, a page at a time, not on the first key.
            for build_id in changes.added + changes.updated:
                build = self.index.get(build_id)
                if build is not None:
                    self.search_fields.of(build)
            self.table.apply(changes, flash=flash)
            for build in self.watching.finished(self.index, changes):
                self.post_message(self.BuildFinished(build))
            self._paint_chrome()
            pane = self.query_one("#detail-pane", BuildDetail)
            if pane.build is not None and pane.build.build_id in changes.updated:
                self._show_in_pane(self.index.get(pane.build.build_id))

    # --- loading and refreshing ---------------------------------------------------------

    @work(group="load", exclusive=True, exit_on_error=False)
    async def load(self, relist: bool = False) -> None:
        """Stream the listing into the table; with ``relist``, drop what is gone.

        The table is never cleared: pages merge into the index and rows are
        patched, so a re-list keeps the cursor where it was.
        """
        if self.client is None:
            return
        self._cancel_timer()
        self.state.loading, self.state.loaded = True, 0
        seen: set[str] = set()
        first = not self.index
        try:
            pages, self._prefetched = self._prefetched, None
            async for page in pages or self.client.stream(self.build_filter):
                seen.update(b.build_id for b in page)
                self.state.loaded = len(seen)
                self._apply(self.index.upsert(page), flash=not first)
                self._paint_status()
                # The builds live as long as the app: take them out of the cyclic GC's
                # sight, or each full collection walks them all (60-125 ms stalls at 10k).
                gc.freeze()
            if relist:
                self._apply(
                    self.index.remove([i for i in self.index.ids() if i not in seen]), flash=False
                )
            self.state.succeeded(self.clock())
            self.watching.seed(self.index)
            delay: float | None = self.state.interval
        except ApiError as error:
            LOGGER.info("listing failed: %s (%s)", error, error.code or error.kind.value)
            delay = self.state.failed(error)
        finally:
            self.state.loading = False
        self._schedule(delay)
        self._paint_chrome()

    @work(group="refresh", exclusive=True, exit_on_error=False)
    async def refresh_builds(self) -> None:
        """One refresh tick; schedules the next when it is done (never overlapping)."""
        if self.client is None:
            return
        try:
            changes = await self.client.refresh(self.index, self.build_filter)
        except ApiError as error:
            LOGGER.info("refresh failed: %s (%s)", error, error.code or error.kind.value)
            self._schedule(self.state.failed(error))
        else:
            self.state.succeeded(self.clock())
            self._apply(changes, flash=True)
            self._schedule(self.state.interval)
        self._paint_chrome()

    @work(group="load", exclusive=True, exit_on_error=False)
    async def reconnect(self) -> None:
        """New credentials from the chain, then list again."""
        if self.client is None:
            return
        try:
            await self.client.reconnect()
        except ApiError as error:
            self.state.failed(error)
            self._paint_chrome()
            return
        self.state.error = None
        self._paint_chrome()
        self.load(relist=True)

    def _schedule(self, delay: float | None) -> None:
        self._cancel_timer()
        if delay is None or not self.state.live:
            self.state.next_due = None
            return
        self.state.next_due = self.clock() + delay
        self._timer = self.set_timer(delay, self._due)

    def _due(self) -> None:
        self._timer = None
        if self.state.live and not self.state.loading:
            self.refresh_builds()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    # --- actions ------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Refresh now (and resume if polling was paused by an error).

        After a credentials error the credential chain is read again first,
        so logging in again elsewhere (``aws sso login``) is all it takes.
        """
        if self.state.error is not None:
            self.state.paused = False
            if self.state.error.kind in (Kind.CREDENTIALS, Kind.CONFIG):
                self.reconnect()
                return
        if self.state.loading:
            return
        if not self.index and self.state.last_ok is None:
            self.load()
        else:
            self._cancel_timer()
            self.refresh_builds()

    def action_pause(self) -> None:
        """Pause or resume live refresh."""
        self.state.paused = not self.state.paused
        if self.state.paused:
            self._cancel_timer()
            self.state.next_due = None
        else:
            self._schedule(0 if self.state.error else self.state.interval)
        self._paint_status()

    def action_relist(self) -> None:
        """List everything again from the service (keeps the table and cursor)."""
        self.load(relist=True)

    def action_help(self) -> None:
        """Show every key binding."""
        from tui.screens.detail import DetailScreen
        from tui.screens.help import HelpScreen
        from tui.screens.logs import LogsScreen
        from tui.screens.start_build import StartBuildScreen

        self.app.push_screen(
            HelpScreen(
                [
                    ("Builds", self.BINDINGS),
                    ("Table", BuildsTable.BINDINGS),
                    ("Build detail", DetailScreen.BINDINGS),
                    ("Start-build form", StartBuildScreen.BINDINGS),
                    ("Logs", LogsScreen.BINDINGS),
                    ("Everywhere", self.app.BINDINGS),
                ]
            )
        )

    def palette_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """(title, help, callback) for the command palette: the same actions as the keys."""
        yield "Refresh now", "Ask the service for changes now (r)", self.action_refresh
        yield "Pause / resume live refresh", "Toggle polling (p)", self.action_pause
        yield "Re-list all builds", "List every build again (R)", self.action_relist
        yield "Sort by next column", "Cycle the sort column (o)", self.table.action_sort_next
        yield "Reverse sort", "Flip the sort direction (O)", self.table.action_sort_reverse
        yield "Show build detail", "Every field of the build (Enter)", self.table.action_select
        yield "Keys", "List every key binding (?)", self.action_help
        yield "Show logs", "The selected build's stdout and stderr (l)", self.action_logs
        yield "Search loaded builds", "Narrow the table as you type (/)", self.action_search
        yield "Filter builds", "Status and ids, sent to the service (f)", self.action_filter
        yield "Clear the filter", "Back to every build (F)", self.action_clear_filter
        yield "Watch the selected build", "Alert when it ends; again to stop (m)", self.action_mark
        yield "Copy the build id", "To the clipboard, over ssh too (y)", self.action_copy_id
        yield "Copy the new AMI id", "To the clipboard, over ssh too (Y)", self.action_copy_ami
        if not self.read_only:
            yield "Start a build", "Install products on an AMI (s)", self.action_start
            yield "Clone the selected build", "Start it again, pre-filled (c)", self.action_clone

    # --- watching and copying -------------------------------------------------------

    def action_mark(self) -> None:
        """Watch the selected build (alert when it ends), or stop watching it."""
        build_id = self.table.cursor_id
        build = self.index.get(build_id or "")
        if build_id is None or build is None:
            return
        if build_id not in self.watching.ids and not build.is_running:
            self.notify(f"Build {build_id[:8]} has already ended ({build.raw_status}).")
            return
        watched = self.watching.toggle(build_id)
        self.table.refresh()
        self.notify(f"{'Watching' if watched else 'Stopped watching'} build {build_id[:8]}")

    def action_copy_id(self) -> None:
        """Copy the selected build's id (OSC 52: works over ssh)."""
        if self.table.cursor_id:
            self.post_message(self.Copy(self.table.cursor_id, "build id"))

    def action_copy_ami(self) -> None:
        """Copy the selected build's new AMI id."""
        build = self.index.get(self.table.cursor_id or "")
        if build is None:
            return
        if not build.destination_image.id:
            self.notify("This build has no AMI yet.", severity="warning")
            return
        self.post_message(self.Copy(build.destination_image.id, "AMI id"))

    class Copy(Message):
        """Put text on the user's clipboard (the app knows the terminal)."""

        def __init__(self, text: str, what: str) -> None:
            super().__init__()
            self.text = text
            self.what = what

    # --- logs ---------------------------------------------------------------------------

    def action_logs(self) -> None:
        """The selected build's installer logs, tail first."""
        build = self.index.get(self.table.cursor_id or "")
        if build is None:
            self.notify("Select a build first.", severity="warning")
            return
        if self.client is None:
            self.notify("Not connected to the service.", severity="error")
            return
        from api.build_logs import BuildLogs, open_http
        from tui.screens.logs import LogsScreen  # imported on first use: start-up is shorter

        if self._logs is None:
            self._logs = BuildLogs(self.client, open_http())
        self.app.push_screen(LogsScreen(self._logs, build))

    async def on_unmount(self) -> None:
        """Close the log downloads' connection pool."""
        if self._logs is not None:
            await self._logs.http.close()

    # --- starting builds ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In read-only mode the start actions are hidden and do nothing."""
        return not (action in ("start", "clone") and self.read_only)

    def action_start(self, initial: dict[str, str] | None = None, title: str = "") -> None:
        """Open the start-build form (empty, or pre-filled by clone)."""
        if initial is None:
            self._start_origin = None  # a new build goes to the first pair
        if self.read_only:
            self.notify(READ_ONLY, severity="warning")
            return
        if self.client is None:
            self.notify("Not connected to the service.", severity="error")
            return
        from tui.screens.start_build import StartBuildScreen

        builds = list(self.index.builds())
        self.app.push_screen(
            StartBuildScreen(
                self._start_call,
                self.where,
                initial,
                title=title or "Start a build",
                known_amis=(b.source_image.id for b in builds if b.source_image.id),
                known_fo_ids=(i for b in builds for i in b.fulfillment_option_ids),
            ),
            self._started,
        )

    def action_clone(self) -> None:
        """Start the selected build again: the form pre-filled from it."""
        build = self.index.get(self.table.cursor_id or "")
        if build is None:
            self.notify("Select a build to clone first.", severity="warning")
            return
        from api.start_request import clone_fields

        now = datetime.fromtimestamp(self.clock(), UTC)
        self._start_origin = build.origin
        self.action_start(clone_fields(build, now), title=f"Clone build {build.build_id[:8]}")

    async def _start_call(self, request: StartBuildRequest) -> str:
        assert self.client is not None  # checked before the form opened
        return await self.client.start(request, self._start_origin)

    def _started(self, build_id: str | None) -> None:
        if build_id:
            self.notify(f"Started build {build_id}", title="Build started", markup=False)
            self.watching.ids.add(build_id)
            self._show_new(build_id)

    @work(group="new-build", exit_on_error=False)
    async def _show_new(self, build_id: str) -> None:
        """Put the new build in the table now (not at the next tick) and select it."""
        if self.client is None:
            return
        try:
            found = await self.client.describe([build_id])
        except ApiError:
            return  # the next refresh brings it
        if not found:
            return
        build = found[0]
        if not self.build_filter.matches(build):
            self.notify("The active filter hides the new build; F clears the filter.")
            return
        self._apply(self.index.upsert(found), flash=True)
        if not self.table.move_to(build_id):
            self.notify("The search hides the new build; Esc in the search box clears it.")

    # --- filters and search ---------------------------------------------------------

    @property
    def _dock(self) -> FilterForm | None:
        """The docked filter form, when it is open."""
        from tui.widgets.filter_form import FilterForm

        found = self.query("#filter-dock")
        return found.first(FilterForm) if found else None

    def action_filter(self) -> None:
        """Toggle the filter form, pre-filled with the active filter.

        Docked beside the table when the terminal is wide enough (the list
        stays in view), otherwise a modal card.
        """
        from tui.screens.filters import FilterScreen
        from tui.widgets.filter_form import FilterForm

        if self._dock is not None:
            self._close_dock()
        elif self.size.width >= DOCK_AT:
            dock = FilterForm(self.build_filter, self._check_filter, id="filter-dock")
            self.query_one("#main").mount(dock)
            self.add_class("-filtering")
        else:
            self.app.push_screen(
                FilterScreen(self.build_filter, self._check_filter), self._set_filter
            )

    def _close_dock(self) -> None:
        if self._dock is not None:
            self._dock.remove()
        self.remove_class("-filtering")
        self.table.focus()

    def on_filter_form_applied(self, message: FilterForm.Applied) -> None:
        """The docked form's filter was accepted by the service."""
        self._close_dock()
        self._set_filter(message.build_filter)

    def on_filter_form_cancelled(self) -> None:
        """Esc or Cancel in the docked form."""
        self._close_dock()

    def action_clear_filter(self) -> None:
        """Back to every build."""
        self._set_filter(BuildFilter())

    async def _check_filter(self, build_filter: BuildFilter) -> str | None:
        if self.client is None:
            return "not connected to the service"
        try:
            await self.client.check_filter(build_filter)
        except ApiError as error:
            return str(error)
        return None

    def _set_filter(self, build_filter: BuildFilter | None) -> None:
        """Apply a filter the service accepted: list again with it."""
        if build_filter is None or build_filter == self.build_filter:
            return
        self.build_filter = build_filter
        self.workers.cancel_group(self, "refresh")
        self._apply(self.index.clear(), flash=False)
        self.state.last_ok = None
        self._paint_chrome()
        self.load()

    def action_search(self) -> None:
        """Show the search box and type into it."""
        self.add_class("-searching")
        self.query_one("#search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Narrow the table on every keystroke (no service call)."""
        if event.input.id != "search":
            return
        count = self.query_one("#search-count", Static)
        try:
            matcher = compile_query(event.value, self.search_fields)
        except ValueError as error:
            count.update(Text(str(error), style="red"))
            return
        self.table.matcher = matcher
        self.table.reorder()
        shown, total = self.table.row_count, len(self.index)
        count.update("" if matcher is None else f"{shown} of {total} match")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter keeps the search and goes back to the table."""
        if event.input.id == "search":
            self.table.focus()

    def on_key(self, event: events.Key) -> None:
        """Esc in the search box clears it and hides it; s/c say why read-only refuses."""
        if self.read_only and event.key in ("s", "c") and not isinstance(self.focused, Input):
            event.stop()
            self.notify(READ_ONLY, severity="warning")
            return
        search = self.query_one("#search", Input)
        if event.key == "escape" and search.has_focus:
            event.stop()
            search.value = ""
            self.remove_class("-searching")
            self.table.focus()

    def on_builds_table_highlighted(self, message: BuildsTable.Highlighted) -> None:
        """Keep the side pane on the build under the cursor."""
        self._show_in_pane(self.index.get(message.build_id) if message.build_id else None)

    def _history(self, build: Build) -> History | None:
        """The build's product history, computed once per product until the builds change
        (moving the cursor must not scan every build each time)."""
        product = build.products[0].id if build.products else None
        if product not in self._histories:
            self._histories[product] = history_of(build, self.index.builds())
        return self._histories[product]

    def _show_in_pane(self, build: Build | None) -> None:
        """The side pane (wide terminals only: history costs a pass over the builds)."""
        if self.has_class("-wide"):
            history = self._history(build) if build else None
            self.query_one("#detail-pane", BuildDetail).show(build, history)

    def on_builds_table_selected(self, message: BuildsTable.Selected) -> None:
        """Enter: the build's every field."""
        from tui.screens.detail import DetailScreen

        build = self.index.get(message.build_id)
        if build is not None:
            self.app.push_screen(DetailScreen(build, self._history(build)))
