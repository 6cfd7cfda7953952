"""``uv run python -m bench``: run every benchmark and print one table."""

from __future__ import annotations

from bench import logs, monitor, search


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 100 else f"{value:.0f}"


def _bytecode_warning() -> None:
    import os
    from pathlib import Path

    import textual

    if not (Path(textual.__file__).parent / "__pycache__").is_dir():
        print(
            "note: no .pyc files in the venv (PYTHONDONTWRITEBYTECODE="
            f"{os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}); start-up figures include "
            "compiling every module. Run `uv sync --compile-bytecode` first for real figures."
        )


def main() -> None:
    _bytecode_warning()
    rows = (
        monitor.first_paint() + monitor.refresh_cost() + search.search_keystroke() + logs.log_tail()
    )
    print(f"{'figure':<58} {'peer':>8} {'mpib':>8} {'ratio':>7}  peer is")
    for figure, peer, ours, peer_name in rows:
        ratio = f"{ours / peer:.2f}x" if peer and ours is not None else "-"
        print(f"{figure:<58} {_fmt(peer):>8} {_fmt(ours):>8} {ratio:>7}  {peer_name}")


if __name__ == "__main__":
    main()
