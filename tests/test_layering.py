"""The layers stay apart: api/ knows no UI, tui/ never talks to botocore or aiohttp.

The import-linter contracts in pyproject.toml say the same for CI; these tests
make a violation fail the ordinary test run too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_api_imports_no_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, api\n"
        "for m in pkgutil.walk_packages(api.__path__, 'api.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'tui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_tui_never_imports_botocore_or_aiohttp_directly() -> None:
    forbidden = {"botocore", "aiobotocore", "aiohttp", "yarl"}
    offenders = []
    for path in (ROOT / "tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in forbidden]
    assert offenders == []


def test_every_stylesheet_exists() -> None:
    from tui.app import MpibApp

    paths = MpibApp.CSS_PATH
    assert isinstance(paths, list) and paths
    for path in paths:
        assert Path(path).is_absolute() and Path(path).is_file(), path
