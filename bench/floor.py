"""What any rebuild costs before it renders anything: the floor under the rebuild goals of issue 5.

usage: python bench/floor.py [--work DIR] [--sizes 10000 30000]

On a corpus and site that `bench/run.py` left in DIR/SIZE (seeds/ and site/), it times, each three times
and keeps the fastest, the steps every rebuild with something to publish takes whatever changed:
- starting Python and importing what a build that writes pages needs (a separate process);
- finding the sources and taking their stat signatures (what tells which sources changed);
- checking the published site's files against the build cache's records (what tells whether the site is
  still as the last build left it, or was edited by hand);
- making the new tree of links to the published files kept, and removing the tree it replaces (what
  publishing the whole new site in one atomic step costs).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from annals.cache import BuildCache, code_version, digest  # noqa: E402
from annals.pipeline import source_signature  # noqa: E402
from annals.sources import find_sources, source_name  # noqa: E402
from annals.write import scan_site  # noqa: E402


def fastest(step, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def start_and_imports() -> None:
    subprocess.run([sys.executable, "-c", "import annals.make"], cwd=REPO, check=True)


def signatures(source: Path) -> None:
    paths, _ = find_sources(source)
    reader = digest(code_version(), "fr")[:16]
    {source_name(source, p): source_signature(p, reader) for p in paths}


def check_site(site: Path) -> None:
    cache = BuildCache.open(site)
    try:
        scan_site(site, cache.outputs())
    finally:
        cache.close()


def link_and_remove(site: Path) -> None:
    """A tree of hard links to every file of the site, beside it, then removed (as a published tree is)."""
    tree = site.parent / ".floor-links"
    shutil.rmtree(tree, ignore_errors=True)
    for folder, _, files in os.walk(site):
        target = tree / os.path.relpath(folder, site)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.link(os.path.join(folder, name), target / name)
    shutil.rmtree(tree)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000])
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    print("| documents | files in the site | start and imports (s) | stat the sources (s) | check the site (s) "
          "| link and remove the tree (s) | floor (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        source, site = args.work / str(size) / "seeds", args.work / str(size) / "site"
        if not site.is_dir():
            raise SystemExit(f"{site}: build it first with python bench/run.py --sizes {size}")
        files = sum(len(names) for _, _, names in os.walk(site))
        steps = [fastest(start_and_imports), fastest(lambda: signatures(source)), fastest(lambda: check_site(site)),
                 fastest(lambda: link_and_remove(site))]
        print(f"| {size:,} | {files:,} | " + " | ".join(f"{s:.2f}" for s in steps) + f" | {sum(steps):.2f} |")


if __name__ == "__main__":
    main()
