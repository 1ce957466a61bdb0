"""Killing a build at any moment leaves a whole site: the previous one, or the new one complete."""
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import corpus
from conftest import REPO

DOCUMENTS = 1500
EXTRA = "99999.txt"


def digest(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def leftover_processes(argument: str, wait: float = 5.0) -> list[str]:
    """Processes still running with `argument` on their command line (after up to `wait` seconds)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and argument.encode() in (proc / "cmdline").read_bytes():
                    found.append(proc.name)
            except OSError:
                pass
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def annals(source, output):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "annals", "build", "--quiet", "--source", str(source),
                             "--output", str(output)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("atomic")
    source = corpus.write(root / "sources", DOCUMENTS)
    site = root / "site"
    # Built once with the extra document, then without it: its address stays in the record of addresses
    # (addresses.json) as a deleted document's, as it will be each time the site goes back to this state.
    (source / EXTRA).write_text("/ Ajout - Nouveau\nUn ajout\n" + corpus.NBSP + "Le 2 mai 2020, ajouté.\n",
                                encoding="utf-8")
    assert annals(source, site).wait() == 0
    (source / EXTRA).rename(root / "held.txt")
    assert annals(source, site).wait() == 0
    old = digest(site)
    (root / "held.txt").rename(source / EXTRA)
    started = time.monotonic()
    assert annals(source, root / "reference").wait() == 0
    duration = time.monotonic() - started
    new = digest(root / "reference")
    assert old != new
    return root, source, site, old, new, duration




@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98, 1.0])
def test_sigkill_leaves_the_previous_or_the_new_site_whole(sites, fraction):
    root, source, site, old, new, duration = sites
    current = digest(site)
    assert current in (old, new)
    # Each kill point builds towards the other state: the extra document comes or goes.
    if current == new and (source / EXTRA).exists():
        (source / EXTRA).rename(root / "held.txt")
    elif current == old and not (source / EXTRA).exists():
        (root / "held.txt").rename(source / EXTRA)
    build = annals(source, site)
    time.sleep(duration * fraction)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert digest(site) in (old, new), "the site is neither the previous build nor the new one"


def test_the_next_build_cleans_up_after_killed_ones(sites):
    root, source, site, old, new, duration = sites
    if not (source / EXTRA).exists():
        (root / "held.txt").rename(source / EXTRA)
    build = annals(source, site)
    assert build.wait() == 0, build.stderr.read()
    assert digest(site) == new
    assert not leftover_processes(str(source)), "a killed build left worker processes behind"
    assert sorted(p.name for p in root.iterdir()) == [".reference.annals-cache", ".site.annals-cache",
                                                      "reference", "site", "sources"]


def test_an_output_folder_that_is_a_link_is_published_through_the_link(tmp_path, make_sources):
    # Issue 18, item 11 (a common deploy layout: site -> releases/current): the second build failed with
    # "Cannot call rmtree on a symbolic link", replaced the link by a folder and left a staging tree behind.
    from conftest import NBSP, build_sources

    root = make_sources({"a.txt": "Titre\n" + NBSP + "Le 19 juin 2024, un paragraphe.\n"})
    real = tmp_path / "releases" / "current"
    real.parent.mkdir()
    link = tmp_path / "site"
    link.symlink_to(real, target_is_directory=True)
    for text in ("Le 19 juin 2024, un paragraphe.", "Le 20 juin 2024, un autre."):
        (root / "a.txt").write_text("Titre\n" + NBSP + text + "\n", encoding="utf-8")
        report = build_sources(root, link)
        assert report.published
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "20 juin 2024" in (real / "years" / "2024.html").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.rglob(".*building-*")] and not [p for p in tmp_path.rglob(".*old-*")]
