"""The record of addresses: which document (known by its source file) each published address belongs to.

An address, once published, keeps leading to its document for as long as the document exists. A document
keeps the address it was first given; a newcomer asking for a held address gets the next free suffix; when
a document's address changes (its title edited, a `slug:` set, a move to another section) the old one
becomes a redirect page to the new one, and so do the `aliases:` its metadata lists. A deleted document's
addresses stay its own, so nothing else is ever published at them; a source renamed with its text unchanged
(the same SHA-256) takes its record with it.

The record is the JSON file `addresses.json`: kept beside annals.yaml (the archivist keeps it with the
sources, so it survives losing the site and the build cache) and published in the site, which is the
record when no kept file is configured.
"""
from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import slugs
from .model import Problem
from .showable import FORBIDDEN
from .sources import NotReadable, read_regular

RECORD_FILE = "addresses.json"
FORMAT = 1
ABOUT = ("Every address Annals has published for each source document: `address` is its page, `former` the "
         "addresses that now redirect to it. Keep this file with the sources; an address listed here is "
         "never given to another document. Remove a document's entry to release its addresses.")
# What a part of an alias may hold: no separators, wildcards, quotes or controls of any file system.
ALIAS_PART = re.compile(r'^[^\x00-\x1f\x7f/\\?#:*"<>|]+$')
PAGE_SUFFIXES = (".html", ".htm")
RESERVED_STEMS = {"index"}  # a document's page is never its folder's index


class RecordError(ValueError):
    """`addresses.json:LINE: what is wrong — what to do`."""


@dataclass(frozen=True)
class Held:
    """A document's addresses: its page, and the addresses that redirect to it."""

    address: str
    former: tuple[str, ...] = ()
    sha256: str = ""
    gone: bool = False  # its source is no longer there; its addresses stay its own
    anchors: tuple[tuple[str, str], ...] = ()  # every event anchor its page has had, with its paragraph's mark

    @property
    def addresses(self) -> tuple[str, ...]:
        return (self.address, *self.former)


@dataclass(frozen=True)
class Record:
    """Source name → its addresses."""

    held: dict = field(default_factory=dict)

    def encoded(self) -> bytes:
        documents = {name: {"address": h.address, "former": list(h.former), "sha256": h.sha256,
                            **({"anchors": dict(h.anchors)} if h.anchors else {}),
                            **({"gone": True} if h.gone else {})} for name, h in sorted(self.held.items())}
        text = json.dumps({"about": ABOUT, "format": FORMAT, "documents": documents}, ensure_ascii=False, indent=1)
        return (text + "\n").encode("utf-8")


@dataclass(frozen=True)
class Redirect:
    """A page at `path` sending its visitors to `target` (both site paths), the page of `title`."""

    path: str
    target: str
    title: str


@dataclass(frozen=True)
class Placement:
    """What placing the documents gave: each one's page path (by source name), the record to keep, the
    redirect pages to write, and the addresses asked for that could not be given."""

    paths: dict
    record: Record
    redirects: tuple[Redirect, ...]
    problems: tuple[Problem, ...]


def read_record(*candidates: Path | None) -> Record:
    """The record from the first of `candidates` that exists (the kept file, then the published site's);
    an empty one if none does. A damaged record stops the build (RecordError): building without it could
    hand an address to another document."""
    for path in candidates:
        if path is None or not path.exists():
            continue
        try:
            data = read_regular(path)
        except (NotReadable, OSError) as error:
            raise RecordError(f"{path}: {getattr(error, 'strerror', None) or error}") from None
        return _decoded(data, str(path))
    return Record()


def _decoded(data: bytes, name: str) -> Record:
    try:
        text = data.decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise RecordError(f"{name}:{line}: not valid UTF-8 — restore the file "
                          "from a copy (your version control, or the published site's addresses.json)") from None
    except json.JSONDecodeError as error:
        raise RecordError(f"{name}:{error.lineno}: not valid JSON ({error.msg}) — restore the file from a copy "
                          "(your version control, or the published site's addresses.json)") from None
    documents = value.get("documents") if isinstance(value, dict) else None
    if not isinstance(documents, dict) or value.get("format") != FORMAT:
        raise RecordError(f"{name}:1: expected {{\"format\": {FORMAT}, \"documents\": {{…}}}} — restore the file "
                          "from a copy")
    return Record({source: _held(source, entry, name, text) for source, entry in documents.items()})


def _held(source: str, entry, name: str, text: str) -> Held:
    former = entry.get("former", []) if isinstance(entry, dict) else None
    anchors = entry.get("anchors", {}) if isinstance(entry, dict) else None
    valid = (isinstance(entry, dict) and isinstance(entry.get("address"), str) and isinstance(former, list)
             and all(isinstance(f, str) for f in former) and isinstance(entry.get("sha256", ""), str)
             and isinstance(anchors, dict) and all(isinstance(v, str) for v in anchors.values()))
    if not valid:
        line = text.count("\n", 0, max(text.find(json.dumps(source, ensure_ascii=False) + ":"), 0)) + 1
        raise RecordError(f"{name}:{line}: the entry of {source} should hold an \"address\" (text) and "
                          "\"former\" (a list of text) — correct it or restore the file from a copy")
    return Held(entry["address"], tuple(former), entry.get("sha256", ""), entry.get("gone") is True,
                tuple(sorted(anchors.items())))


def alias_path(alias: str) -> str:
    """An alias as the site path of its redirect page ("/posts/old/" → "posts/old/index.html"), or "" when
    it cannot be one: outside the site, a hidden or reserved place, not a page."""
    written = alias.strip()
    parts = written.strip("/").split("/")
    if FORBIDDEN.search(written) or not all(_usable(part) for part in parts):
        return ""
    if any(part.lower().endswith(PAGE_SUFFIXES) for part in parts[:-1]):
        return ""  # a folder named like a page would stand where another alias's page may
    if written.endswith("/") or not parts[-1].lower().endswith(PAGE_SUFFIXES):
        if "." in parts[-1]:
            return ""  # a file that is not a page ("old.php"): a static site cannot answer there
        parts.append("index.html")
    first = parts[0].rsplit(".", 1)[0] if len(parts) == 1 else parts[0]
    return "" if first.lower() in slugs.RESERVED_ROOT else "/".join(parts)


def _usable(part: str) -> bool:
    return part not in ("", ".", "..") and not part.startswith(".") and bool(ALIAS_PART.match(part))


@dataclass(frozen=True)
class Wanted:
    """What a document asks for: the address its folder and slug make, and its aliases' redirect pages."""

    source: str
    sha256: str
    title: str
    folder: str
    slug: str
    aliases: tuple[str, ...] = ()


def place(wanted: list[Wanted], record: Record, reserved: set[str]) -> Placement:
    """Each document's page path, keeping every address its record holds for it; `reserved`: paths the
    site's own pages take (sections' indexes), never a document's or a redirect's."""
    held = _identities(wanted, record)
    owner = {address: name for name, h in held.items() for address in h.addresses}
    for path in reserved:
        owner.setdefault(path, "")
    kept, problems = dict(held), []
    for want in sorted(wanted, key=lambda w: w.source):  # pages first: an alias never takes a page's address
        path = _free(want, owner)
        owner[path] = want.source
        before = held.get(want.source, Held(path))
        kept[want.source] = Held(path, tuple(a for a in before.addresses if a != path), want.sha256,
                                 anchors=before.anchors)
    for want in sorted(wanted, key=lambda w: w.source):
        for alias in want.aliases:
            holder = owner.setdefault(alias, want.source)
            if holder != want.source:
                problems.append(Problem(want.source, f"alias {alias} is not published: the address is "
                                        + (f"held by {holder}" if holder else "a page of the site")))
            elif alias not in kept[want.source].addresses:
                kept[want.source] = replace(kept[want.source], former=(*kept[want.source].former, alias))
    names = {w.source for w in wanted}
    for name, h in kept.items():
        if name not in names and not h.gone:
            kept[name] = replace(h, gone=True)
    titles = {w.source: w.title for w in wanted}
    redirects = tuple(Redirect(old, kept[name].address, titles[name]) for name in sorted(names)
                      for old in kept[name].former if old not in reserved)
    return Placement({name: kept[name].address for name in names}, Record(kept), redirects, tuple(problems))


def _identities(wanted: list[Wanted], record: Record) -> dict:
    """The record's entries by the source names of this build: a source not in the record whose text is
    a gone source's (a file renamed) takes that source's entry."""
    held = dict(record.held)
    names = {w.source for w in wanted}
    gone_by_text = {}
    for name, h in sorted(held.items()):
        if name not in names and h.sha256:
            gone_by_text.setdefault(h.sha256, name)
    for want in sorted(wanted, key=lambda w: w.source):
        if want.source not in held and want.sha256 in gone_by_text:
            held[want.source] = replace(held.pop(gone_by_text.pop(want.sha256)), gone=False)
    return held


def _free(want: Wanted, owner: dict) -> str:
    """The address `want` asks for, or its first suffixed form held by no other document."""
    counter, stem = 1, want.slug
    while stem in RESERVED_STEMS or owner.get(f"{want.folder}/{stem}.html", want.source) != want.source:
        counter += 1
        stem = f"{want.slug}-{counter}"
    return f"{want.folder}/{stem}.html"


def paragraph_mark(excerpt: str) -> str:
    """What tells a paragraph again in a later build: a digest of the start of its text."""
    return hashlib.sha256(excerpt.encode("utf-8")).hexdigest()[:16]


def with_anchors(placement: Placement, anchors: dict) -> Placement:
    """The placement with each document's event anchors (source name → [(anchor, paragraph excerpt)])
    added to those its record held: an anchor now on another paragraph takes that one's mark."""
    kept = dict(placement.record.held)
    for name, now in anchors.items():
        merged = dict(kept[name].anchors)
        merged.update((anchor, paragraph_mark(excerpt)) for anchor, excerpt in now)
        kept[name] = replace(kept[name], anchors=tuple(sorted(merged.items())))
    return replace(placement, record=Record(kept))


def former_anchors(anchors: tuple, current: set[str], paragraphs) -> dict[int, tuple[str, ...]]:
    """Of the anchors a document's page has had (`anchors`: Held.anchors), those it no longer gives (not in
    `current`), by the number of the paragraph (of `paragraphs`, blocks) whose text they pointed at: each
    stays an id there. Most pages have none, and read no paragraph for it."""
    lost = [(anchor, mark) for anchor, mark in anchors if anchor not in current]
    if not lost:
        return {}
    marks = {}
    for block in paragraphs:
        marks.setdefault(paragraph_mark(block.excerpt), block.number)
    former: dict[int, list[str]] = {}
    for anchor, mark in lost:
        if mark in marks:
            former.setdefault(marks[mark], []).append(anchor)
    return {number: tuple(found) for number, found in former.items()}


def redirect_link(redirect: Redirect) -> str:
    """The link from a redirect page to its target, relative: it works from file:// and on any host."""
    return posixpath.relpath(redirect.target, posixpath.dirname(redirect.path) or ".")


def write_record(path: Path, data: bytes) -> str:
    """Keep the record at `path` (replaced in one step, only when it changed); the reason if it could not be."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return ""
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as error:
        return f"could not be written ({error.strerror}); the site is published, but the addresses it gave " \
               "are not kept for the next build — make the folder writable"
    return ""
