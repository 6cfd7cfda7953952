"""``mpib emulator``: serve the emulator in the foreground until Ctrl-C.

Prints what a person needs to point the ``aws`` CLI (or mpib) at it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import zlib

from api.emulator import Emulator, EmulatorConfig, Faults, WorldConfig
from api.emulator.scenario import run_pulse, seed_history
from api.session import MODELS_DIR, SERVICE_NAME


def serve_emulator(args: argparse.Namespace) -> int:
    """Run until interrupted; 0 on Ctrl-C, 1 if the port cannot be bound."""
    config = EmulatorConfig(
        access_key=args.access_key,
        secret_key=args.secret_key,
        # Seeded by region too, so two emulators (two regions) never share build ids.
        world=WorldConfig(region=args.region, seed=7 + zlib.crc32(args.region.encode())),
    )
    faults = Faults(
        throttle_rate=args.throttle_rate,
        error_rate=args.error_rate,
        latency=args.latency,
        url_lifetime=args.url_lifetime,
    )
    emulator = Emulator(config, faults)
    remaining = (args.running_for, args.running_for) if args.running_for else (20.0, 110.0)
    age = (args.running_age / 2, args.running_age) if args.running_age else (60.0, 590.0)
    seed_history(emulator.world, args.builds, running=args.running, remaining=remaining, age=age)
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_serve(emulator, args.port, args.pulse, args.region))
    return 0


async def _serve(emulator: Emulator, port: int, pulse: float, region: str) -> int:
    try:
        endpoint = await emulator.start(port=port)
    except OSError as exc:
        print(f"mpib: cannot listen on 127.0.0.1:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    model = MODELS_DIR / SERVICE_NAME / "2017-12-15" / "service-2.json"
    print(
        f"mpib emulator of the AWS Marketplace Image Build Service on {endpoint}\n"
        f"  region {region}; access key {emulator.config.access_key!r}, "
        f"secret key {emulator.config.secret_key!r}\n"
        f"  {len(emulator.world.records)} builds, {len(emulator.world.running)} running\n\n"
        "Use it with mpib:\n"
        f"  mpib --endpoint-url {endpoint} --region {region}\n"
        "  (with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set to the keys above)\n"
        "Use it with the aws CLI:\n"
        f"  aws configure add-model --service-name {SERVICE_NAME} "
        f"--service-model file://{model}\n"
        f"  AWS_ACCESS_KEY_ID={emulator.config.access_key} "
        f"AWS_SECRET_ACCESS_KEY={emulator.config.secret_key} \\\n"
        f"    aws {SERVICE_NAME} describe-builds --region {region} --endpoint-url {endpoint}\n"
        "Ctrl-C stops it.",
        flush=True,
    )
    stop = asyncio.Event()
    tasks = [asyncio.ensure_future(run_pulse(emulator.world, pulse, stop))] if pulse > 0 else []
    try:
        await asyncio.Event().wait()
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await emulator.stop()
    return 0
