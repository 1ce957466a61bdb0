"""The wheel: it carries every file of the default theme, and an installed Annals publishes a whole site."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, SEEDS

# What the wheel must carry of each folder of the checkout, as (folder, package path inside the wheel).
THEME = [("templates", "annals/templates"), ("static", "annals/static"), ("annals/locales", "annals/locales"),
         ("annals/live", "annals/live")]


def tracked_files(folder: str) -> list[str]:
    """The files of `folder` that a release is made of (git's list, else every file but caches)."""
    try:
        listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "--cached", "--others", "--exclude-standard", "--", folder], capture_output=True,
                                text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        listed = [p.relative_to(REPO).as_posix() for p in (REPO / folder).rglob("*") if p.is_file()]
    return sorted(p for p in listed if "__pycache__" not in p and not p.endswith(".pyc"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout (the build leaves nothing in the checkout itself)."""
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "src"
    for name in ("pyproject.toml", "README.md"):
        tree.mkdir(exist_ok=True)
        shutil.copy2(REPO / name, tree / name)
    for folder in ("annals", "templates", "static"):
        for relative in tracked_files(folder):
            target = tree / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / relative, target)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(tree)],
                   check=True, capture_output=True)
    (built,) = (work / "dist").glob("annals-*.whl")
    return built


def test_the_wheel_carries_every_file_of_the_default_theme(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f"{package}/{relative[len(folder) + 1:]}"
               for folder, package in THEME for relative in tracked_files(folder)
               if f"{package}/{relative[len(folder) + 1:]}" not in names]
    assert not missing, f"left out of the wheel: {missing}"
    assert "annals/templates/feed.xml" in names and "annals/templates/sitemap.xml" in names


def test_an_installed_annals_publishes_feed_and_sitemap_with_its_own_theme(wheel, tmp_path):
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    archive = tmp_path / "archive"
    shutil.copytree(SEEDS, archive / "seeds")
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    done = subprocess.run([sys.executable, "-m", "annals", "build", "--base-url", "https://example.org/archive/"],
                          cwd=archive, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    site = archive / "site"
    assert "https://example.org/archive/" in (site / "feed.xml").read_text(encoding="utf-8")
    assert "https://example.org/archive/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    where = subprocess.run([sys.executable, "-c", "import annals.theme as t; print(t.default_dir('templates'))"],
                           cwd=archive, env=environment, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(installed)
