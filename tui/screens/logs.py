"""LogsScreen: a build's stdout and stderr over the lower part of the table (``l``).

The table stays visible above (top bar and header), and Esc returns to it with
the cursor where it was. One tab per log; the keys act on the tab shown.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from api.build_logs import BuildLogs, Stream
from api.builds import Build
from tui.widgets.log_pane import LogPane


class LogsScreen(ModalScreen[None]):
    """Both logs of one build, tail first, following while it runs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("f", "follow", "Follow"),
        Binding("w", "wrap", "Wrap"),
        Binding("e", "error", "Next error"),
        Binding("slash", "search", "Search"),
        Binding("n", "match(1)", "Next match", show=False),
        Binding("N", "match(-1)", "Previous match", show=False),
        Binding("ctrl+s", "save", "Save"),
        Binding("o", "other", "stdout/stderr"),
        Binding("r", "reload", "Reload", show=False),
    ]

    def __init__(self, logs: BuildLogs, build: Build, stream: Stream = Stream.STDOUT) -> None:
        super().__init__()
        self.logs = logs
        self.build = build
        self.initial = stream

    def compose(self) -> ComposeResult:
        with Vertical(id="logs-card"):
            yield Static(id="logs-title")
            with TabbedContent(initial=f"tab-{self.initial}"):
                for stream in Stream:
                    with TabPane(stream.value, id=f"tab-{stream}"):
                        yield LogPane(self.logs, self.build, stream, id=f"log-{stream}")
        yield Footer()

    def on_mount(self) -> None:
        products = ", ".join(p.title or p.id or "?" for p in self.build.products)
        title = f" Logs of build {self.build.build_id} · {self.build.raw_status} · {products}"
        self.query_one("#logs-title", Static).update(Text(title))  # service text: never markup
        self.pane.view.focus()

    @property
    def pane(self) -> LogPane:
        """The pane of the tab shown."""
        active = self.query_one(TabbedContent).active or f"tab-{self.initial}"
        return self.query_one(f"#log-{active.removeprefix('tab-')}", LogPane)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.pane.view.focus()

    def action_close(self) -> None:
        """Back to the table; with the search box open, Esc clears it first."""
        find = self.pane.query_one(".log-find", Input)
        if find.has_focus or find.value:
            self._end_search(clear=True)
            return
        self.dismiss(None)

    def action_other(self) -> None:
        """Switch between stdout and stderr."""
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-stderr" if tabs.active == "tab-stdout" else "tab-stdout"

    def action_reload(self) -> None:
        """Read the log again from its tail (after a failure, say)."""
        self.pane.reload()

    def action_follow(self) -> None:
        """Toggle follow mode (new bytes every 2 s, pinned to the bottom)."""
        self.pane.set_follow(not self.pane.following)

    def action_wrap(self) -> None:
        """Wrap long lines, or scroll them sideways."""
        view = self.pane.view
        view.set_wrap(not view.wrap)

    def action_error(self) -> None:
        """Jump to the next line that looks like an error."""
        if self.pane.view.next_error() is None:
            self.notify("No line in the loaded log looks like an error.")

    def action_save(self) -> None:
        """Save the whole log to a file (path shown)."""
        self.pane.save()

    # --- search -------------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search box of the shown log."""
        self.pane.query_one(".log-search").display = True
        self.pane.query_one(".log-find", Input).focus()

    def action_match(self, direction: int) -> None:
        """n / N: the next or previous match."""
        if self.pane.view.next_match(direction) is not None:
            self._count()

    @on(Input.Changed, ".log-find")
    def _find(self, event: Input.Changed) -> None:
        self.pane.view.search(event.value)
        self._count()

    @on(Input.Submitted, ".log-find")
    def _found(self) -> None:
        self.pane.view.next_match(1)
        self._count()
        self.pane.view.focus()

    def _count(self) -> None:
        view = self.pane.view
        label = self.pane.query_one(".log-count", Static)
        if not view.query_text:
            label.update("")
        elif not view.matches:
            label.update("no match in the loaded lines")
        else:
            where = f"{view.current + 1}/" if view.current >= 0 else ""
            label.update(f"{where}{len(view.matches)} matches")

    def _end_search(self, clear: bool) -> None:
        find = self.pane.query_one(".log-find", Input)
        if clear:
            find.value = ""
            self.pane.view.search("")
            self.pane.query_one(".log-search").display = False
        self.pane.view.focus()
