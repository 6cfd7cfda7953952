"""The one place that builds the aiobotocore session and client.

botocore does not ship the Image Build model, so ours goes first on the
loader's search path (as ``aws configure add-model`` would install it, but
without touching ``~/.aws/models``; a user's own copy there is shadowed, not
overwritten). Retries are ``standard`` with few attempts and short timeouts:
the UI has its own back-off and must never sit in a 9-second legacy retry loop.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.errors import ApiError, Kind, translate

if TYPE_CHECKING:
    from aiobotocore.session import AioSession

SERVICE_NAME = "marketplaceimagebuild"
MODELS_DIR = Path(__file__).resolve().parent / "models"


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Where and as whom to call the service.

    Anything left None falls back to botocore's usual chain: environment
    variables (``AWS_PROFILE``, ``AWS_REGION``, ``AWS_ENDPOINT_URL_MARKETPLACEIMAGEBUILD``
    and friends), then ``~/.aws/config`` and ``~/.aws/credentials``.
    """

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)
    max_attempts: int = 3
    retry_mode: str = "standard"
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    is_demo: bool = False


def make_session(settings: ClientSettings) -> AioSession:
    """An aiobotocore session that can find our service model."""
    from aiobotocore.session import AioSession

    session = AioSession(profile=settings.profile)
    loader = session.get_component("data_loader")
    models = str(MODELS_DIR)
    if models in loader.search_paths:
        loader.search_paths.remove(models)
    loader.search_paths.insert(0, models)
    return session


def resolve_region(session: AioSession, settings: ClientSettings) -> str:
    """The region to use, or an :class:`ApiError` telling how to set one.

    ``AWS_REGION`` is read as the aws CLI v2 and the other SDKs read it (before
    ``AWS_DEFAULT_REGION`` and the profile); this botocore reads only the latter two.
    """
    try:
        region = (
            settings.region or os.environ.get("AWS_REGION") or session.get_config_variable("region")
        )
    except Exception as exc:
        raise translate(exc, settings.profile) from exc
    if not region:
        raise ApiError(
            "No AWS region is set: pass --region, set AWS_REGION, or add `region = ...` "
            "to the profile in ~/.aws/config.",
            Kind.CONFIG,
        )
    return str(region)


def client_config(settings: ClientSettings) -> Any:
    """botocore Config with bounded retries and timeouts."""
    from aiobotocore.config import AioConfig

    return AioConfig(
        retries={"mode": settings.retry_mode, "total_max_attempts": settings.max_attempts},
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        user_agent_extra="mpib",
    )


@contextlib.asynccontextmanager
async def open_client(
    settings: ClientSettings, session: AioSession | None = None
) -> AsyncIterator[tuple[Any, str]]:
    """Enter one long-lived Image Build client; yields ``(client, region)``.

    ``session``, if given, is one :func:`make_session` made for these settings
    (the CLI checks the configuration with it before the screen opens).
    """
    try:
        session = session or make_session(settings)
    except Exception as exc:
        raise translate(exc, settings.profile) from exc
    region = resolve_region(session, settings)
    kwargs: dict[str, Any] = {}
    if settings.access_key_id and settings.secret_access_key:
        kwargs = {
            "aws_access_key_id": settings.access_key_id,
            "aws_secret_access_key": settings.secret_access_key,
            "aws_session_token": settings.session_token,
        }
    try:
        creator = session.create_client(
            SERVICE_NAME,
            region_name=region,
            endpoint_url=settings.endpoint_url,
            config=client_config(settings),
            **kwargs,
        )
        client = await creator.__aenter__()
    except Exception as exc:
        raise translate(exc, settings.profile) from exc
    try:
        yield client, region
    finally:
        await creator.__aexit__(None, None, None)
