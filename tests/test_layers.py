"""The layers stay apart: the data layer and the plain commands never import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import tui

PACKAGE = Path(tui.__file__).resolve().parent


def test_data_layer_source_never_imports_textual() -> None:
    offenders = []
    for path in sorted((PACKAGE / "data").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] in ("textual", "rich")
            ]
    assert offenders == []


@pytest.mark.slow
def test_importing_the_data_layer_and_plain_commands_loads_no_textual() -> None:
    code = (
        "import importlib, pkgutil, sys, tui.data as d\n"
        "for m in pkgutil.walk_packages(d.__path__, 'tui.data.'): importlib.import_module(m.name)\n"
        "from tui.cli import main\n"
        "main(['stats', '--json'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
