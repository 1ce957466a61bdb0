"""Page objects: the archive's documents, blocks, dated events and sections as frozen data classes."""
from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields

HEADING = "heading"
PARAGRAPH = "paragraph"
MEDIA_GAP = "media_gap"

PRECISIONS = ("day", "month", "year")


def record(cls):
    """A frozen data class with slots (no per-object dict: 10,000 documents hold a hundred thousand
    blocks, 17 MiB less), pickled as its class and its fields' values, so that the build cache gives it
    back through its own `__init__` (the field-by-field restoring that slotted data classes get by default
    took 0.47 s for 10,000 documents where this takes 0.33 s)."""
    cls = dataclass(frozen=True, slots=True)(cls)
    names = [f.name for f in fields(cls)]
    values = operator.attrgetter(*names) if len(names) > 1 else lambda self: (getattr(self, names[0]),)
    cls.__reduce__ = lambda self: (cls, values(self))
    return cls


# How a date's year (or whole value) was found: the words state it; an earlier date of the same
# paragraph; the document's own date (its reference date); the nearest earlier date of a document that has
# no date of its own; or counted from the document's date ("hier", "last month").
STATED, PARAGRAPH_YEAR, DOCUMENT_YEAR, EARLIER_YEAR, RELATIVE = "stated", "paragraph", "document", "earlier", "relative"
ANNIVERSARY = "anniversary"  # the day an "Nth anniversary" marks: N years before the document's date


@record
class DateMention:
    """A date stated in a paragraph, normalised to ISO and truncated to its precision."""

    iso: str  # "2024-06-19", "2024-06" or "2024"; for a range, its start
    precision: str  # "day" | "month" | "year"
    expression: str  # the words as written in the source
    how: str = STATED  # where its year came from: STATED, PARAGRAPH_YEAR, DOCUMENT_YEAR, EARLIER_YEAR, RELATIVE,
    # ANNIVERSARY
    end: str = ""  # the last day, month or year of a range ("du 6 au 8 avril"), at the same precision
    approximate: bool = False  # "mi-décembre", "early 2019", "fin 2018"

    @property
    def year_inferred(self) -> bool:
        """The year is not written in the expression itself."""
        return self.how != STATED

    @property
    def edtf(self) -> str:
        return edtf(self.iso, self.end, self.approximate)


def edtf(iso: str, end: str = "", approximate: bool = False) -> str:
    """The Extended Date/Time Format (ISO 8601-2) value: "2024-06-19", "2018-12~", "2024-04-06/2024-04-08"."""
    mark = "~" if approximate else ""
    return f"{iso}{mark}/{end}{mark}" if end else f"{iso}{mark}"


@record
class ReferenceDate:
    """The date a document is written from, that yearless and relative dates are read against."""

    iso: str  # "2013-02-02", "2013-02" or "2013"
    precision: str
    source: str  # "published" (its metadata), "title" or "dateline" (stated at the start of its text)
    expression: str = ""  # the words it was read from, when it was read from the text


@record
class RefusedDate:
    """An expression that looks like a date but was not read as one, and why: for the date report."""

    line: int
    expression: str
    reason: str


@record
class Block:
    """One piece of a document's body, in source order.

    A paragraph carries its position (`number`, for the `p-N` id) and the dates it states; a heading
    carries its text; a media gap records how many blank source lines stood where the original page
    had photos or media.
    """

    kind: str  # HEADING | PARAGRAPH | MEDIA_GAP
    text: str
    line: int  # 1-based line in the source file
    number: int = 0  # paragraph position, 1-based; 0 for headings and media gaps
    dates: tuple[DateMention, ...] = ()
    html: str = ""  # sanitised HTML for Markdown sources; empty for plain text
    gap_lines: int = 0
    speaker: str = ""  # in a transcript, who speaks: on the first paragraph of their speech

    @property
    def paragraph_id(self) -> str:
        return f"p-{self.number}"

    @property
    def excerpt(self) -> str:
        return excerpt_of(self.text)


EXCERPT = 280  # characters of a dated paragraph that lists of events (the timeline) show, at most
SLACK = 5  # a text this much longer than EXCERPT is shown whole: cutting it would save next to nothing
ELLIPSIS = "..."


def excerpt_of(text: str) -> str:
    """The start of `text` as lists of events show it: whole if it is short enough, else cut at the last
    space that leaves room for the ELLIPSIS within EXCERPT characters (words are not cut), followed by it."""
    if len(text) <= EXCERPT + SLACK:
        return text
    return text[:EXCERPT - len(ELLIPSIS)].rsplit(" ", 1)[0] + ELLIPSIS


@record
class DatedParagraph:
    """What lists of events need of a dated paragraph: its number, its dates and its `excerpt`."""

    number: int
    dates: tuple[DateMention, ...]
    excerpt: str

    @classmethod
    def of(cls, block: Block) -> "DatedParagraph":
        return cls(block.number, block.dates, block.excerpt)


@record
class Source:
    """Where a document came from: its file, bytes' checksum and how it was decoded."""

    name: str  # path relative to the source folder, with forward slashes
    sha256: str
    size: int
    encoding: str
    format: str  # "text" | "markdown" | "html"


@record
class Capture:
    """Where in a web archive a captured page's record is, and the digest of what was captured."""

    archive: str  # the archive's file under the source folder
    member: str  # the WARC inside a WACZ; "" for a WARC file
    offset: int  # of the record, in bytes from the start of the WARC
    digest: str  # WARC-Payload-Digest ("sha1:…"), "" when the record has none


@record
class Provenance:
    """Metadata about the original publication, from front matter or a `.yaml` sidecar; for a page from a
    web archive, its capture (then `url` is the address captured and `retrieved` the time of capture)."""

    url: str = ""
    retrieved: str = ""
    publisher: str = ""
    published: str = ""
    capture: Capture | None = None
    author: str = ""  # who wrote it, as the page or the metadata names them


@record
class Document:
    """A source document as read by the loader; `path` is set by the indexer once slugs are unique."""

    title: str
    section: str
    subsection: str
    language: str
    blocks: tuple[Block, ...]
    source: Source
    provenance: Provenance = field(default_factory=Provenance)
    slug: str = ""  # the page name its `slug:` or title asks for (the indexer makes it unique); set by the loader
    path: str = ""  # output path of the document page, e.g. "section/sub/title.html"
    aliases: tuple[str, ...] = ()  # site paths its metadata says it had before (permalinks.alias_path)
    draft: bool = False  # `draft: true`: published only by a build asked for drafts
    reference: ReferenceDate | None = None  # the document's own date, if it has one
    refused: tuple[RefusedDate, ...] = ()  # date-like expressions not read as dates

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == PARAGRAPH)

    @property
    def paragraph_count(self) -> int:
        return sum(1 for b in self.blocks if b.kind == PARAGRAPH)

    @property
    def dated(self) -> tuple[Block, ...]:
        """The paragraphs that state dates: the document's events."""
        return tuple(b for b in self.blocks if b.kind == PARAGRAPH and b.dates)

    @property
    def dated_text(self) -> dict[int, str]:
        """The whole text of each dated paragraph, by number (what an event carries is an excerpt)."""
        return {b.number: b.text for b in self.dated}

    @property
    def lead(self) -> str:
        """The start of the first paragraph, for the feed."""
        return next((b.text for b in self.blocks if b.kind == PARAGRAPH), "")[:LEAD]

    @property
    def id(self) -> str:
        return page_id(self.path)


def page_id(path: str) -> str:
    """A document's id: its page path without the `.html` suffix."""
    return path[: -len(".html")] if path.endswith(".html") else path


LEAD = 300  # characters of a document's first paragraph that the feed shows


@record
class Summary:
    """What the archive's indexes and the pages listing documents need of a document — none of its
    paragraphs' text but the excerpts of its dated ones. A build holds these; the processes that render a
    document's page, index its words or export its events take the whole document from the build cache,
    one at a time, so a large archive's text is never all in memory at once. The same fields and meaning
    as `Document`'s, but for `dated`."""

    title: str
    section: str
    subsection: str
    language: str
    source: Source
    provenance: Provenance
    slug: str
    path: str
    dated: tuple[DatedParagraph, ...]  # the paragraphs that state dates, as lists of events need them
    paragraph_count: int
    reference: ReferenceDate | None = None
    refused: tuple[RefusedDate, ...] = ()
    aliases: tuple[str, ...] = ()
    draft: bool = False

    @classmethod
    def of(cls, document: Document) -> "Summary":
        return cls(document.title, document.section, document.subsection, document.language, document.source,
                   document.provenance, document.slug, document.path,
                   tuple(DatedParagraph.of(b) for b in document.dated), document.paragraph_count,
                   document.reference, document.refused, document.aliases, document.draft)

    @property
    def id(self) -> str:
        return page_id(self.path)


@record
class Event:
    """A dated paragraph: one per paragraph, at the first date it states; the others stay listed."""

    date: str
    precision: str
    anchor: str  # the element id on the document page: "2024-06-19", "2024-06-19-2", …
    paragraph: int  # the paragraph's number (its `p-N` id)
    excerpt: str  # the start of the paragraph's text (`excerpt_of`); its page and the exports have it whole
    document_path: str
    document_title: str = ""
    other_dates: tuple[DateMention, ...] = ()
    expression: str = ""
    how: str = STATED  # as DateMention.how
    end: str = ""
    approximate: bool = False

    @property
    def year_inferred(self) -> bool:
        return self.how != STATED

    @property
    def edtf(self) -> str:
        return edtf(self.date, self.end, self.approximate)

    @property
    def url(self) -> str:
        return f"{self.document_path}#{self.anchor}"

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def month(self) -> str:
        """"YYYY-MM", or "" for an event known only to the year."""
        return self.date[:7] if self.precision != "year" else ""


@record
class Subsection:
    name: str
    path: str  # "section/sub/index.html"
    documents: tuple[Document, ...]


@record
class Section:
    name: str
    path: str  # "section/index.html"
    subsections: tuple[Subsection, ...]
    documents: tuple[Document, ...]  # documents with no subsection

    @property
    def document_count(self) -> int:
        return len(self.documents) + sum(len(s.documents) for s in self.subsections)


@record
class Problem:
    """Something the build could not do as asked: `path:line: message — what to do`."""

    path: str
    message: str
    line: int = 0
    severity: str = "warning"  # "warning": built anyway; "error": the document was skipped; "note": all is well

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        message = self.message
        if message.startswith(SUBJECTLESS):  # "is not valid UTF-8" says what of the file: name it
            message = f"{self.path.rsplit('/', 1)[-1] or self.path} {message}"
        return f"{where}: {self.severity}: {message}"


# How messages about a file start when the file is their subject ("is empty; skipped").
SUBJECTLESS = ("is ", "has ", "looks ", "contains ", "could not ", "starts ", "holds ")
