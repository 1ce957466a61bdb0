"""The date report: what each document's dates were read as, how each year was chosen, and what was
refused and why — so that an archivist can audit the timeline (build-report.json, `--verbose`)."""
from __future__ import annotations

from .exports import reference_data

HOW = {"stated": "stated", "paragraph": "year from the same paragraph", "document": "year from the document's date",
       "earlier": "year from an earlier date of the document", "relative": "counted from the document's date",
       "anniversary": "the day the anniversary the document marks commemorates"}


def date_report(documents) -> list[dict]:
    """One entry per document with a date of its own, a date read or a date refused, in source order."""
    entries = []
    for document in sorted(documents, key=lambda d: d.source.name):
        read = [{"paragraph": p.number, "expression": m.expression, "date": m.iso, "precision": m.precision,
                 "edtf": m.edtf, "how": m.how, "event": i == 0}
                for p in document.dated for i, m in enumerate(p.dates)]
        refused = [{"line": r.line, "expression": r.expression, "reason": r.reason} for r in document.refused]
        if read or refused or document.reference:
            entries.append({"source": document.source.name, "document": document.id,
                            "date": reference_data(document.reference), "read": read, "refused": refused})
    return entries


def report_lines(entries: list[dict]) -> list[str]:
    """The date report for the terminal: a line per document's date, per date read and per refusal."""
    lines = []
    for entry in entries:
        date = entry["date"]
        own = f"dated {date['date']} ({date['from']})" if date else "no date of its own"
        lines.append(f"{entry['source']}: {own}")
        for item in entry["read"]:
            lines.append(f"  p{item['paragraph']}: {item['expression']!r} → {item['edtf']} ({HOW[item['how']]})")
        for item in entry["refused"]:
            lines.append(f"  line {item['line']}: {item['expression']!r} refused: {item['reason']}")
    return lines
