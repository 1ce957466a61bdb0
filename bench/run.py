"""Build benchmark: Annals on generated corpora, cold and rebuilt, beside Hugo, Pelican and MkDocs.

usage: python bench/run.py [--sizes 1000 10000 30000] [--anchors] [--work DIR]

For each size it writes a corpus with ../shared/bench/make_corpus.py (and its Markdown twin for the other
tools), then times `annals build` as a separate process: a cold build into an empty folder, a rebuild with
nothing changed, and rebuilds after editing, adding and deleting one document, then a cold build without
the search index (`--no-search`: for the goal on the core pages, though it still writes every other data
file and the verbatim copies). Each row gives wall and CPU seconds, documents per second, the peak memory
(RSS) of the largest process, and the size of the site.
With --anchors the same Markdown corpus is built by ../shared/bench/anchors.sh in the same run (MkDocs only
up to 2,000 documents: beyond that it takes many minutes), each tool's time is given as a ratio, and the
goals of issue 5 are checked against these figures (Hugo is run once more under the same timer as Annals
for its memory).
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


def annals_build(source: Path, output: Path, *flags: str) -> dict:
    command = [sys.executable, "-m", "annals", "build", "--quiet", "--source", str(source), "--output", str(output),
               *flags]
    return run_timed(command, cwd=REPO)


def cold(output: Path) -> Path:
    """`output` with no site and no build cache beside it."""
    for stale in (output, output.parent / f".{output.name}.annals-cache"):
        if stale.exists():
            shutil.rmtree(stale)
    return output


def scenarios(source: Path, output: Path) -> list[tuple[str, dict]]:
    """Cold build, then the rebuilds an archivist makes after each batch."""
    rows = [("cold build", annals_build(source, cold(output)))]
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
    core = cold(output.with_name(f"{output.name}-core"))
    rows.append(("cold build without search", annals_build(source, core, "--no-search")))
    shutil.rmtree(core)
    return rows


def anchors(markdown: Path, work: Path, size: int) -> dict[str, dict]:
    """Build the Markdown twin with Hugo, Pelican (and MkDocs up to 2,000 documents) through anchors.sh,
    then Hugo once more under our own timer for its CPU time and peak memory."""
    tools = ["hugo", "pelican"] + (["mkdocs"] if size <= 2000 else [])
    result = subprocess.run(["bash", str(SHARED / "anchors.sh"), str(markdown), str(work), *tools],
                            capture_output=True, text=True)
    times = {}
    for line in result.stdout.splitlines():
        match = re.match(r"(\w+) ([\d.]+) s", line)
        if match:
            times[match.group(1)] = {"wall": float(match.group(2))}
    if (work / "hugo").is_dir() and shutil.which("hugo"):
        shutil.rmtree(work / "out-hugo-timed", ignore_errors=True)
        times["hugo"] = run_timed(["hugo", "--quiet", "-s", str(work / "hugo"), "-d", str(work / "out-hugo-timed")])
    return times


GOALS = [  # (goal, Annals row, compared with, the most the ratio may be)
    ("cold build, everything published ÷ Hugo", "cold build", "hugo", 1.5),
    ("cold build of the core pages ÷ Hugo (measured without search)", "cold build without search", "hugo", 1.0),
    ("cold build ÷ Pelican (at least 10× faster)", "cold build", "pelican", 0.1),
    ("no-op rebuild ÷ Hugo's full build", "no-op rebuild", "hugo", 0.15),
    ("rebuild after editing one ÷ Hugo's full build", "edit one document", "hugo", 0.15),
    ("rebuild after adding one ÷ Hugo's full build", "add one document", "hugo", 0.25),
    ("rebuild after deleting one ÷ Hugo's full build", "delete one document", "hugo", 0.25),
]


def goals(rows: dict[str, dict], tools: dict[str, dict]) -> list[str]:
    lines = ["| goal | Annals | anchor | ratio | at most | met |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for goal, row, tool, limit in GOALS:
        if tool in tools:
            ratio = rows[row]["wall"] / tools[tool]["wall"]
            lines.append(f"| {goal} | {rows[row]['wall']:.2f} s | {tools[tool]['wall']:.2f} s | {ratio:.2f} | "
                         f"{limit} | {'yes' if ratio <= limit else 'no'} |")
    if "rss" in tools.get("hugo", {}):
        ratio = rows["cold build"]["rss"] / tools["hugo"]["rss"]
        lines.append(f"| peak memory ÷ Hugo's | {rows['cold build']['rss']:.0f} MiB | {tools['hugo']['rss']:.0f} MiB "
                     f"| {ratio:.2f} | 0.25 | {'yes' if ratio <= 0.25 else 'no'} |")
    return lines


def scale(small: tuple[int, dict], large: tuple[int, dict]) -> list[str]:
    (n, a), (m, b) = small, large
    time_ratio, memory_ratio = b["wall"] / a["wall"], b["rss"] / a["rss"]
    return [f"| goal | {n:,} documents | {m:,} documents | ratio | at most | met |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
            f"| cold build time | {a['wall']:.2f} s | {b['wall']:.2f} s | {time_ratio:.2f} | 3.3 | "
            f"{'yes' if time_ratio <= 3.3 else 'no'} |",
            f"| peak memory | {a['rss']:.0f} MiB | {b['rss']:.0f} MiB | {memory_ratio:.2f} | 1.5 | "
            f"{'yes' if memory_ratio <= 1.5 else 'no'} |"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--anchors", action="store_true", help="also build with Hugo, Pelican and MkDocs")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    colds = []
    for size in args.sizes:
        work = args.work / str(size)
        source, markdown = work / "seeds", work / "markdown"
        if not source.is_dir():
            subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), str(source), "-n", str(size),
                            "--markdown", str(markdown)], check=True, stdout=subprocess.DEVNULL)
            time.sleep(2.1)  # files saved just before a build are read again, not trusted by their stat
        rows = scenarios(source, work / "site")
        colds.append((size, rows[0][1]))
        site_mb = folder_size(work / "site")
        print(f"\n### {size:,} documents (site: {site_mb:.0f} MiB)\n")
        print("| build | wall (s) | CPU (s) | documents/s | peak RSS (MiB) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, row in rows:
            print(f"| {name} | {row['wall']:.2f} | {row['cpu']:.2f} | {size / row['wall']:.0f} | {row['rss']:.0f} |")
        if args.anchors:
            tools = anchors(markdown, work / "anchors", size)
            cold = rows[0][1]["wall"]
            print("\n| tool | wall (s) | peak RSS (MiB) | Annals cold build ÷ tool |")
            print("| --- | ---: | ---: | ---: |")
            for tool, row in tools.items():
                rss = f"{row['rss']:.0f}" if "rss" in row else "–"
                print(f"| {tool} | {row['wall']:.2f} | {rss} | {cold / row['wall']:.2f}× |")
            print("\nGoals (issue 5), this size:\n")
            print("\n".join(goals(dict(rows), tools)))
    big = [c for c in colds if c[0] in (10000, 30000)]
    if len(big) == 2:
        print("\nScale, 10,000 → 30,000 documents:\n")
        print("\n".join(scale(*big)))


if __name__ == "__main__":
    main()
