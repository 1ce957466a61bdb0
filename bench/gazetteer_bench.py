"""A large gazetteer's cost: build a generated archive with and without N entities of overlapping names.

usage: python bench/gazetteer_bench.py [--documents 2000] [--entities 10000] [--work DIR]

The entities are names of one to three words drawn from the corpus itself (so that they are found), each
with two aliases that share their first word: the overlapping names of a real gazetteer of people. Prints
the wall and CPU seconds of cold builds of each, taken in turn (`--repeat` pairs, each into a folder of its
own), each pair's ratio and the median ratio (issue 18's budget: at most 2×).

Nothing is deleted while it runs: on ext4 without a journal, creating a file soon after many were deleted
costs several times more (the allocator passes over inodes freed in the last half minute), and the archive
with a gazetteer writes 10,000 pages more than the one without; run it a minute after removing a large
folder, or its ratio says more about the disk than about Annals.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import SHARED, run_timed  # noqa: E402


def gazetteer(sources: Path, count: int, seed: int = 5) -> str:
    words = sorted({w for p in sorted(sources.glob("*.txt"))[:200]
                    for w in re.findall(r"[^\W\d_]{4,}", p.read_text(encoding="utf-8", errors="replace"))})
    rng = random.Random(seed)
    lines, taken = [], set()
    while len(lines) < count * 5:
        first = rng.choice(words).capitalize()
        names = [" ".join([first] + [rng.choice(words) for _ in range(n)]) for n in (0, 1, 2)]
        if names[0] in taken:
            names[0] = names[1]
        if any(n in taken for n in names):
            continue
        taken.update(names)
        lines.append(f"- name: {names[0]!r}\n  kind: person\n  aliases: [{names[1]!r}, {names[2]!r}]\n")
        if len(lines) == count:
            break
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--entities", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3, help="pairs of cold builds, taken in turn (default: 3)")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="annals-gazetteer-"))
    plain, named = work / "plain", work / "named"
    subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), str(plain / "seeds"), "-n", str(args.documents),
                    "--lang", "mixed"], check=True, capture_output=True)
    (plain / "seeds" / "entities.yaml").unlink(missing_ok=True)
    shutil.copytree(plain, named)
    (named / "seeds" / "entities.yaml").write_text(gazetteer(named / "seeds", args.entities), encoding="utf-8")
    label = f"{args.entities} entities"
    ratios = []
    for turn in range(1, args.repeat + 1):
        pair = {}
        for name, root in (("without gazetteer", plain), (label, named)):
            pair[name] = run_timed([sys.executable, "-m", "annals", "build", "--root", str(root), "--quiet",
                                    "--output", str(root / f"site-{turn}")])
        first, second = pair.values()
        ratios.append((second["wall"] / first["wall"], second["cpu"] / first["cpu"]))
        print(f"pair {turn}: without {first['wall']:.2f} s wall, {first['cpu']:.2f} s CPU; with {second['wall']:.2f} s"
              f" wall, {second['cpu']:.2f} s CPU; ratio {ratios[-1][0]:.2f}× wall, {ratios[-1][1]:.2f}× CPU")
    print(f"median ratio of {args.repeat}: {statistics.median(r[0] for r in ratios):.2f}× wall, "
          f"{statistics.median(r[1] for r in ratios):.2f}× CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
