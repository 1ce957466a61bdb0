"""Web archives (.warc, .warc.gz, .wacz) → the pages they captured, each a source of its own.

A capture is listed once, streaming (`list_pages`: memory stays flat in the archive's size), and each page
is then read on its own by its record's offset (`read_page`). A page's source name is the archive's with the
record after "#": `captures/site.warc.gz#1036`, or `captures/site.wacz#archive/data.warc.gz#1036` for a WARC
inside a WACZ (a ZIP of WARCs, whose `pages/pages.jsonl` names the pages). Only captured HTML pages (a
response with status 200, or a resource, of type text/html) are documents; redirects, assets, errors,
revisits and second copies of a page are left out and counted.
"""
from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import code_version, digest, signature
from .model import Problem

SUFFIXES = (".warc", ".warc.gz", ".wacz")
PAGES_LIST = "pages/pages.jsonl"
LEFT_OUT = {  # why a record is no document: how the report counts one of them, and more
    "redirect": ("redirect", "redirects"),
    "asset": ("asset or other file that is not HTML", "assets and other files that are not HTML"),
    "error": ("response that is not 200 OK", "responses that are not 200 OK"),
    "revisit": ("revisit (a page captured again unchanged)", "revisits (pages captured again unchanged)"),
    "duplicate": ("second copy of a page already read", "second copies of pages already read"),
    "not_page": ("HTML page not listed in pages.jsonl", "HTML pages not listed in pages.jsonl"),
}


LISTING = "capture-listing:"  # the build cache's fragments holding a web archive's listing, by its signature


def captured_pages(path: Path, name: str, memo=None, reuse: bool = True) -> tuple["Listing", Problem]:
    """The pages of the web archive at `path` (source name `name`), and a note of what they are, or the
    error that it cannot be read. `memo` (the build cache's fragments) keeps the listing by the file's
    signature: an archive is listed once per version of its file (`reuse` False when its stat cannot be
    trusted, the file changed too close to the last build)."""
    key = LISTING + digest(code_version(), signature(path))
    kept = memo.get(key) if memo is not None and reuse else None
    if kept:
        listing = Listing.from_data(json.loads(kept))
    else:
        try:
            listing = list_pages(path)
        except CaptureError as error:
            return Listing(()), Problem(name, f"{error}; its pages were left out", severity="error")
        except OSError as error:
            return Listing(()), Problem(name, f"could not be read ({error.strerror}); its pages were left out",
                                        severity="error")
        if memo is not None:
            memo[key] = json.dumps(listing.as_data())
    return listing, Problem(name, listing.summary(), severity="note")


class CaptureError(ValueError):
    """A web archive that cannot be read (where: the byte it stopped at, when known)."""


def is_capture(name: str) -> bool:
    """Whether a file name is a web archive's."""
    return name.lower().endswith(SUFFIXES)


@dataclass(frozen=True)
class Listed:
    """A captured page as the listing finds it: where its record is, its original address, when it was
    captured (WARC-Date) and the digest of its payload (WARC-Payload-Digest, "" when the WARC has none)."""

    member: str  # the WARC inside a WACZ, "" in a WARC file
    offset: int
    uri: str
    date: str
    digest: str

    def name(self, archive: str) -> str:
        """The page's source name, given its archive's."""
        return f"{archive}#{self.member}#{self.offset}" if self.member else f"{archive}#{self.offset}"


@dataclass(frozen=True)
class Listing:
    """What an archive holds: its pages, and by reason (LEFT_OUT's keys) how many records were left out."""

    pages: tuple[Listed, ...]
    left_out: dict = field(default_factory=dict)

    def as_data(self) -> dict:
        return {"pages": [[p.member, p.offset, p.uri, p.date, p.digest] for p in self.pages],
                "left_out": self.left_out}

    @classmethod
    def from_data(cls, data: dict) -> "Listing":
        return cls(tuple(Listed(*p) for p in data["pages"]), dict(data["left_out"]))

    def summary(self) -> str:
        """"3 pages read; left out: 2 redirects, 9 assets…" for the build report."""
        left = ", ".join(f"{n} {LEFT_OUT[reason][n > 1]}" for reason, n in sorted(self.left_out.items()) if n)
        pages = f"{len(self.pages)} page{'' if len(self.pages) == 1 else 's'} captured"
        return f"{pages}; left out: {left}" if left else pages


@dataclass(frozen=True)
class Captured:
    """A captured page, read: its record's place and headers, and its payload (the page's bytes, decoded
    from any transfer or content encoding) with the charset its Content-Type gave."""

    listed: Listed
    payload: bytes
    charset: str
    archive: str  # the archive's source name


def record_of(name: str) -> tuple[str, str, int] | None:
    """A page's source name → (its archive's name, member, offset); None for the name of a file."""
    archive, mark, rest = name.partition("#")
    if not mark or not is_capture(archive):
        return None
    member, _, offset = rest.rpartition("#")
    return (archive, member, int(offset)) if offset.isdigit() else None


def file_of(name: str) -> str:
    """The file under the source folder that a source name's document comes from: a page's archive."""
    found = record_of(name)
    return found[0] if found else name


def list_pages(path: Path) -> Listing:
    """Every captured HTML page of the archive at `path`, in record order, streaming through it."""
    if path.name.lower().endswith(".wacz"):
        return _list_wacz(path)
    with path.open("rb") as stream:
        return _list_warc(stream, "", None)


def _list_wacz(path: Path) -> Listing:
    try:
        with zipfile.ZipFile(path) as package:
            wanted = _listed_pages(package)
            members = sorted(n for n in package.namelist() if n.startswith("archive/") and is_capture(n))
            if not members:
                raise CaptureError("is a WACZ with no WARC in its archive/ folder")
            pages, left = [], Counter()
            for member in members:
                with package.open(member) as stream:
                    found = _list_warc(stream, member, wanted)
                pages += found.pages
                left.update(found.left_out)
    except zipfile.BadZipFile as error:
        raise CaptureError(f"is not a readable WACZ (a ZIP file): {error}") from error
    return Listing(tuple(_first_copies(pages, left)), dict(left))


def _listed_pages(package: zipfile.ZipFile) -> set[str] | None:
    """The addresses pages/pages.jsonl lists (without their #fragment); None when it lists none."""
    try:
        lines = package.read(PAGES_LIST).decode("utf-8", "replace").splitlines()
    except KeyError:
        return None
    urls = set()
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            urls.add(entry["url"].partition("#")[0])
    return urls or None


def _list_warc(stream, member: str, wanted: set[str] | None) -> Listing:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages, left, records = [], Counter(), 0
    iterator = ArchiveIterator(stream, check_digests=False)
    try:
        for record in iterator:
            if record.format != "warc":  # warcio reads any text with a first line of five words as ARC
                raise CaptureError(f"is not a WARC file (no WARC record at byte {iterator.get_record_offset()})")
            records += 1
            reason = _left_out(record)
            if reason is None:
                headers = record.rec_headers
                uri = headers.get_header("WARC-Target-URI") or ""
                if wanted is not None and uri.partition("#")[0] not in wanted:
                    reason = "not_page"
                else:
                    pages.append(_listed(member, iterator.get_record_offset(), headers))
            if reason:
                left[reason] += 1
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        where = f" at byte {iterator.offset}" if getattr(iterator, "offset", None) is not None else ""
        raise CaptureError(f"could not be read as a web archive{where}: {_first_line(error)}") from error
    if not records:
        raise CaptureError("holds no WARC record (an empty or damaged file)")
    return Listing(tuple(pages) if member else tuple(_first_copies(pages, left)), dict(left))


def _left_out(record) -> str | None:
    """Why a record is not a page (a LEFT_OUT key), None for a page; "" for records that are no capture
    of anything (warcinfo, request, metadata), which are not counted."""
    kind = record.rec_type
    if kind == "revisit":
        return "revisit"
    if kind not in ("response", "resource"):
        return ""
    if kind == "response":
        if record.http_headers is None:
            return ""  # a response that is not HTTP (dns:, whois:)
        status = record.http_headers.get_statuscode() or ""
        if status.startswith("3"):
            return "redirect"
        if status != "200":
            return "error"
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    return None if _is_html(content_type) else "asset"


def _is_html(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")


def _first_copies(pages: list[Listed], left: Counter) -> list[Listed]:
    """The pages without second copies (the same address with the same payload), counted as left out."""
    seen, kept = set(), []
    for page in pages:
        key = (page.uri, page.digest)
        if page.digest and key in seen:
            left["duplicate"] += 1
            continue
        seen.add(key)
        kept.append(page)
    return kept


def read_page(path: Path, name: str, limit: int) -> Captured:
    """The page whose source name is `name`, from the archive at `path`; at most `limit` bytes of it."""
    from warcio.archiveiterator import ArchiveIterator

    archive, member, offset = record_of(name)
    with _opened(path, member) as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream, check_digests=False)), None)
        if record is None:
            raise CaptureError(f"has no record at byte {offset}")
        payload = record.content_stream().read(limit + 1)
        if len(payload) > limit:
            raise CaptureError(f"holds a page of more than {limit} bytes at byte {offset}; not read — raise "
                               "max_file_size in annals.yaml to read it")
        headers = record.rec_headers
        content_type = (record.http_headers.get_header("Content-Type") if record.http_headers
                        else headers.get_header("Content-Type")) or ""
    return Captured(_listed(member, offset, headers), payload, _charset(content_type), archive)


def _listed(member: str, offset: int, headers) -> Listed:
    """A page's record as the listing keeps it, from its place and its WARC headers."""
    return Listed(member, offset, headers.get_header("WARC-Target-URI") or "", headers.get_header("WARC-Date") or "",
                  headers.get_header("WARC-Payload-Digest") or "")


@contextmanager
def _opened(path: Path, member: str):
    if not member:
        with path.open("rb") as stream:
            yield stream
        return
    with zipfile.ZipFile(path) as package, package.open(member) as stream:
        yield stream


CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def _charset(content_type: str) -> str:
    found = CHARSET.search(content_type)
    return found.group(1).lower() if found else ""


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
