"""Timeline benchmark: the size of the overview and of the year pages, and their load time in Chromium.

usage: python bench/timeline_bench.py [--sizes 10000 30000] [--runs 5] [--work DIR]

For each size it writes a corpus with ../shared/bench/make_corpus.py, builds it (with the seed's gazetteer,
so that the year pages carry their entity filter), then loads timeline.html and the largest year page
`--runs` times each in headless Chromium from file://, each time in a fresh page with the CPU as it is;
prints the file sizes, the number of elements, and the median of the load event's time (from the start
of navigation to the end of the load event).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import REPO, SHARED, annals_build  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def load_times(page_file: Path, runs: int) -> tuple[float, int]:
    from playwright.sync_api import sync_playwright

    times, elements = [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri(), wait_until="load")
            times.append(page.evaluate("() => { const t = performance.getEntriesByType('navigation')[0]; "
                                       "return t.loadEventEnd - t.startTime; }"))
            elements = page.evaluate("() => document.getElementsByTagName('*').length")
            page.close()
        browser.close()
    return statistics.median(times), elements


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="annals-timeline-"))
    for size in args.sizes:
        source, site = work / f"seeds-{size}", work / f"site-{size}"
        if not source.is_dir():
            subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), str(source), "-n", str(size),
                            "--lang", "mixed"], check=True, stdout=subprocess.DEVNULL)
            shutil.copy(REPO / "seeds" / "entities.yaml", source / "entities.yaml")
        built = annals_build(source, site)
        years = sorted((site / "years").glob("*.html"), key=lambda p: p.stat().st_size)
        for label, page_file in (("timeline.html", site / "timeline.html"), (f"largest year ({years[-1].name})",
                                                                             years[-1])):
            median, elements = load_times(page_file, args.runs)
            print(f"{size:6} documents, {label:26} {page_file.stat().st_size / 1024:8.0f} KB, {elements:7} elements, "
                  f"load {median:6.0f} ms (median of {args.runs})")
        print(f"{size:6} documents: build {built['wall']:.1f} s, {len(years)} year pages")


if __name__ == "__main__":
    main()
