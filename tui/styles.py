"""Where the ``.tcss`` files are: ``tui/styles`` in an installed wheel (hatchling
force-includes the top-level ``styles/`` there), ``../styles`` in a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
STYLES_DIR = next(
    (p for p in (_HERE / "styles", _HERE.parent / "styles") if p.is_dir()), _HERE / "styles"
)


def style(name: str) -> Path:
    """Absolute path of one stylesheet, e.g. ``style("app.tcss")``."""
    return STYLES_DIR / name
