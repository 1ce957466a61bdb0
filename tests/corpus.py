"""A small deterministic corpus in the seed's format, for tests that need many documents."""
from __future__ import annotations

import random
from pathlib import Path

NBSP = "\u00a0\u00a0 "
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
WORDS = ("le la les des du de un une et pour avec dans pays peuple délégation coopération amitié relations "
         "accord traité rencontre visite cérémonie anniversaire congrès culture économie paix").split()


def document(rng: random.Random, index: int) -> str:
    section = rng.choice(["Politique", "Culture", "Économie", "Société"])
    sub = rng.choice(["Parti", "Arts", "Industrie", "Santé"])
    lines = [f"/ {section} - {sub}", f"Document {index} " + " ".join(rng.choice(WORDS) for _ in range(4))]
    year = rng.randint(1950, 2025)
    for p in range(rng.randint(3, 10)):
        if p and rng.random() < 0.2:
            lines += ["", "", ""]
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80)))
        if rng.random() < 0.4:
            body = f"Le {rng.randint(1, 28)} {rng.choice(MONTHS)} {year}, {body}"
        lines.append(NBSP + body + ".")
    return "\n".join(lines) + "\n"


def write(folder: Path, count: int, seed: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for index in range(count):
        (folder / f"{index:05d}.txt").write_text(document(rng, index), encoding="utf-8")
    return folder
