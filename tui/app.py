"""MpibApp: owns the one long-lived service client and shows the builds screen.

Kept small on purpose (see DESIGN.md): screens and widgets live in their own
modules; the app only opens and closes the client and knows the settings.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from api.builds import BuildFilter
from api.client import BuildsClient
from api.errors import ApiError
from api.session import ClientSettings
from tui.screens.builds import BuildsScreen
from tui.styles import style


class MpibApp(App[int]):
    """The mpib terminal UI."""

    TITLE = "mpib"
    SUB_TITLE = "AWS Marketplace image builds"
    # Textual types CSS_PATH as a plain list attribute; ClassVar would not type-check.
    CSS_PATH = [str(style("app.tcss")), str(style("builds.tcss"))]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def __init__(
        self,
        settings: ClientSettings,
        build_filter: BuildFilter | None = None,
        refresh_seconds: float = 10.0,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.build_filter = build_filter or BuildFilter()
        self.refresh_seconds = refresh_seconds
        self.read_only = read_only
        self.client: BuildsClient | None = None
        self.client_error: ApiError | None = None
        self._stack = contextlib.AsyncExitStack()

    async def on_mount(self) -> None:
        """Open the client once for the app's lifetime, then show the builds."""
        try:
            self.client = await self._stack.enter_async_context(BuildsClient.open(self.settings))
        except ApiError as error:
            self.client_error = error
        self.push_screen(BuildsScreen())

    async def on_unmount(self) -> None:
        """Close the client (and its HTTP connection pool)."""
        await self._stack.aclose()
