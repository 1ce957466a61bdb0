"""Shared fixtures: the repository's seed archive built once per session, and tiny source folders."""
from __future__ import annotations

from pathlib import Path

import pytest

from annals.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SEED_FILE = "000_9a19c12adf1ec1cf.txt"
NBSP = "\u00a0\u00a0 "


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("seed") / "site"
    report = build(BuildOptions(source=SEEDS, output=output))
    assert report.published and not report.problems, report.problems
    return output


@pytest.fixture
def make_sources(tmp_path):
    """Write {name: text or bytes} into a fresh source folder and return it."""

    def make(files: dict) -> Path:
        root = tmp_path / "sources"
        root.mkdir(exist_ok=True)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def build_sources(root: Path, output: Path, **options):
    return build(BuildOptions(source=root, output=output, **options))
