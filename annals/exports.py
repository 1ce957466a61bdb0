"""The archive as data: events.json, events.csv, documents.json and entities.json; and its citations,
every document's in one file per format: citations.bib, citations.ris, citations.json (CSL-JSON).

Each document's items (its line in documents.json, and each of its events' line in events.json and row
in events.csv) depend on that document alone — its content and its page path — so they are encoded once,
kept between builds in the build cache, and the files are read back from it in the archive's order:
after one document changed, a rebuild encodes that document's lines only. Lines are UTF-8 bytes, as they
are written.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import citation
from .entities import EntityIndex
from .model import Document, Event
from .write import Output, in_chunks

CSV_HEADER = b"date,precision,document,url,text\n"


@dataclass(frozen=True)
class DocumentLines:
    """One document's share of the exports, encoded: its documents.json item, and for each of its events
    its date, paragraph number, events.json item and events.csv row."""

    path: str
    document: bytes
    events: tuple[tuple[str, int, bytes, bytes], ...]


def document_lines(document: Document, events: tuple[Event, ...], source_copy: str) -> DocumentLines:
    """Encode a document's items (`document`: the whole document, whose events carry only excerpts of
    its paragraphs; `source_copy`: where the site keeps the verbatim copy of its source)."""
    paragraph_text = document.dated_text
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines = []
    for e in events:
        item = {"date": e.date, "precision": e.precision, "document": document.id, "url": e.url,
                "edtf": e.edtf, "end": e.end or None, "approximate": e.approximate, "how": e.how,
                "anchor": e.anchor, "paragraph": e.paragraph, "expression": e.expression,
                "year_inferred": e.year_inferred, "other_dates": [d.iso for d in e.other_dates],
                "text": paragraph_text[e.paragraph]}
        writer.writerow([spreadsheet_safe(cell) for cell in (e.date, e.precision, document.id, e.url,
                                                              paragraph_text[e.paragraph])])
        lines.append((e.date, e.paragraph, json.dumps(item, ensure_ascii=False).encode("utf-8"),
                      buffer.getvalue().encode("utf-8")))
        buffer.seek(0)
        buffer.truncate()
    item = {"id": document.id, "title": document.title, "section": document.section,
            "subsection": document.subsection, "url": document.path, "source": document.source.name,
            "source_copy": source_copy, "sha256": document.source.sha256, "encoding": document.source.encoding,
            "language": document.language, "paragraphs": document.paragraph_count, "events": len(events),
            "date": reference_data(document.reference), "draft": document.draft,
            "provenance": {"url": document.provenance.url, "retrieved": document.provenance.retrieved,
                           "publisher": document.provenance.publisher, "author": document.provenance.author,
                           "published": document.provenance.published,
                           **_capture(document.provenance.capture)}}
    return DocumentLines(document.path, json.dumps(item, ensure_ascii=False).encode("utf-8"), tuple(lines))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: one that starts with =, +, -, @, a tab or a
    carriage return gets a leading apostrophe, as OWASP advises against CSV injection."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def reference_data(reference) -> dict | None:
    """A document's own date as the data files give it: {"date", "precision", "from"}, or null."""
    if reference is None:
        return None
    return {"date": reference.iso, "precision": reference.precision, "from": reference.source,
            "expression": reference.expression or None}


def export_files(store, entities: EntityIndex) -> list[Output]:
    """The four data files, from the lines of every document of the archive in `store` (the build cache,
    which gives them back in order: events chronologically, documents by page path). Each file is
    written as it is read, never whole in memory (at 10,000 documents the three are 70 MB)."""
    return [Output("events.json", pieces=in_chunks(json_pieces(store.event_lines("json")))),
            Output("documents.json", pieces=in_chunks(json_pieces(store.document_lines()))),
            Output("events.csv", pieces=in_chunks(itertools.chain([CSV_HEADER], store.event_lines("csv")))),
            entities_json(entities)]


CITATION_FILES = ("citations.bib", "citations.ris", "citations.json")


def citation_files(documents, site) -> list[Output]:
    """Every document's citation, in the archive's order. A file read by many cannot know when each
    reader consults the archive: these leave the consultation date out (a page's downloads have it)."""
    items = [citation.cited(d, site) for d in documents]
    bib = "\n".join(citation.bibtex(item, accessed="") for item in items)
    ris = "\n".join(citation.ris(item, accessed="") for item in items)
    csl = [citation.csl(item, accessed="") for item in items]
    return [Output("citations.bib", bib.encode("utf-8")), Output("citations.ris", ris.encode("utf-8")),
            Output("citations.json", dump_json(csl))]


def entities_json(index: EntityIndex) -> Output:
    items = [{"id": e.id, "name": e.name, "kind": e.kind,
              "aliases": list(e.aliases[1:]), "description": e.description, "links": list(e.links), "url": e.path,
              "mentions": [{"document": m.document.id, "url": m.url, "date": m.date, "precision": m.precision,
                            "paragraph": m.paragraph, "text": m.text} for m in index.mentions_of(e)]}
             for e in index.entities]
    return Output("entities.json", dump_json(items))


def json_list(items: Iterable[bytes]) -> bytes:
    """A JSON list of items already encoded, one per line: readable, diffable."""
    return b"".join(json_pieces(items))


def json_pieces(items: Iterable[bytes]) -> Iterator[bytes]:
    """`json_list`, piece by piece."""
    yield b"[\n"
    separator = b""
    for item in items:
        yield separator
        yield item
        separator = b",\n"
    yield b"\n]\n"


def dump_json(data) -> bytes:
    """JSON with one list item per line: readable, diffable, and fast (the C encoder needs no indent)."""
    if isinstance(data, list):
        return json_list([json.dumps(item, ensure_ascii=False).encode("utf-8") for item in data])
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _capture(capture) -> dict:
    """Where a captured page's record is, for the data files; nothing for a document of a file."""
    if capture is None:
        return {}
    return {"capture": {"archive": capture.archive, "member": capture.member, "offset": capture.offset,
                        "payload_digest": capture.digest}}
