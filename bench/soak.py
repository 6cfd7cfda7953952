"""Soak: live refresh through 30% throttling and 10% HTTP 500, then convergence.

The app runs headless against the emulator with the settings mpib ships
(standard retries, 3 attempts), refreshing every 2 s, while the emulator
throws ThrottlingException at 30% of calls and InternalServerErrorException at
10%, and the world moves on (new builds start, running builds finish) at 30x
speed. Then the faults stop, and the table must become exactly the emulator's
builds (same ids, same statuses, no duplicates) without anyone pressing a key.

``uv run python -m bench.soak [SECONDS]`` (600 by default); the test suite
runs 60 s of it (``tests/test_soak.py``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import sys
import time
from dataclasses import dataclass, field

from textual.widgets import Static

from api.emulator import Emulator
from api.emulator.scenario import pick, seed_history
from tui.app import MpibApp
from tui.demo import demo_settings
from tui.screens.builds import BuildsScreen

THROTTLE, ERRORS, INTERVAL, SPEEDUP = 0.30, 0.10, 2.0, 30.0


@dataclass
class SoakReport:
    """What happened, for the note and the test."""

    seconds: float = 0.0
    calls: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    refreshes_ok: int = 0
    builds_started: int = 0
    throttled_seen: int = 0
    """Seconds in which the status bar said it was throttled or backing off."""
    unexpected_errors: int = 0
    crashed: bool = False
    converged_after: float | None = None
    missing: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)
    wrong_status: set[str] = field(default_factory=set)
    duplicates: int = 0

    def lines(self) -> list[str]:
        """The report as a few lines of text."""
        injected = sum(self.faults.values())
        return [
            f"soak {self.seconds:.0f} s: {self.calls} API calls, {injected} faults injected "
            f"({', '.join(f'{k} {v}' for k, v in sorted(self.faults.items()))})",
            f"  refreshes that succeeded: {self.refreshes_ok}; builds started meanwhile: "
            f"{self.builds_started}; seconds the status bar showed trouble: "
            f"{self.throttled_seen}",
            f"  crashed: {self.crashed}; unexpected errors: {self.unexpected_errors}",
            f"  converged {self.converged_after:.1f} s after the faults stopped"
            if self.converged_after is not None
            else "  did NOT converge",
            f"  final diff: missing {len(self.missing)}, extra {len(self.extra)}, "
            f"wrong status {len(self.wrong_status)}, duplicates {self.duplicates}",
        ]


def _diff(emulator: Emulator, screen: BuildsScreen, report: SoakReport) -> bool:
    emulator.world.settle()
    truth = {r.build_id: r.status for r in emulator.world.records}
    shown = screen.table.row_ids
    report.duplicates = len(shown) - len(set(shown))
    ids = set(shown)
    report.missing = set(truth) - ids
    report.extra = ids - set(truth)
    report.wrong_status = {
        i
        for i in ids & set(truth)
        if (build := screen.index.get(i)) is None or build.raw_status != truth[i]
    }
    return not (report.missing or report.extra or report.wrong_status or report.duplicates)


async def soak(seconds: float, converge_within: float = 45.0) -> SoakReport:
    """Run the soak; returns the report (never raises for a failed convergence)."""
    report = SoakReport(seconds=seconds)
    emulator = Emulator()
    world = emulator.world
    world.config.max_running = 40
    seed_history(world, 300, running=12)
    await emulator.start()
    settings = dataclasses.replace(demo_settings(emulator.endpoint), max_attempts=3)
    app = MpibApp(settings, refresh_seconds=INTERVAL)
    rng = random.Random(7)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while not (isinstance(app.screen, BuildsScreen) and app.screen.state.last_ok):
                await pilot.pause(0.05)
            screen = app.screen
            emulator.faults.throttle_rate, emulator.faults.error_rate = THROTTLE, ERRORS
            last_ok = screen.state.last_ok
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                await asyncio.sleep(1.0)
                world.advance(SPEEDUP)  # builds finish sooner
                if rng.random() < 0.3 and len(world.running) < world.config.max_running:
                    offerings, image, name = pick(rng)
                    world.add_build(offerings=offerings, image=image, name=name)
                    report.builds_started += 1
                status = str(screen.query_one("#status-bar", Static).content)
                if "throttled" in status or "error" in status or "retrying" in status:
                    report.throttled_seen += 1
                if screen.state.last_ok != last_ok:
                    report.refreshes_ok += 1
                    last_ok = screen.state.last_ok
                if not app.is_running:
                    report.crashed = True
                    break
            report.faults = dict(emulator.faults.fired)
            report.calls = emulator.count()
            emulator.faults.throttle_rate = emulator.faults.error_rate = 0.0
            stopped = time.monotonic()
            while time.monotonic() - stopped < converge_within:
                if _diff(emulator, screen, report):
                    report.converged_after = time.monotonic() - stopped
                    break
                await asyncio.sleep(0.25)
            report.unexpected_errors = sum(
                1 for n in app._notifications if n.title == "Unexpected error"
            )
            report.crashed = report.crashed or not app.is_running
    finally:
        await emulator.stop()
    return report


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 600.0
    for line in asyncio.run(soak(seconds)).lines():
        print(line)


if __name__ == "__main__":
    main()
