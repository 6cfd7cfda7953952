"""``mpib``: the command line. Parses flags, then opens the app or runs a subcommand.

Kept free of heavy imports: Textual and aiobotocore are imported only by the
path that needs them, so ``mpib --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from api.builds import BuildFilter, BuildStatus

EXAMPLES = """\
examples:
  mpib --demo                          watch the built-in emulator
  mpib --profile prod --region us-east-1
  mpib ls --status failed --json       every failed build, as JSON
  mpib start --fulfillment-option-id fo-ids4xf7qagwyc \\
       --source-image-id ami-58d7e821 --name "web server"
  mpib wait 1f84f17b-35c6-4e5b-9170-c98f279c6345 --timeout 3600
  mpib logs 1f84f17b-35c6-4e5b-9170-c98f279c6345 --follow
  mpib emulator --port 4566            serve the emulator for the aws CLI
  mpib --serve                         the app in a browser, on 127.0.0.1:8000
  mpib config path                     where the config file lives
"""

SUB_EXAMPLES = {
    "ls": """\
examples:
  mpib ls                              all builds, newest first, tab-separated
  mpib ls --status failed --status internal-error --json
  mpib ls --product-id prod-nginxplus0001 | cut -f1,2
""",
    "start": """\
examples:
  mpib start --fulfillment-option-id fo-ids4xf7qagwyc --source-image-id ami-58d7e821 \\
       --name "web server 2026-11" --client-token nightly-2026-11-28
  (again with the same --client-token: the same build, not a second one)
""",
    "wait": """\
examples:
  mpib wait BUILD_ID && echo ok        exit 0 succeeded, 1 failed, 2 timeout or error
  mpib wait BUILD_ID --timeout 7200 --interval 30
""",
    "logs": """\
examples:
  mpib logs BUILD_ID | less            the installer's stdout, escape sequences removed
  mpib logs BUILD_ID --stderr --follow until the build ends
""",
    "emulator": """\
examples:
  mpib emulator --port 4566 --builds 500 --throttle-rate 0.2
  aws marketplaceimagebuild describe-builds --endpoint-url http://127.0.0.1:4566
  (after aws configure add-model with api/models/.../service-2.json)
""",
    "config": """\
examples:
  mpib config path
""",
}


def _status(text: str) -> BuildStatus:
    try:
        return BuildStatus.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _connection_flags() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("AWS connection")
    group.add_argument(
        "--profile",
        action="append",
        help="AWS profile (default: AWS_PROFILE or default); repeat it to watch several",
    )
    group.add_argument(
        "--region",
        action="append",
        help="AWS region (default: AWS_REGION or the profile's); repeat it to watch several",
    )
    group.add_argument(
        "--endpoint-url",
        help="service endpoint (default: AWS_ENDPOINT_URL_MARKETPLACEIMAGEBUILD or AWS's)",
    )
    return parent


def _filter_flags() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("filters (repeatable; values of one kind are ORed)")
    group.add_argument(
        "--status",
        action="append",
        type=_status,
        default=[],
        metavar="STATUS",
        help="in-progress | succeeded | failed | internal-error (InProgress etc. also accepted)",
    )
    group.add_argument("--build-id", action="append", default=[], metavar="ID")
    group.add_argument("--product-id", action="append", default=[], metavar="ID")
    group.add_argument("--fulfillment-option-id", action="append", default=[], metavar="ID")
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, subcommands included."""
    connection, filters = _connection_flags(), _filter_flags()
    parser = argparse.ArgumentParser(
        prog="mpib",
        description="Watch and start AWS Marketplace private image builds from the terminal.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[connection, filters],
    )
    parser.add_argument(
        "--demo", action="store_true", help="run against the built-in emulator (no AWS needed)"
    )
    parser.add_argument(
        "--refresh",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="refresh interval; 0 turns live refresh off (default 10, or the config file's)",
    )
    parser.add_argument("--theme", metavar="NAME", help="a Textual theme (e.g. nord, gruvbox)")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="serve the app to a browser on 127.0.0.1 (textual-serve) instead of this terminal",
    )
    parser.add_argument("--serve-port", type=int, default=8000, metavar="PORT")
    parser.add_argument(
        "--no-bell", action="store_true", help="no terminal bell when a watched build ends"
    )
    parser.add_argument(
        "--no-desktop-notify",
        action="store_true",
        help="no desktop notification (OSC 9/777) when a watched build ends",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="hide and refuse the start-build action (also: MPIB_READ_ONLY=1)",
    )
    parser.add_argument(
        "--log-file",
        metavar="PATH",
        help="write a debug log there (secrets and URL signatures masked)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ls = sub.add_parser(
        "ls",
        epilog=SUB_EXAMPLES["ls"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="list builds (all pages)",
        parents=[connection, filters],
        description="Print every matching build, newest first, one line each or as JSON.",
    )
    ls.add_argument("--json", action="store_true", help="print a JSON array of builds")

    start = sub.add_parser(
        "start",
        epilog=SUB_EXAMPLES["start"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="start a build and print its BuildId",
        parents=[connection],
        description="Install Marketplace products on a source AMI, creating a new AMI.",
    )
    start.add_argument(
        "--fulfillment-option-id", action="append", required=True, metavar="ID", dest="fo_ids"
    )
    start.add_argument("--source-image-id", required=True, metavar="AMI")
    start.add_argument("--name", required=True, help="destination image name (3-128 chars)")
    start.add_argument("--description", help="destination image description")
    start.add_argument("--sns-topic-arn", metavar="ARN")
    start.add_argument(
        "--client-token",
        help="idempotency token: repeating a start with the same token starts no second build",
    )
    start.add_argument(
        "--read-only", action="store_true", dest="start_read_only", help=argparse.SUPPRESS
    )

    wait = sub.add_parser(
        "wait",
        epilog=SUB_EXAMPLES["wait"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="wait for a build to finish",
        parents=[connection],
        description="Exit 0 when the build succeeds, 1 when it fails, 2 on timeout or error.",
    )
    wait.add_argument("build_id", metavar="BUILD_ID")
    wait.add_argument("--timeout", type=_positive_float, default=7200.0, metavar="SECONDS")
    wait.add_argument("--interval", type=_positive_float, default=10.0, metavar="SECONDS")

    logs = sub.add_parser(
        "logs",
        epilog=SUB_EXAMPLES["logs"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="print a build's installer log",
        parents=[connection],
        description="Print the build's stdout log (or stderr), with terminal escape sequences "
        "removed; --follow keeps printing until the build ends.",
    )
    logs.add_argument("build_id", metavar="BUILD_ID")
    logs.add_argument("--stderr", action="store_true", help="the StandardError log")
    logs.add_argument("--follow", "-f", action="store_true", help="keep printing until it ends")
    logs.add_argument("--interval", type=_positive_float, default=2.0, metavar="SECONDS")

    config = sub.add_parser(
        "config",
        epilog=SUB_EXAMPLES["config"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="where the config file is",
        description="Defaults live in a TOML file; flags override them. "
        "MPIB_CONFIG points elsewhere.",
    )
    config.add_argument("what", choices=["path"], help="path: print the config file's location")

    emulator = sub.add_parser(
        "emulator",
        epilog=SUB_EXAMPLES["emulator"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="run the local emulator of the service",
        description="Serve the Image Build API (and presigned logs) on 127.0.0.1 for the aws "
        "CLI, scripts and mpib itself.",
    )
    emulator.add_argument("--port", type=int, default=4566)
    emulator.add_argument("--builds", type=int, default=150, help="history to create")
    emulator.add_argument("--running", type=int, default=3, help="of which still running")
    emulator.add_argument(
        "--running-for",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="how long the running ones still run (default: 20-110 s)",
    )
    emulator.add_argument(
        "--running-age",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="how long ago the running ones started, at most (default: 1-10 min)",
    )
    emulator.add_argument("--region", default="us-east-1")
    emulator.add_argument("--access-key", default="test")
    emulator.add_argument("--secret-key", default="test")
    emulator.add_argument("--throttle-rate", type=float, default=0.0, metavar="0..1")
    emulator.add_argument("--error-rate", type=float, default=0.0, metavar="0..1")
    emulator.add_argument("--latency", type=_positive_float, default=0.0, metavar="SECONDS")
    emulator.add_argument("--url-lifetime", type=int, default=900, metavar="SECONDS")
    emulator.add_argument(
        "--pulse", type=_positive_float, default=45.0, help="start a build every N s (0: never)"
    )
    return parser


def read_only(args: argparse.Namespace) -> bool:
    """``--read-only`` (before or after ``start``) or MPIB_READ_ONLY set to a true value."""
    env = os.environ.get("MPIB_READ_ONLY", "").strip().lower()
    return bool(
        getattr(args, "read_only", False)
        or getattr(args, "start_read_only", False)
        or env in ("1", "true", "yes", "on")
    )


def build_filter(args: argparse.Namespace) -> BuildFilter:
    """The service filter the flags describe."""
    return BuildFilter(
        build_ids=tuple(args.build_id),
        product_ids=tuple(args.product_id),
        fulfillment_option_ids=tuple(args.fulfillment_option_id),
        statuses=tuple(dict.fromkeys(args.status)),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mpib`` console script."""
    args = build_parser().parse_args(argv)
    if args.serve and args.command is None:
        from tui.web import serve

        return serve(list(sys.argv[1:] if argv is None else argv), args.serve_port)
    from tui import script

    try:
        result: Any = script.dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `mpib ls | head`: the reader left; exit as a SIGPIPE'd tool would, quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
