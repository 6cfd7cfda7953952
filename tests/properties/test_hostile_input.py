"""Property tests: whatever the service or a log sends, nothing raises and no
control byte gets through (except tab and newline in logs)."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from api.builds import parse_build, parse_builds
from api.sanitize import clean, decode, one_line, strip_sgr

EXAMPLES = 2000

_escapes = st.sampled_from(
    [
        "\x1b",
        "\x1b[",
        "\x1b]",
        "\x1b]0;",
        "\x1b]52;c;",
        "\x1bP",
        "\x1b\\",
        "\x07",
        "\x1b[2J",
        "\x1b[?1049h",
        "\x1b[31m",
        "\x1b[0m",
        "\x9b",
        "\x9d",
        "\r",
        "\b",
        "\x00",
        "\x7f",
    ]
)
_hostile_text = st.lists(st.one_of(st.text(max_size=8), _escapes), max_size=40).map("".join)


def _controls(text: str, allowed: str) -> list[str]:
    return [c for c in text if (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) and c not in allowed]


@settings(max_examples=EXAMPLES)
@given(st.binary(max_size=512))
def test_any_bytes_come_out_clean(data: bytes) -> None:
    text = clean(decode(data))
    assert _controls(text, "\t\n") == []


@settings(max_examples=EXAMPLES)
@given(_hostile_text)
def test_escape_soup_comes_out_clean(text: str) -> None:
    assert _controls(clean(text), "\t\n") == []
    kept = clean(text, keep_sgr=True)
    # With SGR kept, the only ESC left starts an SGR sequence, which strip_sgr removes.
    assert _controls(strip_sgr(kept), "\t\n") == []
    assert _controls(one_line(text), "") == []


_json: Any = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | _hostile_text
    | st.sampled_from(["InProgress", "Failed", "2026-11-28T10:00:00Z", "1795000000"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "BuildId",
                    "Status",
                    "Products",
                    "Id",
                    "Title",
                    "Version",
                    "FulfillmentOptionIds",
                    "InputFulfillmentOptions",
                    "Product",
                    "SourceImage",
                    "InputImage",
                    "DestinationImage",
                    "OutputImage",
                    "Name",
                    "Description",
                    "ErrorDetail",
                    "Code",
                    "Message",
                    "StartTime",
                    "LastUpdateTime",
                    "StandardOutputUrl",
                    "SnsTopicArn",
                ]
            )
            | st.text(string.ascii_letters, max_size=6),
            children,
            max_size=8,
        )
    ),
    max_leaves=30,
)


def _strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _strings_of(item)]
    if hasattr(value, "__slots__"):
        return [s for name in value.__slots__ for s in _strings_of(getattr(value, name))]
    return []


@settings(max_examples=EXAMPLES)
@given(_json)
def test_any_json_parses_without_raising_or_controls(data: Any) -> None:
    builds = parse_builds(data if isinstance(data, list) else [data])
    single = parse_build(data) if isinstance(data, dict) else None
    for build in [*builds, *([single] if single else [])]:
        for text in _strings_of(build):
            assert _controls(text, "") == []
