"""Populate the emulated account: a history of builds and, for the demo, a pulse.

``seed_history`` lays down finished builds spread over the past weeks plus a
few still running; ``run_pulse`` starts a new build every so often, so
``mpib --demo`` always has something changing on screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import random

from api.emulator.catalog import IMAGES, OFFERINGS, Image, Offering
from api.emulator.world import World

_NAMES = ("web", "api", "batch", "edge", "analytics", "bastion", "worker", "ci-runner")
_DAY = 86400.0


def pick(rng: random.Random) -> tuple[tuple[Offering, ...], Image, str]:
    """A plausible (offerings, image, destination name) triple."""
    image = rng.choice(IMAGES)
    fitting = [o for o in OFFERINGS if image.platform in o.platforms]
    offerings = tuple(rng.sample(fitting, k=1 if rng.random() < 0.8 else min(2, len(fitting))))
    name = f"{rng.choice(_NAMES)}-{offerings[0].title.split()[0].lower()}-{rng.randint(100, 999)}"
    return offerings, image, name


def seed_history(
    world: World,
    count: int,
    running: int = 0,
    days: float = 30.0,
    remaining: tuple[float, float] = (20.0, 110.0),
    age: tuple[float, float] = (60.0, 590.0),
) -> None:
    """Add ``count`` builds, oldest first, the newest ``running`` of them still going.

    Builds are added in StartTime order because the world lists them by creation.

    Running builds started ``age`` seconds ago and end ``remaining`` seconds from
    now (by default within two minutes, so a demo shows them finish; a benchmark
    of idle watching wants builds well under way that run for hours).
    """
    rng = random.Random(world.config.seed * 31 + count)
    now = world.now()
    finished = max(count - running, 0)
    for n in range(finished):
        offerings, image, name = pick(rng)
        start = now - days * _DAY + (days * _DAY - 600) * n / max(finished, 1)
        world.add_build(
            offerings=offerings,
            image=image,
            name=name,
            description=f"{offerings[0].title} on {image.name}",
            start=start,
            duration=min(rng.uniform(300, 2400), now - 60 - start),
        )
    starts = sorted(now - rng.uniform(*age) for _ in range(min(running, count)))
    for start in starts:
        offerings, image, name = pick(rng)
        world.add_build(
            offerings=offerings,
            image=image,
            name=name,
            start=start,
            duration=(now - start) + rng.uniform(*remaining),
        )


async def run_pulse(world: World, every: float = 45.0, stop: asyncio.Event | None = None) -> None:
    """Start a new build every ``every`` seconds (roughly) until ``stop`` is set."""
    rng = random.Random(world.config.seed * 17)
    stop = stop or asyncio.Event()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every * rng.uniform(0.7, 1.3))
        if stop.is_set():
            return
        world.settle()
        if len(world.running) < world.config.max_running:
            offerings, image, name = pick(rng)
            world.add_build(offerings=offerings, image=image, name=name)
