"""Unexpected failures in workers become a notification and a log line, not a dead app.

Every worker in mpib runs with ``exit_on_error=False`` and handles the errors
it expects (:class:`api.errors.ApiError`); anything else is a bug. Widgets and
screens that run workers mix in :class:`ReportsWorkerErrors`, so such a bug is
reported once, with its traceback in the ``--log-file``, and the app carries on.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from tui.debug_log import LOGGER


class ReportsWorkerErrors:
    """Mixin for a DOM node whose workers may fail unexpectedly."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker ended in error: say so, log the traceback, keep going."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        LOGGER.error("worker %s failed", event.worker.name, exc_info=error)
        app = event.worker.node.app
        app.notify(
            f"Something went wrong ({type(error).__name__}: {error}). mpib carries on; "
            "run with --log-file to record the details.",
            title="Unexpected error",
            severity="error",
            markup=False,
        )
