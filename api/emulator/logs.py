"""Installer logs of emulated builds, made up deterministically from the build.

A build's whole log is a function of its id, products and outcome, so nothing
is stored per build until someone reads it; a small cache keeps the logs being
followed. While a build runs, :meth:`World.log_text` serves a growing prefix.
Some lines carry ANSI colour, as real installers' do, so the log viewer has
something honest to sanitise.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.emulator.world import BuildRecord

_CACHE_SIZE = 32
_STEPS = (
    "Launching build instance from {ami} ({image})",
    "Waiting for the instance to pass status checks",
    "SSM agent registered; sending command AWS-RunShellScript",
    "Downloading installer for {title} {version}",
    "Verifying installer checksum",
    "Installing {title} {version}",
    "Configuring {title}",
    "Running post-install checks",
    "Cleaning up package caches and instance history",
    "Stopping the instance and creating image {name}",
)


class LogStore:
    """Full log bytes per (build, stream), generated on first read."""

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self.overrides: dict[tuple[str, str], bytes] = {}
        """(build id, stream) -> the exact bytes to serve instead (hostile or huge logs)."""

    def full(self, record: BuildRecord, stream: str) -> bytes:
        """The complete log the build will have written when it ends."""
        key = (record.build_id, stream)
        if key in self.overrides:
            return self.overrides[key]
        data = self._cache.get(key)
        if data is None:
            data = render(record, stream)
            self._cache[key] = data
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return data


def render(record: BuildRecord, stream: str) -> bytes:
    """Write the log of one stream (``stdout`` or ``stderr``)."""
    rng = random.Random(f"{record.build_id}/{stream}")
    lines: list[str] = []
    span = max(record.finish_at - record.start, 1.0)
    offering = record.offerings[0]
    fields = {
        "ami": record.image.id,
        "image": record.image.name,
        "title": offering.title,
        "version": offering.version,
        "name": record.destination_name,
    }
    steps = _STEPS if stream == "stdout" else _STEPS[3:6]
    per_step = 12 * record.log_scale if stream == "stdout" else 2 * record.log_scale
    total = len(steps) * per_step
    for n, step in enumerate(steps):
        for k in range(per_step):
            at = record.start + span * (n * per_step + k) / total
            stamp = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if k == 0:
                text = "\x1b[1m==> " + step.format(**fields) + "\x1b[0m"
            elif stream == "stderr":
                text = f"warning: {rng.choice(_WARNINGS)}"
            else:
                text = f"    {rng.choice(_DETAILS)} ({k}/{per_step - 1})"
            lines.append(f"{stamp} {text}")
    if record.outcome == "Failed":
        failure = "\x1b[31mERROR: installer exited with status 1: dependency check failed\x1b[0m"
        lines.append(f"{_stamp(record.finish_at)} {failure}")
    elif record.outcome == "InternalError":
        lines.append(f"{_stamp(record.finish_at)} ERROR: build worker lost; retry the build")
    else:
        lines.append(f"{_stamp(record.finish_at)} \x1b[32mBuild completed\x1b[0m")
    return ("\n".join(lines) + "\n").encode()


def _stamp(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_DETAILS = (
    "unpacking archive",
    "setting up systemd unit",
    "writing /etc/default configuration",
    "resolving dependencies",
    "fetching package index",
    "applying kernel parameters",
    "registering license",
)
_WARNINGS = (
    "deprecated option in configuration file, using default",
    "package signature key expires within 90 days",
    "locale not set, falling back to C.UTF-8",
)
