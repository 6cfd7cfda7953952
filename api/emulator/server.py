"""The emulator's HTTP face: JSON 1.1 over ``POST /`` and presigned log downloads.

Speaks the protocol the way botocore and the ``aws`` CLI expect it: the
operation in ``X-Amz-Target``, ``application/x-amz-json-1.1`` bodies, SigV4
header signatures checked with botocore's signer, errors as JSON bodies with
``__type`` (botocore reads the code from there for this protocol). Log URLs are
S3-style presigned GETs with expiry and ``Range``.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from api.emulator import sigv4
from api.emulator.faults import FAULT_MESSAGES, Faults
from api.emulator.world import BuildRecord, ServiceFault, World, WorldConfig

TARGET_PREFIX = "AWSMPImageBuilding."
OPERATIONS = ("DescribeBuilds", "StartBuild")
JSON_TYPE = "application/x-amz-json-1.1"
SIGNING_NAME = "aws-marketplace"
LOG_BUCKET = "mpib-emulator-installer-logs"


@dataclass(frozen=True, slots=True)
class LogFetch:
    """One presigned log download the emulator answered (for tests)."""

    build_id: str
    stream: str
    range: str | None
    status: int
    sent: int
    """Body bytes sent."""


@dataclass(frozen=True, slots=True)
class Call:
    """One API call the emulator received (for tests and the call counter)."""

    operation: str
    params: dict[str, Any]
    access_key: str | None
    at: float


@dataclass
class EmulatorConfig:
    """Who may call the emulator, and as what account."""

    access_key: str = "test"
    secret_key: str = field(default="test", repr=False)
    unauthorized_keys: frozenset[str] = frozenset()
    """Access keys that are valid but lack permission to StartBuild."""
    world: WorldConfig = field(default_factory=WorldConfig)


class Emulator:
    """The Image Build service on a loopback port, in the caller's event loop."""

    def __init__(self, config: EmulatorConfig | None = None, faults: Faults | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.faults = faults or Faults()
        self.world = World(self.config.world)
        self.calls: list[Call] = []
        self.log_fetches: list[LogFetch] = []
        self.endpoint = ""
        self._runner: web.AppRunner | None = None
        self._secrets = {self.config.access_key: self.config.secret_key}
        for key in self.config.unauthorized_keys:
            self._secrets.setdefault(key, self.config.secret_key)

    def app(self) -> web.Application:
        """The aiohttp application (routes only; no state of its own)."""
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/", self._api)
        app.router.add_get("/", self._hello)
        app.router.add_get("/logs/{bucket}/{build_id}/{stream}.log", self._log)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on ``host:port`` (0: a free port) and return the endpoint URL."""
        self._runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        bound = self._runner.addresses[0]
        self.endpoint = f"http://{host}:{bound[1]}"
        return self.endpoint

    async def stop(self) -> None:
        """Close the listener and every open connection."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def count(self, operation: str | None = None) -> int:
        """How many API calls (of one operation) have been received."""
        return sum(1 for c in self.calls if operation is None or c.operation == operation)

    # --- the API -------------------------------------------------------------------------

    async def _hello(self, request: web.Request) -> web.Response:
        return web.Response(text="mpib emulator of the AWS Marketplace Image Build Service\n")

    async def _api(self, request: web.Request) -> web.Response:
        request_id = str(uuid.uuid4())
        target = request.headers.get("X-Amz-Target", "")
        operation = target.removeprefix(TARGET_PREFIX)
        body = await request.read()
        try:
            auth = sigv4.parse_authorization(request.headers.get("Authorization"))
        except sigv4.SignatureError as exc:
            return _error(exc.code, exc.message, 403, request_id)
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            params = None
        self.calls.append(
            Call(
                operation, params if isinstance(params, dict) else {}, auth.access_key, time.time()
            )
        )
        if not target.startswith(TARGET_PREFIX) or operation not in OPERATIONS:
            return _error(
                "UnknownOperationException", f"Unknown operation {target!r}.", 400, request_id
            )
        secret = self._secrets.get(auth.access_key)
        if secret is None:
            code = "UnrecognizedClientException"
            return _error(code, FAULT_MESSAGES[code][0], 403, request_id)
        if auth.service != SIGNING_NAME:
            return _error(
                "InvalidSignatureException",
                f"Credential should be scoped to correct service: '{SIGNING_NAME}'.",
                403,
                request_id,
            )
        try:
            sigv4.verify_header_request(
                auth=auth,
                secret_key=secret,
                method=request.method,
                url=f"http://{request.host}{request.raw_path}",
                headers=request.headers,
                body=body,
                now=datetime.now(UTC),
            )
        except sigv4.SignatureError as exc:
            return _error(exc.code, exc.message, 403, request_id)
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        fault = self.faults.roll(operation)
        if fault is not None:
            message, status = FAULT_MESSAGES.get(fault, ("Injected fault.", 400))
            return _error(fault, message, status, request_id)
        if not isinstance(params, dict):
            return _error(
                "SerializationException", "The request body is not a JSON object.", 400, request_id
            )
        try:
            if operation == "StartBuild":
                if auth.access_key in self.config.unauthorized_keys:
                    raise ServiceFault(
                        "UnauthorizedOperationException",
                        "You are not authorized to perform StartBuild; the principal needs the "
                        "AWSMarketplaceImageBuildFullAccess policy.",
                    )
                result = self.world.start_build(params)
            else:
                result = self.world.describe_builds(params, self._present)
        except ServiceFault as exc:
            return _error(exc.code, exc.message, exc.status, request_id)
        if self.faults.take_drop(operation) and request.transport is not None:
            request.transport.close()
        return web.Response(
            body=json.dumps(result).encode(),
            content_type=JSON_TYPE,
            headers={"x-amzn-RequestId": request_id},
        )

    def _present(self, record: BuildRecord) -> dict[str, Any]:
        data = self.world.build_dict(record)
        signed_at = datetime.fromtimestamp(self.world.now(), UTC)
        for key, stream in (("StandardOutputUrl", "stdout"), ("StandardErrorUrl", "stderr")):
            data[key] = sigv4.presign(
                url=f"{self.endpoint}/logs/{LOG_BUCKET}/{record.build_id}/{stream}.log",
                access_key=self.config.access_key,
                secret_key=self.config.secret_key,
                region=self.config.world.region,
                expires=self.faults.url_lifetime,
                at=signed_at,
            )
        return data

    # --- presigned logs ------------------------------------------------------------------

    async def _log(self, request: web.Request) -> web.StreamResponse:
        response = await self._log_response(request)
        self.log_fetches.append(
            LogFetch(
                request.match_info["build_id"],
                request.match_info["stream"],
                request.headers.get("Range"),
                response.status,
                len(response.body) if isinstance(response.body, bytes) else 0,
            )
        )
        return response

    async def _log_response(self, request: web.Request) -> web.Response:
        try:
            sigv4.verify_presigned(
                url=f"http://{request.host}{request.raw_path}",
                secrets=self._secrets,
                now=datetime.fromtimestamp(self.world.now(), UTC),
            )
        except sigv4.SignatureError as exc:
            return _s3_error(exc.code, exc.message, 403)
        self.world.settle()
        record = self.world.by_id.get(request.match_info["build_id"])
        stream = request.match_info["stream"]
        if record is None or stream not in ("stdout", "stderr"):
            return _s3_error("NoSuchKey", "The specified key does not exist.", 404)
        data = self.world.log_text(record, stream)
        if not data:
            return _s3_error("NoSuchKey", "The specified key does not exist.", 404)
        return _ranged(data, request.headers.get("Range"))


def _ranged(data: bytes, header: str | None) -> web.Response:
    """Answer a GET with HTTP Range semantics (single range, as S3 does)."""
    size = len(data)
    base = {"Accept-Ranges": "bytes", "Content-Type": "text/plain; charset=utf-8"}
    if not header:
        return web.Response(body=data, headers=base)
    unit, _, spec = header.partition("=")
    first, _, last = spec.partition("-")
    try:
        if unit.strip() != "bytes" or "," in spec:
            raise ValueError(header)
        if first == "":
            start, end = max(size - int(last), 0), size - 1
        else:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
    except ValueError:
        return web.Response(body=data, headers=base)
    if start >= size or start > end:
        return _s3_error(
            "InvalidRange",
            "The requested range is not satisfiable",
            416,
            {"Content-Range": f"bytes */{size}"},
        )
    headers = {**base, "Content-Range": f"bytes {start}-{end}/{size}"}
    return web.Response(status=206, body=data[start : end + 1], headers=headers)


def _error(code: str, message: str, status: int, request_id: str) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps({"__type": code, "message": message}).encode(),
        content_type=JSON_TYPE,
        headers={"x-amzn-RequestId": request_id, "x-amzn-ErrorType": code},
    )


def _s3_error(
    code: str, message: str, status: int, extra: dict[str, str] | None = None
) -> web.Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
    return web.Response(
        status=status, text=body, content_type="application/xml", headers=extra or {}
    )
