"""MpibApp: owns the one long-lived service client and shows the builds screen.

Kept small on purpose (see DESIGN.md): screens and widgets live in their own
modules; the app only opens and closes the client and knows the settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from api.builds import BuildFilter, BuildStatus
from api.client import BuildsClient
from api.errors import ApiError
from api.multi_client import MultiClient, origin_label
from api.session import ClientSettings
from tui.config import Alerts
from tui.screens.builds import BuildsScreen
from tui.styles import style
from tui.terminal_seq import for_terminal, osc9_notify, osc52_copy, osc777_notify

STYLESHEETS = (
    "app.tcss",
    "builds.tcss",
    "detail.tcss",
    "help.tcss",
    "filters.tcss",
    "start.tcss",
    "logs.tcss",
)


class MpibApp(App[int]):
    """The mpib terminal UI."""

    TITLE = "mpib"
    SUB_TITLE = "AWS Marketplace image builds"
    # Textual types CSS_PATH as a plain list attribute; ClassVar would not type-check.
    CSS_PATH = [str(style(name)) for name in STYLESHEETS]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "quit", "Quit", show=False),
        Binding("ctrl+r", "add_region", "Add region", show=False),
        Binding("ctrl+p", "command_palette", "Palette", show=False),
    ]

    def __init__(
        self,
        settings: ClientSettings,
        build_filter: BuildFilter | None = None,
        refresh_seconds: float = 10.0,
        read_only: bool = False,
        clock: Callable[[], float] = time.time,
        session: Any = None,
        alerts: Alerts | None = None,
        theme: str | None = None,
        more_settings: Sequence[ClientSettings] = (),
        columns: tuple[str, ...] = (),
    ) -> None:
        # NO_COLOR: Textual's default still paints greys; with ANSI colours its
        # NoColor filter drops colour entirely (statuses stay readable: glyph + word).
        super().__init__(ansi_color="NO_COLOR" in os.environ)
        self.alerts = alerts or Alerts()
        self.more_settings = list(more_settings)
        self.columns = columns
        """Further (profile, region) pairs to watch in the same table."""
        self.sequences_sent: deque[str] = deque(maxlen=64)
        """The last sequences written (headless runs have no terminal to look at)."""
        if theme:
            if theme not in self.available_themes:
                known = ", ".join(sorted(self.available_themes))
                raise ValueError(f"no theme {theme!r}; choose one of: {known}")
            self.theme = theme
        self.session = session
        """An aiobotocore session already made (and checked) by the caller, if any."""
        self.settings = settings
        self.build_filter = build_filter or BuildFilter()
        self.refresh_seconds = refresh_seconds
        self.read_only = read_only
        self.clock = clock
        self.client: BuildsClient | MultiClient | None = None
        self._stack = contextlib.AsyncExitStack()

    def where(self) -> str:
        """``demo emulator · us-east-1`` or ``profile prod · eu-west-1 · <endpoint>``."""
        if self.settings.is_demo:
            return f"demo emulator · {self.client.region if self.client else '?'}"
        if isinstance(self.client, MultiClient):
            return "watching " + ", ".join(self.client.origins())
        parts = [f"profile {self.settings.profile or 'default'}"]
        if self.client is not None:
            parts.append(self.client.region)
            if self.settings.endpoint_url or "amazonaws.com" not in self.client.endpoint:
                parts.append(self.client.endpoint)
        return " · ".join(parts)

    async def on_mount(self) -> None:
        """Open the client once for the app's lifetime, then show the builds.

        SIGTERM and SIGHUP (the ssh session went away) end the app the normal
        way, so the terminal is restored and the client closed.
        """
        gc.freeze()  # modules and styles loaded at start-up stay: keep the GC off them
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.exit)
        problem: ApiError | None = None
        try:
            if self.more_settings:
                self.client = await self._stack.enter_async_context(
                    MultiClient.open([self.settings, *self.more_settings])
                )
            else:
                self.client = await self._stack.enter_async_context(
                    BuildsClient.open(self.settings, self.session)
                )
        except ApiError as error:
            problem = error
        screen = BuildsScreen(
            self.client,
            self.where(),
            self.build_filter,
            self.refresh_seconds,
            clock=self.clock,
            problem=problem,
            read_only=self.read_only,
            columns=self.columns,
        )
        screen.prefetch()  # the first page is on its way while the screen composes
        self.push_screen(screen)

    # --- more regions, without restarting -------------------------------------------

    def action_add_region(self) -> None:
        """Ask for a region (or profile/region) to watch too (ctrl+r)."""
        from tui.screens.add_region import AddRegionScreen

        self.push_screen(AddRegionScreen(), self._add_region)

    def _add_region(self, answer: str | None) -> None:
        if answer:
            self._open_region(answer)

    @work(group="add-region", exclusive=True, exit_on_error=False)
    async def _open_region(self, answer: str) -> None:
        """Open a client for the pair and put its builds in the same table."""
        screen = next((s for s in self.screen_stack if isinstance(s, BuildsScreen)), None)
        if screen is None or self.client is None:
            return
        profile, _, region = answer.rpartition("/")
        if profile:  # another profile: its own credentials and endpoint, from its config
            settings = ClientSettings(profile=profile, region=region)
        else:
            settings = dataclasses.replace(self.settings, region=region)
        client = self.client
        if isinstance(client, BuildsClient):
            client.origin = origin_label(client.settings, client.region)
            client = MultiClient([client])
        try:
            origin = await client.add(settings, self._stack)
        except ApiError as error:
            self.notify(str(error), title="Cannot add that region", severity="error", markup=False)
            return
        self.client = client
        screen.use_client(client, self.where())
        self.notify(f"Watching {origin} too.", markup=False)

    # --- reaching the person: clipboard and alerts ----------------------------------

    def write_sequence(self, sequence: str) -> None:
        """Write an escape sequence to the terminal (wrapped for tmux when inside it)."""
        wrapped = for_terminal(sequence)
        self.sequences_sent.append(wrapped)
        if self._driver is not None and not self.is_headless:
            self._driver.write(wrapped)

    def on_builds_screen_copy(self, message: BuildsScreen.Copy) -> None:
        """Copy through OSC 52, which reaches the local clipboard over ssh."""
        self._clipboard = message.text
        self.write_sequence(osc52_copy(message.text))
        self.notify(f"Copied {message.what} {message.text}", markup=False)

    def on_builds_screen_build_finished(self, message: BuildsScreen.BuildFinished) -> None:
        """A watched build ended: a toast, the bell, a desktop notification (as configured)."""
        build = message.build
        product = ", ".join(p.title or p.id or "?" for p in build.products) or "build"
        title = f"Build {build.build_id[:8]} {build.raw_status}"
        body = f"{product} -> {build.destination_image.id or build.destination_image.name or ''}"
        if self.alerts.toast:
            ok = build.status is BuildStatus.SUCCEEDED
            self.notify(
                body,
                title=title,
                severity="information" if ok else "error",
                markup=False,
                timeout=15,
            )
        if self.alerts.bell:
            self.write_sequence("\a")
        if self.alerts.desktop:
            self.write_sequence(osc9_notify(f"mpib: {title}: {body}"))
            self.write_sequence(osc777_notify(f"mpib: {title}", body))

    async def on_unmount(self) -> None:
        """Close the client (and its HTTP connection pool)."""
        await self._stack.aclose()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers the same actions as the keys."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, BuildsScreen):
            for title, help_text, callback in screen.palette_commands():
                yield SystemCommand(title, help_text, callback)
