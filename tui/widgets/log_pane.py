"""LogPane: one log of one build, with its status line, search and follow.

Reading order: the tail (one request, so the end of a failed build's log is
on screen at once); earlier chunks when the user scrolls to the top; and,
while the build runs, new bytes every couple of seconds, with the view pinned
to the bottom while following. The pane re-describes the build now and then
to learn when it ends (then follow stops by itself) and to get a log URL for
a build that had none yet. Problems are one plain line in the pane; the text
already shown stays.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from api.build_logs import BuildLogs, Stream
from api.builds import Build
from api.errors import ApiError
from api.logs import LogReader, copy_clean
from tui.crash import ReportsWorkerErrors
from tui.widgets.log_view import LogView

FOLLOW_SECONDS = 2.0
"""How often new bytes are asked for while following."""
DESCRIBE_EVERY = 5
"""Re-describe the build every this many follow polls (to see it end)."""


class LogPane(ReportsWorkerErrors, Vertical):
    """The log view of one stream, and what it is doing."""

    def __init__(self, logs: BuildLogs, build: Build, stream: Stream, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id)
        self.logs = logs
        self.build = build
        self.stream = stream
        self.reader: LogReader | None = None
        self.following = build.is_running
        self.message = ""
        self._polls = 0
        self._timer: Timer | None = None
        self._loading_earlier = False

    def compose(self) -> ComposeResult:
        yield LogView(id=f"{self.id}-view")
        with Horizontal(classes="log-search"):
            yield Input(placeholder="search this log (Enter: keep, Esc: clear)", classes="log-find")
            yield Static(classes="log-count")
        yield Static(classes="log-status")

    @property
    def view(self) -> LogView:
        """The scrolling text."""
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self.query_one(".log-search").display = False
        self.load_tail()
        self._timer = self.set_interval(FOLLOW_SECONDS, self._poll, pause=not self.following)

    # --- loading ------------------------------------------------------------------------

    @work(group="log", exclusive=True, exit_on_error=False)
    async def load_tail(self) -> None:
        """The end of the log first."""
        self._say("loading the end of the log…")
        try:
            self.reader = self.logs.reader(self.build, self.stream)
            if self.reader is None:
                self._say(self._no_log())
                return
            text = await self.reader.tail()
        except ApiError as error:
            self._say(str(error), error=True)
            return
        if not self.reader.found:
            self._say(self._no_log())
            return
        self.view.append(text)
        self.view.action_bottom()
        self._say("")

    def _no_log(self) -> str:
        if self.build.is_running:
            return "No log yet: the installer has not written any. Waiting for it…"
        return "This build has no installer log."

    def reload(self) -> None:
        """Start again from the tail with a fresh URL."""
        self.view.clear()
        self.reader = None
        self.load_tail()

    def on_log_view_at_top(self) -> None:
        """Scrolled to the first loaded line: fetch the chunk before it."""
        if self.reader is not None and not self.reader.at_top and not self._loading_earlier:
            self._loading_earlier = True
            self.load_earlier()

    @work(group="log-earlier", exclusive=True, exit_on_error=False)
    async def load_earlier(self) -> None:
        """Prepend the previous chunk, keeping the view where it was."""
        assert self.reader is not None
        self._say("loading earlier lines…")
        try:
            text = await self.reader.earlier()
        except ApiError as error:
            self._say(str(error), error=True)
            return
        finally:
            self._loading_earlier = False
        self.view.prepend(text)
        self._say("")

    def _poll(self) -> None:
        if self.following:
            self.fetch_more()

    @work(group="log", exclusive=True, exit_on_error=False)
    async def fetch_more(self) -> None:
        """New bytes since the last fetch; every few polls, whether the build ended."""
        self._polls += 1
        try:
            if self._polls % DESCRIBE_EVERY == 0 or self.reader is None:
                fresh = await self.logs.describe(self.build.build_id)
                if fresh is not None:
                    self.build = fresh
                if self.reader is None:
                    self.reader = self.logs.reader(self.build, self.stream)
            text = await self.reader.more() if self.reader is not None else ""
        except ApiError as error:
            self._say(f"{error} Retrying…", error=True)
            return
        if text:
            self.view.append(text)
            if self.following:
                self.view.action_bottom()
        if not self.build.is_running:
            self.set_follow(False, ended=True)
        else:
            self._say("")

    # --- follow, save -------------------------------------------------------------------

    def set_follow(self, on: bool, ended: bool = False) -> None:
        """Follow (poll and stay at the bottom) or stop."""
        if on and not self.build.is_running:
            self._say(f"The build is {self.build.raw_status}: nothing more will be written.")
            return
        self.following = on
        if self._timer is not None:
            (self._timer.resume if on else self._timer.pause)()
        if on:
            self.view.action_bottom()
            self.fetch_more()
        if ended:
            self._say(f"The build ended ({self.build.raw_status}); follow stopped.")
        else:
            self._say("")

    def on_log_view_scrolled_up(self) -> None:
        """Moving up while following stops pinning to the bottom."""
        if self.following:
            self.set_follow(False)

    @work(group="log-save", exclusive=True, exit_on_error=False)
    async def save(self) -> None:
        """Write the whole log (sanitised, without colour) to a file in the current directory."""
        if self.reader is None:
            self.app.notify("There is no log to save yet.", severity="warning")
            return
        path = Path.cwd() / f"mpib-{self.build.build_id}-{self.stream}.log"
        self._say(f"saving to {path}…")
        written = 0
        try:
            with path.open("w", encoding="utf-8") as out:
                written = await copy_clean(self.reader, out.write)
        except ApiError as error:
            self._say(f"Saving failed: {error}", error=True)
            return
        except OSError as error:
            self._say(f"Cannot write {path}: {error.strerror}", error=True)
            return
        self._say("")
        self.app.notify(f"Saved {written:,} bytes to {path}", title="Log saved", markup=False)

    # --- status line --------------------------------------------------------------------

    def _say(self, message: str, error: bool = False) -> None:
        self.message = message
        status = Text()
        status.append(" stdout " if self.stream is Stream.STDOUT else " stderr ", "reverse")
        status.append(f" {len(self.view.lines):,} lines")
        if self.reader is not None and not self.reader.at_top:
            status.append(" (top: scroll up for more)", "dim")
        status.append("  ·  ")
        if self.following:
            status.append("following", "bold")
        else:
            status.append("not following", "dim")
        status.append(" (f)  w wrap  e error  / search  ctrl+s save", "dim")
        if message:
            status.append("\n")
            status.append(message, "red" if error else "")
        self.query_one(".log-status", Static).update(status)
