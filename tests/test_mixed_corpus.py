"""The seed, 1,000 generated documents and every hostile file, large ones included, in one build. The
documents come from shared/bench/make_corpus.py when it is beside the checkout (CI), else from the tests'
own generator (tests/corpus.py)."""
import json
import os
import subprocess
import sys

import pytest

from annals.linkcheck import check_links

from conftest import REPO, SEED_FILE, SEEDS, build_sources
from hostile import write_corpus
import corpus

MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    if not MAKE_CORPUS.is_file() and os.environ.get("CI"):
        pytest.fail(f"CI must have shared/ beside the checkout: {MAKE_CORPUS.name} not found")
    root = tmp_path_factory.mktemp("mixed")
    sources = root / "sources"
    if MAKE_CORPUS.is_file():  # the project's generator: French and English, several encodings
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(sources / "generated"), "-n", "1000", "--lang",
                        "mixed"], check=True)
    else:  # a clone alone: the tests' own generator, so that nothing is skipped
        corpus.write(sources / "generated", 1000)
    expected = {f"hostile/{name}": e for name, e in write_corpus(sources / "hostile", large=True, outside=root).items()}
    (sources / SEED_FILE).write_bytes((SEEDS / SEED_FILE).read_bytes())
    report = build_sources(sources, root / "site")
    return expected, report, root / "site"


def test_mixed_corpus_builds_and_reports_each_skipped_file(mixed):
    expected, report, site = mixed
    assert report.published
    skipped = {name for name, e in expected.items() if e.outcome == "skipped"}
    assert {p.path for p in report.skipped} == skipped
    documents = json.loads((site / "documents.json").read_text(encoding="utf-8"))
    sources = {d["source"] for d in documents}
    assert sum(name.startswith("generated/") for name in sources) == 1000
    assert SEED_FILE in sources and "hostile/large-50mb.txt" in sources


def test_mixed_corpus_passes_the_link_checker(mixed):
    _, _, site = mixed
    assert check_links(site) == []
