"""Build benchmark: Annals on generated corpora, cold and rebuilt, beside Hugo, Pelican and MkDocs.

usage: python bench/run.py [--sizes 1000 10000] [--anchors] [--work DIR]

For each size it writes a corpus with ../shared/bench/make_corpus.py (and its Markdown twin for the other
tools), then times `annals build` as a separate process: a cold build into an empty folder, a rebuild with
nothing changed, and rebuilds after editing, adding and deleting one document. Each row gives wall and CPU
seconds, documents per second, the peak memory (RSS) of the largest process, and the size of the site.
With --anchors the same Markdown corpus is built by ../shared/bench/anchors.sh in the same run (MkDocs only
up to 2,000 documents: beyond that it takes many minutes) and each tool's time is given as a ratio.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared" / "bench"
NBSP = "\u00a0\u00a0 "


def run_timed(command: list[str], cwd: Path | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MiB) of one command, its worker processes included."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with status {process.returncode}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def folder_size(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def annals_build(source: Path, output: Path) -> dict:
    command = [sys.executable, "-m", "annals", "build", "--quiet", "--source", str(source), "--output", str(output)]
    return run_timed(command, cwd=REPO)


def scenarios(source: Path, output: Path) -> list[tuple[str, dict]]:
    """Cold build, then the rebuilds an archivist makes after each batch."""
    if output.exists():
        shutil.rmtree(output)
    rows = [("cold build", annals_build(source, output))]
    rows.append(("no-op rebuild", annals_build(source, output)))
    first = sorted(source.glob("*.txt"))[0]
    original = first.read_bytes()
    first.write_bytes(original + f"{NBSP}Le 3 mai 2021, un paragraphe ajouté.\n".encode())
    rows.append(("edit one document", annals_build(source, output)))
    first.write_bytes(original)
    added = source / "zz-added.txt"
    added.write_text(f"/ Ajouts - Essais\nUn document ajouté\n{NBSP}Le 4 mai 2021, un paragraphe.\n",
                     encoding="utf-8")
    rows.append(("add one document", annals_build(source, output)))
    added.unlink()
    rows.append(("delete one document", annals_build(source, output)))
    return rows


def anchors(markdown: Path, work: Path, size: int) -> dict[str, float]:
    tools = ["hugo", "pelican"] + (["mkdocs"] if size <= 2000 else [])
    result = subprocess.run(["bash", str(SHARED / "anchors.sh"), str(markdown), str(work), *tools],
                            capture_output=True, text=True)
    times = {}
    for line in result.stdout.splitlines():
        match = re.match(r"(\w+) ([\d.]+) s", line)
        if match:
            times[match.group(1)] = float(match.group(2))
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--anchors", action="store_true", help="also build with Hugo, Pelican and MkDocs")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for size in args.sizes:
        work = args.work / str(size)
        source, markdown = work / "seeds", work / "markdown"
        if not source.is_dir():
            subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), str(source), "-n", str(size),
                            "--markdown", str(markdown)], check=True, stdout=subprocess.DEVNULL)
        rows = scenarios(source, work / "site")
        site_mb = folder_size(work / "site")
        print(f"\n### {size} documents (site: {site_mb:.0f} MiB)\n")
        print("| build | wall (s) | CPU (s) | documents/s | peak RSS (MiB) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, row in rows:
            print(f"| {name} | {row['wall']:.2f} | {row['cpu']:.2f} | {size / row['wall']:.0f} | {row['rss']:.0f} |")
        if args.anchors:
            times = anchors(markdown, work / "anchors", size)
            cold = rows[0][1]["wall"]
            print("\n| tool | wall (s) | Annals cold build ÷ tool |")
            print("| --- | ---: | ---: |")
            for tool, seconds in times.items():
                print(f"| {tool} | {seconds:.2f} | {cold / seconds:.2f}× |")


if __name__ == "__main__":
    main()
