"""FilterForm: the service's DescribeBuilds filters as a form.

One widget, two homes: docked beside the table on wide terminals (so the
list stays in view while the filter is edited) and inside a modal card on
narrow ones (:class:`tui.screens.filters.FilterScreen`). Status checkboxes
and id fields take several values, comma or space separated. Bad input is
answered next to its field and nothing typed is lost; before the form says
``Applied``, the filter is tried against the service (one call of one build),
so an InvalidFilterException is shown here too and the table is kept until a
filter the service accepts is applied.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label

from api import rules
from api.builds import BuildFilter, BuildStatus
from tui.crash import ReportsWorkerErrors
from tui.widgets.field_message import FieldMessage

FilterCheck = Callable[[BuildFilter], Awaitable[str | None]]
"""Tries a filter against the service; returns the problem, or None."""

_FIELDS = (
    ("build-ids", "Build id(s)", "build id"),
    ("product-ids", "Product id(s)", "product id"),
    ("fo-ids", "Fulfillment option id(s)", "fulfillment option id"),
)

TITLE = "Filter builds (server-side)"


class FilterForm(ReportsWorkerErrors, Vertical):
    """Edit the service-side filter; posts ``Applied`` or ``Cancelled``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+r", "clear", "Clear all"),
    ]

    class Applied(Message):
        """The service accepted this filter: list with it."""

        def __init__(self, build_filter: BuildFilter) -> None:
            super().__init__()
            self.build_filter = build_filter

    class Cancelled(Message):
        """Closed without changing the filter."""

    def __init__(self, current: BuildFilter, check: FilterCheck, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, classes="form")
        self.current = current
        self.check = check

    def compose(self) -> ComposeResult:
        yield Label("Status")
        with Horizontal(id="statuses"):
            for status in BuildStatus:
                yield Checkbox(
                    status.filter_value,
                    status in self.current.statuses,
                    id=f"status-{status.filter_value}",
                )
        values = {
            "build-ids": self.current.build_ids,
            "product-ids": self.current.product_ids,
            "fo-ids": self.current.fulfillment_option_ids,
        }
        for key, label, _ in _FIELDS:
            yield Label(label)
            yield Input(", ".join(values[key]), placeholder="comma or space separated", id=key)
            yield FieldMessage(id=f"{key}-error")
        yield FieldMessage(id="service-error")
        with Horizontal(id="filter-buttons"):
            yield Button("Apply", variant="primary", id="apply")
            yield Button("Clear all", id="clear")
            yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.border_title = TITLE
        self.border_subtitle = "ctrl+s apply · esc cancel"
        self.focus_first()  # here, once the children exist (not from outside, too early)

    def focus_first(self) -> None:
        """Put the cursor on the first checkbox."""
        self.query(Checkbox).first().focus()

    def _read(self) -> BuildFilter | None:
        """The filter in the form, or None after showing what is wrong."""
        problems = False
        found: dict[str, tuple[str, ...]] = {}
        for key, _, kind in _FIELDS:
            values = rules.split_values(self.query_one(f"#{key}", Input).value)
            if key == "build-ids":
                problem = rules.build_ids_problem(values)
            else:
                problem = rules.filter_values_problem(kind, values)
            self._say(f"#{key}-error", problem)
            problems = problems or problem is not None
            found[key] = values
        if problems:
            return None
        statuses = tuple(
            s for s in BuildStatus if self.query_one(f"#status-{s.filter_value}", Checkbox).value
        )
        return BuildFilter(
            build_ids=found["build-ids"],
            product_ids=found["product-ids"],
            fulfillment_option_ids=found["fo-ids"],
            statuses=statuses,
        )

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_apply(self) -> None:
        """Check the form, then the service; say Applied only when both accept it."""
        build_filter = self._read()
        if build_filter is not None:
            self._try(build_filter)

    @work(group="filter-check", exclusive=True, exit_on_error=False)
    async def _try(self, build_filter: BuildFilter) -> None:
        self._say("#service-error", "checking with the service…", style="dim")
        problem = await self.check(build_filter)
        if problem is None:
            self._say("#service-error", None)
            self.post_message(self.Applied(build_filter))
        else:
            self._say("#service-error", problem)

    def _say(self, selector: str, message: str | None, style: str = "red") -> None:
        """Show (or hide, for None) the message under a field."""
        self.query_one(selector, FieldMessage).say(message, style)

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        """Empty every field and checkbox (apply to list all builds)."""
        for checkbox in self.query(Checkbox):
            checkbox.value = False
        for field in self.query(Input):
            field.value = ""
        for error in self.query(FieldMessage):
            error.say(None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.post_message(self.Cancelled())
