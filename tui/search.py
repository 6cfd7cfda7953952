"""Instant client-side search over the loaded builds (``/``).

A query is words, all of which must match (case-insensitive substring). A word
``col:value`` looks only in one column: ``id``, ``status``, ``product``,
``ami``, ``name``, ``fo``, ``error``. No service call is made: this narrows
what is already loaded, on every keystroke, so it must stay cheap; each
build's searchable text is computed once and kept until the build changes.
"""

from __future__ import annotations

from collections.abc import Callable

from api.builds import Build
from tui.columns import products_text

FIELDS = ("id", "status", "product", "ami", "name", "fo", "error")
ALIASES = {"build": "id", "source": "ami", "destination": "name", "dest": "name", "image": "ami"}


def _fields(build: Build) -> dict[str, str]:
    error = build.error_detail
    return {
        "id": build.build_id.lower(),
        "status": (build.raw_status or "").lower(),
        "product": (
            products_text(build) + " " + " ".join(p.id or "" for p in build.products)
        ).lower(),
        "ami": " ".join(
            x for x in (build.source_image.id, build.destination_image.id) if x
        ).lower(),
        "name": " ".join(
            x
            for x in (
                build.destination_image.name,
                build.destination_image.description,
                build.source_image.name,
            )
            if x
        ).lower(),
        "fo": " ".join(build.fulfillment_option_ids).lower(),
        "error": f"{error.code or ''} {error.message or ''}".lower() if error else "",
    }


class SearchFields:
    """Per-build searchable text, recomputed only when the build record changes."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Build, dict[str, str], str]] = {}

    def of(self, build: Build) -> tuple[dict[str, str], str]:
        """(text by field, all text joined) for ``build``."""
        hit = self._cache.get(build.build_id)
        if hit is not None and hit[0] is build:
            return hit[1], hit[2]
        fields = _fields(build)
        joined = "\n".join(fields.values())
        self._cache[build.build_id] = (build, fields, joined)
        return fields, joined


def compile_query(query: str, fields: SearchFields) -> Callable[[Build], bool] | None:
    """A predicate for ``query`` (None when the query is blank).

    Raises:
        ValueError: for ``col:value`` with an unknown column, naming the known ones.
    """
    terms: list[tuple[str | None, str]] = []
    for word in query.split():
        column, sep, value = word.partition(":")
        if sep and value:
            column = ALIASES.get(column.lower(), column.lower())
            if column not in FIELDS:
                raise ValueError(f"unknown column {column!r}: use {', '.join(FIELDS)}")
            terms.append((column, value.lower()))
        else:
            terms.append((None, word.lower()))
    if not terms:
        return None

    def matches(build: Build) -> bool:
        by_field, joined = fields.of(build)
        for column, value in terms:
            haystack = joined if column is None else by_field[column]
            if value not in haystack:
                return False
        return True

    return matches
