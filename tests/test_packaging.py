"""The installed package carries what it needs and runs from any directory.

CI installs the wheel into a fresh virtual environment and sets ``PAPERVIEW_TEST_INSTALLED=1``:
then these tests prove that the package imported is the installed one (not the checkout), that it
holds the bundled corpus and the styles, and that the ``paperview`` script works from an empty
directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import tui
from tui.resources import seeds_dir, styles_dir

INSTALLED = os.environ.get("PAPERVIEW_TEST_INSTALLED") == "1"
needs_install = pytest.mark.skipif(
    not INSTALLED, reason="runs against an installed wheel (.ci/run)"
)


def test_bundled_corpus_and_styles_are_found() -> None:
    assert sorted(p.name for p in seeds_dir().glob("*.txt")) == [
        "000_32a68a11034cf829.txt",
        "001_87cc859a4db68d24.txt",
        "002_ad45b3d5d17d2dd6.txt",
        "003_5113829faee3821d.txt",
    ]
    assert styles_dir().is_dir()


@needs_install
def test_the_imported_package_is_the_installed_wheel() -> None:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    package = Path(tui.__file__).resolve().parent
    assert package.parent == site, f"tui imported from {package}, not from {site}"
    assert seeds_dir().is_relative_to(package) and styles_dir().is_relative_to(package)
    assert list(styles_dir().glob("*.tcss"))


@needs_install
@pytest.mark.slow
def test_the_console_script_runs_from_an_empty_directory(tmp_path: Path) -> None:
    script = shutil.which("paperview", path=str(Path(sys.executable).parent))
    assert script, "the paperview console script is not installed"
    done = subprocess.run(
        [script, "stats", "--json"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["papers"] == 414
