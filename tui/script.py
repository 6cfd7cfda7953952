"""The non-interactive side of mpib: ``ls``, ``start``, ``wait``, ``emulator``, and
launching the app. Every feature the app has can be scripted (and so tested)
from here. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from api import start_request as sr
from api.builds import Build, BuildStatus, build_to_json
from api.client import BuildsClient
from api.errors import ApiError
from api.session import ClientSettings
from tui.cli import build_filter, read_only

if TYPE_CHECKING:
    from tui.config import Config
    from tui.demo import DemoEmulator

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def settings_from(args: argparse.Namespace) -> ClientSettings:
    """Connection settings from the common flags (the first profile and region)."""
    return all_settings(args)[0]


def all_settings(args: argparse.Namespace) -> list[ClientSettings]:
    """One settings per (profile, region) pair the flags name (at least one)."""
    profiles = getattr(args, "profile", None) or [None]
    regions = getattr(args, "region", None) or [None]
    endpoint = getattr(args, "endpoint_url", None)
    return [
        ClientSettings(profile=profile, region=region, endpoint_url=endpoint)
        for profile in dict.fromkeys(profiles)
        for region in dict.fromkeys(regions)
    ]


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """Print one line to stderr and return the exit code."""
    print(f"mpib: {message}", file=sys.stderr)
    return code


def dispatch(args: argparse.Namespace) -> int:
    """Run what the parsed command line asks for."""
    command = args.command
    if command == "emulator":
        from tui.serve import serve_emulator

        return serve_emulator(args)
    if command == "config":
        from tui.config import config_path

        path = config_path()
        print(f"{path}{'' if path.exists() else '  (not created yet)'}")
        return EXIT_OK
    if command is None:
        return run_app(args)
    runners: dict[str, tuple[Callable[[BuildsClient, argparse.Namespace], Awaitable[int]], int]] = {
        "ls": (_ls, EXIT_FAILED),
        "start": (_start, EXIT_FAILED),
        "wait": (_wait, EXIT_ERROR),
        "logs": (_logs, EXIT_ERROR),
    }
    runner, error_code = runners[command]
    if command == "start":
        problem = _start_problem(args)
        if problem:
            return fail(problem, EXIT_ERROR)
    try:
        return asyncio.run(_with_client(settings_from(args), runner, args))
    except ApiError as error:
        return fail(str(error), error_code)


async def _with_client(
    settings: ClientSettings,
    runner: Callable[[BuildsClient, argparse.Namespace], Awaitable[int]],
    args: argparse.Namespace,
) -> int:
    async with BuildsClient.open(settings) as client:
        return await runner(client, args)


def format_line(build: Build) -> str:
    """One build on one line for ``mpib ls``: tab-separated, stable column order."""
    products = ", ".join(
        " ".join(x for x in (p.title or p.id, p.version) if x) for p in build.products
    )
    started = build.start_time.strftime("%Y-%m-%dT%H:%M:%SZ") if build.start_time else "-"
    return "\t".join(
        [
            build.build_id,
            build.raw_status or "-",
            started,
            build.source_image.id or "-",
            build.destination_image.id or "-",
            build.destination_image.name or "-",
            products or "-",
        ]
    )


async def _ls(client: BuildsClient, args: argparse.Namespace) -> int:
    out = sys.stdout
    builds = await client.list_all(build_filter(args))
    if args.json:
        json.dump([build_to_json(b) for b in builds], out, indent=2)
        out.write("\n")
    else:
        for build in builds:
            out.write(format_line(build) + "\n")
    return EXIT_OK


def _start_fields(args: argparse.Namespace) -> dict[str, str]:
    return {
        sr.FO_IDS: " ".join(args.fo_ids),
        sr.SOURCE: args.source_image_id,
        sr.NAME: args.name,
        sr.DESCRIPTION: args.description or "",
        sr.SNS: args.sns_topic_arn or "",
    }


def _start_problem(args: argparse.Namespace) -> str | None:
    """Why ``start`` must not call the service: read-only, or a field the rules reject."""
    if read_only(args):
        return "read-only mode: starting builds is turned off (--read-only or MPIB_READ_ONLY)"
    problems = sr.check_start(_start_fields(args)).problems
    flags = {
        sr.FO_IDS: "--fulfillment-option-id",
        sr.SOURCE: "--source-image-id",
        sr.NAME: "--name",
        sr.DESCRIPTION: "--description",
        sr.SNS: "--sns-topic-arn",
    }
    if problems:
        return "; ".join(f"{flags[name]}: {problem}" for name, problem in problems.items())
    return None


async def _start(client: BuildsClient, args: argparse.Namespace) -> int:
    request = sr.check_start(_start_fields(args)).request
    assert request is not None  # _start_problem said yes
    token = args.client_token or str(uuid.uuid4())
    print(await client.start(dataclasses.replace(request, client_token=token)))
    return EXIT_OK


async def _wait(client: BuildsClient, args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.timeout
    while True:
        found = await client.describe([args.build_id])
        if not found:
            return fail(f"no build {args.build_id} in region {client.region}", EXIT_ERROR)
        build = found[0]
        if build.status is not None and build.status.is_final:
            detail = build.destination_image.id or ""
            if build.error_detail:
                detail = f"{build.error_detail.code}: {build.error_detail.message}"
            print(f"{build.build_id} {build.status.value} {detail}".rstrip())
            return EXIT_OK if build.status is BuildStatus.SUCCEEDED else EXIT_FAILED
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            print(f"{build.build_id} {build.raw_status} (timed out)")
            return EXIT_ERROR
        await asyncio.sleep(min(args.interval, remaining))


async def _logs(client: BuildsClient, args: argparse.Namespace) -> int:
    """Print a log, sanitised; with --follow, new bytes until the build ends."""
    from api.build_logs import BuildLogs, Stream, open_http
    from api.logs import copy_clean
    from api.sanitize import strip_sgr

    stream = Stream.STDERR if args.stderr else Stream.STDOUT
    out = sys.stdout
    async with open_http() as http:
        logs = BuildLogs(client, http)
        build = await logs.describe(args.build_id)
        if build is None:
            return fail(f"no build {args.build_id} in region {client.region}", EXIT_ERROR)
        reader = logs.reader(build, stream)
        if reader is not None:
            reader.end = await copy_clean(reader, out.write)
            out.flush()
        while args.follow and build.is_running:
            await asyncio.sleep(args.interval)
            fresh = await logs.describe(build.build_id)
            build = fresh or build
            if reader is None:
                reader = logs.reader(build, stream)
                if reader is None:
                    continue
            out.write(strip_sgr(await reader.more()))
            out.flush()
        if reader is None:
            return fail(f"build {build.build_id} has no {stream} log", EXIT_FAILED)
    return EXIT_OK


def run_app(args: argparse.Namespace) -> int:
    """Open the Textual app, on the emulator with ``--demo``."""
    from tui import debug_log

    debug_log.configure(getattr(args, "log_file", None))
    from tui.config import ConfigError, load

    try:
        config = load()
    except ConfigError as error:
        return fail(str(error), EXIT_ERROR)
    if not args.profile and config.profiles:
        args.profile = list(config.profiles)
    if not args.region and config.regions:
        args.region = list(config.regions)
    demo: DemoEmulator | None = None
    pairs = all_settings(args)
    settings = pairs[0]
    session = None
    if args.demo:
        from tui.demo import DemoEmulator, demo_settings  # the emulator costs ~0.2 s to import

        demo = DemoEmulator()
        settings = demo_settings(demo.start())
        pairs = [settings]
    else:
        for pair in pairs:
            problem, found = _config_problem(pair)
            if problem:
                return fail(problem, EXIT_ERROR)
            session = session or found
    try:
        from tui.app import MpibApp

        try:
            app = MpibApp(
                settings,
                session=session if len(pairs) == 1 else None,
                more_settings=pairs[1:],
                **app_options(args, config),
            )
        except ValueError as error:  # an unknown theme
            return fail(str(error), EXIT_ERROR)
        app.run()
        return int(app.return_code or 0)
    finally:
        if demo is not None:
            demo.stop()


def app_options(args: argparse.Namespace, config: Config) -> dict[str, Any]:
    """The app's options: a flag wins over the config file, which wins over the default."""
    alerts = dataclasses.replace(
        config.alerts,
        bell=config.alerts.bell and not args.no_bell,
        desktop=config.alerts.desktop and not args.no_desktop_notify,
    )
    refresh = args.refresh if args.refresh is not None else config.refresh
    return {
        "build_filter": build_filter(args),
        "refresh_seconds": 10.0 if refresh is None else refresh,
        "read_only": read_only(args) or config.read_only,
        "alerts": alerts,
        "theme": args.theme or config.theme,
        "columns": config.columns,
    }


def _config_problem(settings: ClientSettings) -> tuple[str | None, Any]:
    """Check what can be checked before the screen opens (profile, region).

    Returns the problem, or the session that passed (the app reuses it rather
    than reading the configuration twice).
    """
    from api.session import make_session, resolve_region

    try:
        session = make_session(settings)
        resolve_region(session, settings)
    except ApiError as error:
        return str(error), None
    except Exception as exc:  # botocore raises on a broken config file
        return f"cannot read the AWS configuration: {exc}", None
    return None, session
