"""FilterScreen: the filter form as a modal card, for terminals too narrow to dock it.

On wide terminals the same :class:`FilterForm` is docked beside the table by
the builds screen instead; this screen only gives it a centred home and turns
its messages into a dismiss result.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.screen import ModalScreen

from api.builds import BuildFilter
from tui.widgets.filter_form import FilterCheck, FilterForm


class FilterScreen(ModalScreen[BuildFilter | None]):
    """Edit the service-side filter; dismisses with the new filter, or None."""

    def __init__(self, current: BuildFilter, check: FilterCheck) -> None:
        super().__init__()
        self.current = current
        self.check = check

    def compose(self) -> ComposeResult:
        yield FilterForm(self.current, self.check, id="filter-card")

    @on(FilterForm.Applied)
    def _applied(self, message: FilterForm.Applied) -> None:
        self.dismiss(message.build_filter)

    @on(FilterForm.Cancelled)
    def _cancelled(self) -> None:
        self.dismiss(None)
