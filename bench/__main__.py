"""``uv run python -m bench``: run every benchmark and print one table."""

from __future__ import annotations

from bench import monitor


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 100 else f"{value:.0f}"


def main() -> None:
    rows = monitor.first_paint() + monitor.refresh_cost()
    print(f"{'figure':<58} {'peer':>8} {'mpib':>8} {'ratio':>7}  peer is")
    for figure, peer, ours, peer_name in rows:
        ratio = f"{ours / peer:.2f}x" if peer and ours is not None else "-"
        print(f"{figure:<58} {_fmt(peer):>8} {_fmt(ours):>8} {ratio:>7}  {peer_name}")


if __name__ == "__main__":
    main()
