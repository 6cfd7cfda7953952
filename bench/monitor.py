"""Monitor figures, mpib and its peer side by side against one emulator process.

The emulator runs in its own process with 10,000 builds (50 running), so its
work is not counted in mpib's CPU or memory. Each timed figure is the median
of several runs, mpib and peer interleaved so both see the same machine.

* start -> first row: mpib on a pty until a row shows, against
  ``aws marketplaceimagebuild describe-builds --max-results 50`` (awscli v1,
  with our model added).
* start -> all 10,000 rows: against a plain boto3 loop listing them all.
* RSS with 10,000 builds loaded, and CPU while idle for 60 s (refresh 10 s;
  the 50 running builds are 20-40 minutes in and keep running, as real ones do).
* event-loop time per refresh tick, and calls per tick (a naive re-list is 40).
* the worst event-loop stall while the 10,000 builds stream in (what a key
  press waits at most).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from api.client import BuildsClient
from api.index import BuildIndex
from api.session import MODELS_DIR
from bench.pty_probe import cpu_seconds, rss_mib, time_to_texts
from bench.rows import Row

BUILDS = 10_000
RUNNING = 50
RUNS = 5
PORT = 47911
IDLE_SECONDS = 60.0
ENDPOINT = f"http://127.0.0.1:{PORT}"

_BOTO3_LOOP = f"""
import boto3
client = boto3.client("marketplaceimagebuild", endpoint_url="{ENDPOINT}")
kwargs, count = {{"MaxResults": 256}}, 0
while True:
    page = client.describe_builds(**kwargs)
    count += len(page["Builds"])
    if not page.get("NextToken"):
        break
    kwargs["NextToken"] = page["NextToken"]
assert count == {BUILDS}, count
"""


def _median(values: list[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return statistics.median(got) if got else None


def _emulator_process() -> subprocess.Popen[str]:
    mpib = shutil.which("mpib") or str(Path(sys.executable).with_name("mpib"))
    process = subprocess.Popen(
        [
            *(mpib, "emulator", "--port", str(PORT), "--builds", str(BUILDS)),
            *("--running", str(RUNNING), "--pulse", "0"),
            # Builds run 1-2 hours: these are 20-40 min in and have an hour to go.
            *("--running-for", "3600", "--running-age", "2400"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Ctrl-C stops it" in line:
            break
    return process


def _env(home: str) -> dict[str, str]:
    """A clean AWS environment whose config holds our model (for the aws CLI and boto3)."""
    return {
        "HOME": home,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.path.join(home, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
        "AWS_DATA_PATH": str(MODELS_DIR),
    }


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _aws_cli_page(env: dict[str, str]) -> float | None:
    aws = shutil.which("aws")
    if aws is None:
        return None
    argv = [aws, "marketplaceimagebuild", "describe-builds", "--max-results", "50"]
    return _timed([*argv, "--endpoint-url", ENDPOINT], env)


def _boto3_loop(env: dict[str, str]) -> float:
    return _timed([sys.executable, "-c", _BOTO3_LOOP], env)


def process_figures() -> list[Row]:
    """Start-up, full listing, memory and idle CPU, measured on real terminals."""
    mpib = str(Path(sys.executable).with_name("mpib"))
    first, full, peers, loops = [], [], [], []
    idle: dict[str, float] = {}

    def measure_idle(pid: int, drain: Callable[[float], None]) -> None:
        drain(2.0)  # let the last page settle
        idle["rss"] = rss_mib(pid)
        before, start = cpu_seconds(pid), time.perf_counter()
        drain(IDLE_SECONDS)
        idle["cpu"] = (cpu_seconds(pid) - before) / (time.perf_counter() - start) * 100

    with tempfile.TemporaryDirectory() as home:
        env = _env(home)
        process = _emulator_process()
        try:
            for run in range(RUNS):
                a, b = time_to_texts(
                    [mpib, "--endpoint-url", ENDPOINT, "--refresh", "10"],
                    [b"InProgress", f"{BUILDS} builds".encode()],
                    env=env,
                    after=measure_idle if run == 0 else None,
                )
                first.append(a)
                full.append(b)
                peers.append(_aws_cli_page(env))
                loops.append(_boto3_loop(env))
        finally:
            process.terminate()
            process.wait()
    return [
        Row("start -> first row, s", _median(first), _median(peers), "aws cli, 1 page", 1.0),
        Row(f"start -> all {BUILDS:,} rows, s", _median(full), _median(loops), "boto3 loop", 1.5),
        Row(f"RSS with {BUILDS:,} builds, MiB", idle.get("rss"), max_value=150),
        Row(
            f"idle CPU, refresh 10 s, {IDLE_SECONDS:.0f} s, % of a core",
            idle.get("cpu"),
            max_value=2.0,
        ),
    ]


async def _tick_cost() -> tuple[float, float]:
    """(event-loop ms per refresh tick, worst stall ms while the listing streams in).

    In the real app, headless, against the out-of-process emulator: the stall
    watcher shares the app's event loop, so it sees every page's parsing and
    table work, which is what a key press would wait behind.
    """
    from tui.app import MpibApp
    from tui.demo import demo_settings
    from tui.screens.builds import BuildsScreen

    app = MpibApp(demo_settings(ENDPOINT), refresh_seconds=0)
    stalls: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        stop = asyncio.Event()

        async def watch() -> None:
            while not stop.is_set():
                start = time.perf_counter()
                await asyncio.sleep(0.005)
                stalls.append(time.perf_counter() - start - 0.005)

        while not (isinstance(app.screen, BuildsScreen) and app.screen.table.row_count):
            await pilot.pause(0.005)
        watcher = asyncio.create_task(watch())  # from the first row on: start-up is not loading
        while not app.screen.state.last_ok:
            await pilot.pause(0.02)
        stop.set()
        await watcher
        screen = app.screen
        assert screen.client is not None and len(screen.index) == BUILDS
        cpu = []
        for _ in range(RUNS):
            before = time.process_time()
            changes = await screen.client.refresh(screen.index)
            screen._apply(changes, flash=True)
            cpu.append(time.process_time() - before)
    return statistics.median(cpu) * 1000, max(stalls) * 1000


async def _calls_per_tick() -> float:
    """Calls per refresh, counted by an in-process emulator (counts do not need timing)."""
    from api.emulator import Emulator, EmulatorConfig, WorldConfig
    from api.emulator.scenario import seed_history
    from tui.demo import demo_settings

    emulator = Emulator(EmulatorConfig(world=WorldConfig(max_running=RUNNING * 2)))
    seed_history(emulator.world, BUILDS, running=RUNNING)
    await emulator.start()
    try:
        async with BuildsClient.open(demo_settings(emulator.endpoint)) as client:
            index = BuildIndex()
            async for page in client.stream():
                index.upsert(page)
            calls = []
            for _ in range(RUNS):
                before = emulator.count()
                await client.refresh(index)
                calls.append(emulator.count() - before)
    finally:
        await emulator.stop()
    return statistics.median(calls)


def tick_figures() -> list[Row]:
    """Calls and event-loop time per refresh tick with 10,000 builds (50 running)."""
    process = _emulator_process()
    try:
        tick_ms, stall_ms = asyncio.run(_tick_cost())
    finally:
        process.terminate()
        process.wait()
    calls = asyncio.run(_calls_per_tick())
    naive = 1 + -(-(BUILDS - 50) // 256)
    return [
        Row(
            f"DescribeBuilds calls per tick ({RUNNING} running)",
            calls,
            naive,
            "naive re-list",
            max_value=2,
        ),
        Row("event-loop CPU per tick, ms", tick_ms, max_value=20),
        Row(f"worst event-loop stall while {BUILDS:,} stream in, ms", stall_ms, max_value=100),
    ]
