"""StartBuildScreen: the one action that spends money, made hard to get wrong.

Every field is checked as it is typed (the rules the service documents and the
emulator enforces, from :mod:`api.start_request`); Review stays disabled until
all of them pass. Review shows what will be built where and asks once more.
The call carries a ClientToken from :class:`api.idempotency.SubmissionTokens`:
submitting the same fields again after a failure reuses it, so however often
the user retries, at most one build starts. On a service error the form stays
open with everything typed and the sentence sits under the field it is about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label

from api import start_request as sr
from api.builds import StartBuildRequest
from api.errors import ApiError
from api.idempotency import SubmissionTokens
from tui.crash import ReportsWorkerErrors
from tui.screens.confirm_start import ConfirmStartScreen
from tui.widgets.field_message import FieldMessage

StartCall = Callable[[StartBuildRequest], Awaitable[str]]
"""Starts a build and returns its BuildId (raises :class:`ApiError`)."""

_FIELDS = (
    (sr.FO_IDS, "Fulfillment option id(s)", "fo-… (several: comma or space separated)"),
    (sr.SOURCE, "Source AMI id", "ami-0123456789abcdef0"),
    (sr.NAME, "Destination image name", "3-128 letters, digits, spaces, ()[]./-'@_"),
    (sr.DESCRIPTION, "Destination description (optional)", "up to 255 characters"),
    (sr.SNS, "SNS topic ARN (optional)", "arn:aws:sns:<region>:<account>:<topic>"),
)


class StartBuildScreen(ReportsWorkerErrors, ModalScreen[str | None]):
    """The start-build form; dismisses with the new BuildId, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "review", "Review"),
    ]

    def __init__(
        self,
        start: StartCall,
        where: str,
        initial: Mapping[str, str] | None = None,
        title: str = "Start a build",
        known_amis: Iterable[str] = (),
        known_fo_ids: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.start = start
        self.where = where
        self.initial = dict(initial or {})
        self.title_text = title
        self.tokens = SubmissionTokens()
        self._touched: set[str] = {k for k, v in self.initial.items() if v}
        self._suggest = {
            sr.SOURCE: SuggestFromList(sorted(set(known_amis))),
            sr.FO_IDS: SuggestFromList(sorted(set(known_fo_ids))),
        }
        self._sending = False
        self._service_problems: dict[str, str] = {}
        """What the service said about a field, shown until that field is edited."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="start-card", classes="form"):
            for name, label, placeholder in _FIELDS:
                yield Label(label)
                yield Input(
                    self.initial.get(name, ""),
                    placeholder=placeholder,
                    id=name,
                    suggester=self._suggest.get(name),
                )
                yield FieldMessage(id=f"{name}-error")
            yield FieldMessage(id="start-error")
            with Horizontal(id="start-buttons"):
                yield Button("Review…", variant="primary", id="review", disabled=True)
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        card = self.query_one("#start-card")
        card.border_title = self.title_text
        card.border_subtitle = "ctrl+s review · esc cancel"
        self._check()
        # A clone is usually renamed and sent; a new form starts at the top.
        self.field(sr.NAME if self.initial else sr.FO_IDS).focus()

    def field(self, name: str) -> Input:
        """The input of one submission field."""
        return self.query_one(f"#{name}", Input)

    def values(self) -> dict[str, str]:
        """What is typed, by field name."""
        return {name: self.field(name).value for name, _, _ in _FIELDS}

    # --- checking as the user types ------------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._touched.add(event.input.id)
            self._service_problems.pop(event.input.id, None)
        self._service_problems.pop("start", None)
        self._check()

    def _check(self, everything: bool = False) -> StartBuildRequest | None:
        """Show the problems of touched fields (all of them with ``everything``)."""
        check = sr.check_start(self.values())
        for name, _, _ in _FIELDS:
            shown = everything or name in self._touched
            problem = check.problems.get(name) if shown else None
            self._say(f"#{name}-error", problem or self._service_problems.get(name))
        self._say("#start-error", self._service_problems.get("start"))
        self.query_one("#review", Button).disabled = check.request is None or self._sending
        return check.request

    def _say(self, selector: str, message: str | None, style: str = "red") -> None:
        self.query_one(selector, FieldMessage).say(message, style)

    # --- review, confirm, send ---------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it reviews."""
        names = [name for name, _, _ in _FIELDS]
        if event.input.id == names[-1]:
            self.action_review()
        else:
            self.focus_next()

    @on(Button.Pressed, "#review")
    def action_review(self) -> None:
        """Show what will be built and ask once more (only when every field passes)."""
        if self._sending:
            return
        request = self._check(everything=True)
        if request is None:
            return
        request = self.tokens.stamp(request)
        self.app.push_screen(ConfirmStartScreen(request, self.where), self._confirmed(request))

    def _confirmed(self, request: StartBuildRequest) -> Callable[[bool | None], None]:
        def go(confirmed: bool | None) -> None:
            if confirmed:
                self._send(request)

        return go

    @work(group="start", exclusive=True, exit_on_error=False)
    async def _send(self, request: StartBuildRequest) -> None:
        self._sending = True
        self._service_problems.clear()
        self._check()
        self._say("#start-error", "starting the build…", style="dim")
        try:
            build_id = await self.start(request)
        except ApiError as error:
            self._failed(error)
        else:
            self.tokens.forget()
            self.dismiss(build_id)
        finally:
            self._sending = False
            if self.is_attached:
                self._check()

    def _failed(self, error: ApiError) -> None:
        """The sentence under its field (or at the bottom); everything typed stays."""
        message = str(error)
        if error.retryable:
            message += (
                " Review and start again to retry: the same request token is sent, "
                "so no second build can start."
            )
        if error.field in sr.FIELDS:
            self._service_problems[error.field] = message
            self.field(error.field).focus()
        else:
            self._service_problems["start"] = message

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without starting anything."""
        self.dismiss(None)
