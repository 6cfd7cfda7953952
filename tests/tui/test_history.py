"""A product's recent history: success rate and duration sparkline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.builds import Build, BuildStatus, Product
from tui.history import history_of, history_text, sparkline

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def build(n: int, status: BuildStatus, minutes: int, product: str = "prod-a") -> Build:
    return Build(
        build_id=f"b{n}",
        status=status,
        raw_status=status.value,
        products=(Product(id=product, title="NGINX Plus"),),
        start_time=T0 + timedelta(hours=n),
        last_update_time=T0 + timedelta(hours=n, minutes=minutes),
    )


def test_sparkline_scales_between_low_and_high() -> None:
    assert sparkline([]) == ""
    assert sparkline([5, 5]) == "▁▁"
    assert sparkline([0, 50, 100]) == "▁▄█"


def test_history_counts_the_products_finished_builds() -> None:
    builds = [
        build(5, BuildStatus.IN_PROGRESS, 1),
        build(4, BuildStatus.FAILED, 40),
        build(3, BuildStatus.SUCCEEDED, 10),
        build(2, BuildStatus.SUCCEEDED, 20, product="prod-b"),
        build(1, BuildStatus.SUCCEEDED, 30),
    ]
    history = history_of(builds[0], builds)
    assert history is not None
    assert (history.finished, history.succeeded) == (3, 2)
    assert history.durations == (1800.0, 600.0, 2400.0)  # oldest first
    text = history_text(history).plain
    assert "3 finished, 67% succeeded" in text and "durations ▅▁█" in text
