"""Source folder → Documents: find sources, read bytes, decode, parse with the right reader, read dates."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .. import slugs
from ..dates import find_document_dates, reference_date
from ..parallel import ordered_map
from ..sources import (FORMATS, MAX_FILE_BYTES, SIDECAR, NotReadable, Reading, find_sources,  # noqa: F401
                       leads_out, read_regular, source_name)
from ..captures import CaptureError, Captured, captured_pages, is_capture, read_page, record_of
from ..model import HEADING, PARAGRAPH, Block, Capture, Document, Problem, Provenance, RefusedDate, Source
from .decode import Undecodable, decode, replace_forbidden
from .markdown import read_markdown
from .metadata import MetadataError, checked, parse_yaml
from .parts import Parts
from .text import read_text
from .webpage import NoArticle, read_html, url_sections

READERS = {"text": read_text, "markdown": read_markdown, "html": read_html}  # by `sources.FORMATS`


@dataclass(frozen=True)
class Loaded:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


def load_archive(root: Path, language: str = "fr", workers: int = 0) -> Loaded:
    """Every readable document under `root` and a problem for each thing that could not be read.

    Documents are read on every core (`workers`, 0 for one per core); the result does not depend on it.
    """
    paths, problems = find_sources(root)
    jobs = []
    for path in paths:
        name = source_name(root, path)
        if is_capture(name):
            listing, note = captured_pages(path, name)
            problems.append(note)
            jobs += [(path, page.name(name), Reading(language)) for page in listing.pages]
        else:
            jobs.append((path, name, Reading(language)))
    documents = []
    for document, found in ordered_map(_load_job, jobs, workers):
        problems.extend(found)
        if document is not None:
            documents.append(document)
    return Loaded(tuple(documents), tuple(problems))


def _load_job(job: tuple[Path, str, "Reading"]) -> tuple[Document | None, list[Problem]]:
    return load_document(*job)


def load_document(path: Path, name: str, reading: Reading = Reading()) -> tuple[Document | None, list[Problem]]:
    """One source file → a Document (or None when it cannot be read) and what went wrong."""
    language, limit = reading.language, reading.limit
    captured = None
    try:
        if record_of(name):
            captured = read_page(path, name, limit)
            data = captured.payload
        else:
            data = read_regular(path, limit)
    except (NotReadable, CaptureError) as error:
        return None, [Problem(name, str(error), severity="error")]
    except OSError as error:
        return None, [Problem(name, f"could not be read ({error.strerror}) — check its permissions",
                              severity="error")]
    form = "html" if captured else FORMATS[path.suffix.lower()]
    reader = READERS[form]
    try:
        decoded = decode(data, captured.charset if captured else "")
    except Undecodable as error:
        return None, [Problem(name, f"{error}; skipped — convert it to UTF-8 text", severity="error")]
    problems = [Problem(name, decoded.warning, decoded.line)] if decoded.warning else []
    text, control_line = replace_forbidden(decoded.text)
    if control_line:
        problems.append(Problem(name, "contains control characters HTML cannot show; they appear as � "
                                      "(the verbatim source copy keeps them)", control_line))
    if not text.strip():
        return None, [Problem(name, "is empty; skipped — nothing to publish", severity="error")]
    sidecar_name = Path(name).with_suffix(SIDECAR).as_posix()
    try:
        meta, notes = ({}, []) if captured else _sidecar(path.with_suffix(SIDECAR),
                                                         Path(os.fspath(path)[:-len(name) - 1]), limit)
    except (MetadataError, Undecodable) as error:
        line = getattr(error, "line", 0)
        return None, problems + [Problem(sidecar_name, f"{error}; document {name} skipped", line, "error")]
    try:
        parts = read_text(text, meta.get("layout") or reading.layout) if form == "text" else reader(text)
    except MetadataError as error:
        return None, problems + [Problem(name, f"{error}; document skipped", error.line, "error")]
    except NoArticle as error:
        return None, problems + [Problem(name, str(error), severity="error")]
    if parts.layout_doubt:
        problems.append(Problem(name, parts.layout_doubt, severity="note"))
    problems += [Problem(name, note, line) for line, note in parts.notes]
    problems += [Problem(sidecar_name, note, line) for line, note in notes]
    meta = {**parts.metadata, **meta, **(_capture_metadata(captured) if captured else {})}
    language = meta.get("language") or language
    title = meta.get("title") or parts.title or Path(name).stem
    section, subsection = meta.get("section") or parts.section, meta.get("subsection") or parts.subsection
    if form == "html" and not section:
        section, subsection = url_sections(meta.get("url", ""), reading.url_sections)
    first = next((raw.text for raw in parts.blocks if raw.kind == PARAGRAPH), "")
    reference = reference_date(meta.get("published", ""), title, first, language)
    blocks, refused, date_problems = _dated_blocks(parts, language, name, reference)
    source = Source(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                    encoding=decoded.encoding, format=form)
    document = Document(
        title=title,
        slug=slugs.slug(meta.get("slug") or title, Path(name).stem),
        aliases=meta.get("aliases", ()),
        draft=meta.get("draft", False),
        section=section,
        subsection=subsection,
        language=language,
        blocks=blocks,
        source=source,
        provenance=Provenance(url=meta.get("url", ""), retrieved=meta.get("retrieved", ""),
                              publisher=meta.get("publisher", ""), published=meta.get("published", ""),
                              capture=meta.get("capture"), author=meta.get("author", "")),
        reference=reference,
        refused=refused,
    )
    return document, problems + date_problems


def _capture_metadata(captured: Captured) -> dict:
    """What a page's capture says of it, over what the page says: the address captured, when, and where
    in the archive the record is."""
    listed = captured.listed
    return {"url": listed.uri, "retrieved": listed.date,
            "capture": Capture(captured.archive, listed.member, listed.offset, listed.digest)}


def _sidecar(sidecar: Path, root: Path, limit: int) -> tuple[dict, list[tuple[int, str]]]:
    """The metadata of a document's sidecar, if it has one that may be read: a regular file inside the
    source folder (`root`; a link leading out of it is reported when the folder is listed)."""
    if not os.path.lexists(sidecar):
        return {}, []
    if leads_out(sidecar, root.resolve()):
        return {}, []
    try:
        data = read_regular(sidecar, limit)
    except NotReadable as error:
        return {}, [(0, f"{error}; the document is built without it")]
    except OSError as error:
        return {}, [(0, f"could not be read ({error.strerror}); the document is built without it")]
    text = decode(data).text
    return checked(parse_yaml(text), text, first_line=1)


def _dated_blocks(parts: Parts, language: str, name: str, reference) -> tuple[tuple[Block, ...], tuple, list[Problem]]:
    """Number the paragraphs and read their dates against the document's date (`reference`), in one
    pass over the document; a document without one carries the year from one date to the next,
    headings included."""
    found = iter(find_document_dates([raw.text for raw in parts.blocks if raw.kind in (PARAGRAPH, HEADING)],
                                     language, None, reference))
    blocks, refused, problems, number = [], [], [], 0
    for raw in parts.blocks:
        dates = ()
        if raw.kind in (PARAGRAPH, HEADING):
            read = next(found)
            refused += [RefusedDate(raw.line, r.expression, r.reason) for r in read.rejected]
            problems += [Problem(name, f"{r.expression!r} is not read as a date: {r.reason}", raw.line)
                         for r in read.rejected if r.warn]
            problems += [Problem(name, f"{d.expression!r}: {d.reason}", raw.line) for d in read.doubts]
            dates = read.mentions if raw.kind == PARAGRAPH else ()
        if raw.kind == PARAGRAPH:
            number += 1
        blocks.append(Block(kind=raw.kind, text=raw.text, line=raw.line,
                            number=number if raw.kind == PARAGRAPH else 0,
                            dates=dates, html=raw.html, gap_lines=raw.gap_lines, speaker=raw.speaker))
    return tuple(blocks), tuple(refused), problems
