"""60 s of live refresh through 30% throttling and 10% HTTP 500 (``bench/soak.py``
runs the 10-minute version): no crash, and the table converges to the emulator."""

from __future__ import annotations

import os

import pytest

from bench.soak import soak

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("MPIB_SOAK_SECONDS", "60"))


async def test_soak_converges_without_crashing() -> None:
    report = await soak(SECONDS)
    print("\n".join(report.lines()))
    assert not report.crashed and report.unexpected_errors == 0
    assert sum(report.faults.values()) > 0.2 * report.calls  # the faults really fired
    assert report.refreshes_ok > SECONDS / 2 / 4  # it kept working through them
    assert report.converged_after is not None, report.lines()
    assert not (report.missing or report.extra or report.wrong_status or report.duplicates)
