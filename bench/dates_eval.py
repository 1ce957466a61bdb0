"""Score Annals' date reading against hand labels, beside dateparser's on the same paragraphs.

usage: python bench/dates_eval.py LABELS.jsonl [LABELS.jsonl …] [--sources DIR] [--no-metadata]
                                  [--language fr] [--no-dateparser] [--misses]

Each line of a labels file is one paragraph: {"source": "file.txt", "paragraph": N, "date": "2024-06-19" |
null, "precision": "day" | "month" | "year"} — the first date the paragraph states, as a reader resolves it.
The sources are read from --sources, else from the folder beside the labels file named as it is
(bench/dates/fr-dev.jsonl → bench/dates/fr-dev/), else ../shared/corpora/kcna-dev/.

A paragraph counts as found when both the labels and the extractor give it a date; precision, recall and
F1 are over paragraphs holding a date, and "exact" is the share of those found whose date and precision
are both the label's. --no-metadata reads the sources without their sidecars (no `published:` date):
what Annals makes of a document whose date is only in its own text. dateparser (`search_dates`, its first
result, with the document's `published:` date as the base of relative dates) is scored on the same
paragraphs; install it with `pip install dateparser`.
"""
from __future__ import annotations

import argparse
import datetime
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from annals.loader import load_document  # noqa: E402
from annals.sources import Reading  # noqa: E402
from annals.loader.metadata import checked, parse_yaml  # noqa: E402

CORPUS = HERE.parent.parent / "shared" / "corpora" / "kcna-dev"


@dataclass(frozen=True)
class Label:
    source: str
    paragraph: int
    date: str | None
    precision: str | None


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    found: int = 0
    exact: int = 0

    def line(self, name: str) -> str:
        precision = self.found / self.predicted if self.predicted else 0.0
        recall = self.found / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        exact = self.exact / self.found if self.found else 0.0
        return (f"{name:<14} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  exact {exact:.3f} "
                f"({self.exact}/{self.found})  gold {self.gold}, predicted {self.predicted}")

    def add(self, label: Label, guess: tuple[str, str] | None) -> bool:
        self.gold += label.date is not None
        self.predicted += guess is not None
        if label.date is not None and guess is not None:
            self.found += 1
            right = guess == (label.date, label.precision)
            self.exact += right
            return right
        return label.date is None and guess is None


def read_labels(path: Path) -> list[Label]:
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            item = json.loads(line)
            labels.append(Label(item["source"], int(item["paragraph"]), item.get("date"), item.get("precision")))
    return labels


def sources_folder(labels_file: Path, given: Path | None) -> Path:
    if given:
        return given
    beside = labels_file.with_suffix("")
    return beside if beside.is_dir() else CORPUS


def annals_dates(folder: Path, name: str, language: str, metadata: bool) -> dict[int, tuple[str, str]]:
    """Paragraph number → (date, precision) of the event Annals makes of it."""
    path = folder / name
    if not metadata:
        bare = Path(tempfile.mkdtemp()) / name
        shutil.copy(path, bare)
        path = bare
    document, _ = load_document(path, name, Reading(language))
    if not metadata:
        shutil.rmtree(path.parent)
    return {b.number: (b.dates[0].iso, b.dates[0].precision) for b in document.dated} if document else {}


def paragraphs(folder: Path, name: str, language: str) -> tuple[dict[int, str], str, str]:
    """Paragraph number → text, the document's `published:` date and language (from its sidecar)."""
    document, _ = load_document(folder / name, name, Reading(language))
    meta = {}
    sidecar = (folder / name).with_suffix(".yaml")
    if sidecar.is_file():
        text = sidecar.read_text(encoding="utf-8")
        meta, _ = checked(parse_yaml(text), text)
    return ({b.number: b.text for b in document.paragraphs}, meta.get("published", ""),
            meta.get("language") or language)


def dateparser_dates(folder: Path, name: str, language: str) -> dict[int, tuple[str, str]]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    texts, published, lang = paragraphs(folder, name, language)
    settings = {"PREFER_DATES_FROM": "past"}
    if published:
        settings["RELATIVE_BASE"] = datetime.datetime.fromisoformat(published[:10])
    parser = DateDataParser(languages=[lang], settings=settings)
    found = {}
    for number, text in texts.items():
        results = search_dates(text, languages=[lang], settings=settings) or []
        if not results:
            continue
        expression, when = results[0]
        period = parser.get_date_data(expression).period or "day"
        precision = period if period in ("day", "month", "year") else "day"
        found[number] = (when.date().isoformat()[:{"day": 10, "month": 7, "year": 4}[precision]], precision)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("labels", type=Path, nargs="+")
    parser.add_argument("--sources", type=Path)
    parser.add_argument("--language", default="fr", help="the documents' language when no sidecar says")
    parser.add_argument("--no-metadata", action="store_true", help="read the sources without their sidecars")
    parser.add_argument("--no-dateparser", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list each paragraph Annals got wrong")
    args = parser.parse_args(argv)
    scores = {"annals": Score()}
    if not args.no_dateparser:
        scores["dateparser"] = Score()
    for labels_file in args.labels:
        folder = sources_folder(labels_file, args.sources)
        labels = read_labels(labels_file)
        by_source: dict[str, list[Label]] = {}
        for label in labels:
            by_source.setdefault(label.source, []).append(label)
        for name, items in by_source.items():
            ours = annals_dates(folder, name, args.language, not args.no_metadata)
            theirs = dateparser_dates(folder, name, args.language) if "dateparser" in scores else {}
            for label in items:
                right = scores["annals"].add(label, ours.get(label.paragraph))
                if args.misses and not right:
                    print(f"  miss {name} p{label.paragraph}: labelled {label.date} {label.precision or ''}, "
                          f"read {ours.get(label.paragraph)}")
                if "dateparser" in scores:
                    scores["dateparser"].add(label, theirs.get(label.paragraph))
    print(f"{sum(1 for f in args.labels for _ in read_labels(f))} paragraphs from "
          f"{', '.join(f.name for f in args.labels)}{' (no metadata)' if args.no_metadata else ''}")
    for name, score in scores.items():
        print(score.line(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
