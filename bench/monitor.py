"""Monitor figures: start-to-first-row, start-to-full-list, calls per refresh tick.

Against one emulator process holding 10,000 builds (50 running), each figure is
the median of several runs. The peer for first paint is the aws CLI listing
one page of 50 (``aws marketplaceimagebuild describe-builds --max-results 50``)
with our model added, when the aws CLI is installed.
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
from pathlib import Path

from api.client import BuildsClient
from api.emulator import Emulator, EmulatorConfig, WorldConfig
from api.emulator.scenario import seed_history
from api.index import BuildIndex
from api.session import MODELS_DIR
from bench.pty_probe import time_to_texts
from tui.demo import demo_settings

BUILDS = 10_000
RUNNING = 50
RUNS = 5
PORT = 47911


def _median(values: list[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return statistics.median(got) if got else None


def _emulator_process() -> subprocess.Popen[str]:
    mpib = shutil.which("mpib") or str(Path(sys.executable).with_name("mpib"))
    process = subprocess.Popen(
        [
            mpib,
            "emulator",
            "--port",
            str(PORT),
            "--builds",
            str(BUILDS),
            "--running",
            str(RUNNING),
            "--pulse",
            "0",
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
    return {
        "HOME": home,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.path.join(home, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
    }


def first_paint() -> list[tuple[str, float | None, float | None, str]]:
    """(figure, peer, mpib, unit) rows measured in real terminals."""
    endpoint = f"http://127.0.0.1:{PORT}"
    mpib = str(Path(sys.executable).with_name("mpib"))
    rows = []
    with tempfile.TemporaryDirectory() as home:
        env = _env(home)
        process = _emulator_process()
        try:
            first, full = [], []
            for _ in range(RUNS):
                a, b = time_to_texts(
                    [mpib, "--endpoint-url", endpoint, "--refresh", "0"],
                    [b"InProgress", f"{BUILDS} builds".encode()],
                    env=env,
                )
                first.append(a)
                full.append(b)
            peer = _aws_cli_page(endpoint, env)
            rows.append(("start -> first row (s)", peer, _median(first), "aws cli 1 page"))
            rows.append((f"start -> all {BUILDS} rows (s)", None, _median(full), ""))
        finally:
            process.terminate()
            process.wait()
    return rows


def _aws_cli_page(endpoint: str, env: dict[str, str]) -> float | None:
    aws = shutil.which("aws")
    if aws is None:
        return None
    model = MODELS_DIR / "marketplaceimagebuild/2017-12-15/service-2.json"
    full_env = {**os.environ, **env}
    subprocess.run(
        [
            aws,
            "configure",
            "add-model",
            "--service-name",
            "marketplaceimagebuild",
            "--service-model",
            f"file://{model}",
        ],
        env=full_env,
        check=True,
    )
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(
            [
                aws,
                "marketplaceimagebuild",
                "describe-builds",
                "--max-results",
                "50",
                "--endpoint-url",
                endpoint,
            ],
            env=full_env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _refresh_cost() -> tuple[float, float]:
    emulator = Emulator(EmulatorConfig(world=WorldConfig(max_running=RUNNING * 2)))
    seed_history(emulator.world, BUILDS, running=RUNNING)
    await emulator.start()
    settings = demo_settings(emulator.endpoint)
    try:
        async with BuildsClient.open(settings) as client:
            index = BuildIndex()
            async for page in client.stream():
                index.upsert(page)
            calls, seconds = [], []
            for _ in range(RUNS):
                before = emulator.count()
                start = time.perf_counter()
                await client.refresh(index)
                seconds.append(time.perf_counter() - start)
                calls.append(emulator.count() - before)
    finally:
        await emulator.stop()
    return statistics.median(calls), statistics.median(seconds)


def refresh_cost() -> list[tuple[str, float | None, float | None, str]]:
    """Calls per tick with 10,000 builds (a naive re-list is the peer)."""
    calls, seconds = asyncio.run(_refresh_cost())
    naive = 1 + -(-(BUILDS - 50) // 256)
    return [
        (
            f"DescribeBuilds calls per tick ({BUILDS} builds, {RUNNING} running)",
            naive,
            calls,
            "naive re-list",
        ),
        ("refresh tick wall time (s, incl. emulator)", None, seconds, ""),
    ]
