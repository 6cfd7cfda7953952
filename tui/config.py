"""``~/.config/mpib/config.toml``: defaults a user sets once. Flags override it.

Example::

    refresh = 5              # seconds; 0 turns live refresh off
    region = "eu-west-1"     # or a list: ["eu-west-1", "us-east-1"]
    profile = "ops"
    theme = "nord"           # any Textual theme (ctrl+p, "theme" lists them)
    read_only = false
    columns = ["status", "build", "product", "started", "duration"]   # the table's, in order

    [alerts]                 # when a watched build ends
    toast = true             # a notification in mpib
    bell = true              # the terminal bell
    desktop = true           # OSC 9 / OSC 777 desktop notification (through tmux too)

A malformed file is one clear message naming the line, never a traceback.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KNOWN = {"refresh", "region", "profile", "theme", "read_only", "alerts", "columns"}
KNOWN_ALERTS = {"toast", "bell", "desktop"}


class ConfigError(Exception):
    """The config file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Alerts:
    """How a watched build's end is announced."""

    toast: bool = True
    bell: bool = True
    desktop: bool = True


@dataclass(frozen=True)
class Config:
    """Settings from the file; None means "not set here"."""

    refresh: float | None = None
    regions: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    theme: str | None = None
    read_only: bool = False
    alerts: Alerts = field(default_factory=Alerts)
    columns: tuple[str, ...] = ()
    """Table columns to show, in order (empty: all, dropped by width as needed)."""


def config_path() -> Path:
    """Where the file lives: ``$MPIB_CONFIG``, else the platform's config dir."""
    explicit = os.environ.get("MPIB_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("mpib")) / "config.toml"


def load(path: Path | None = None) -> Config:
    """Read the file (a missing file is an empty config)."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return _parse(data, path)


def _parse(data: dict[str, Any], path: Path) -> Config:
    unknown = set(data) - KNOWN
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(KNOWN))})"
        )
    refresh = data.get("refresh")
    if refresh is not None and (
        isinstance(refresh, bool) or not isinstance(refresh, int | float) or refresh < 0
    ):
        raise ConfigError(f"{path}: refresh must be a number of seconds (0 or more)")
    alerts = data.get("alerts", {})
    if not isinstance(alerts, dict):
        raise ConfigError(f"{path}: [alerts] must be a table")
    unknown = set(alerts) - KNOWN_ALERTS
    if unknown:
        raise ConfigError(
            f"{path}: unknown alerts setting {', '.join(sorted(unknown))} "
            f"(known: {', '.join(sorted(KNOWN_ALERTS))})"
        )
    for name, value in (*alerts.items(), ("read_only", data.get("read_only", False))):
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: {name} must be true or false")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError(f"{path}: theme must be a string")
    columns = _strings(data.get("columns"), "columns", path)
    from tui.columns import COLUMNS_BY_KEY

    strangers = [c for c in columns if c not in COLUMNS_BY_KEY]
    if strangers:
        raise ConfigError(
            f"{path}: unknown column {', '.join(strangers)} (known: {', '.join(COLUMNS_BY_KEY)})"
        )
    return Config(
        columns=columns,
        refresh=float(refresh) if refresh is not None else None,
        regions=_strings(data.get("region"), "region", path),
        profiles=_strings(data.get("profile"), "profile", path),
        theme=theme,
        read_only=bool(data.get("read_only", False)),
        alerts=Alerts(**alerts),
    )


def _strings(value: Any, name: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{path}: {name} must be a string or a list of strings")
