"""What a document's page says about it, worded for people: its dates in the site's style, its source's
address as a link where it may be one, and the codes of its file (format, language, encoding) as names."""
from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from .addresses import is_safe_link
from .i18n import babel_locale, format_iso

# A date as metadata writes it: "2024-06-20", "2024-06", "2024", or a date and time ("2024-06-20T08:00:00Z").
STATED_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][0-9:.+\-Z]*)?)?)?$")
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "utf-32": "UTF-32",
             "cp1252": "Windows-1252", "latin-1": "ISO-8859-1"}


@dataclass(frozen=True)
class Stated:
    """A date from metadata: `iso` and `label` when it is one ("2024-06-20", "20 juin 2024"); else only
    `label`, the text as written."""

    label: str
    iso: str = ""


@dataclass(frozen=True)
class Facts:
    """A document's facts as its page shows them, in the site's language."""

    published: Stated | None
    retrieved: Stated | None
    publisher: str
    author: str
    source_url: str  # as written
    source_link: str  # the same when a page may link to it (http, https), else ""
    language: str  # its name: "français"
    format: str  # the key of its name in the catalogue: "format_text"
    encoding: str  # "UTF-8"
    size: str  # its number of bytes as the site's language writes numbers: "12 345"
    capture: "CaptureFacts | None" = None  # for a page from a web archive


@dataclass(frozen=True)
class CaptureFacts:
    """Where a captured page's record is, worded: the archive (and the WARC inside it), the record's
    offset as a number of the site's language, the payload's digest, and the moment of capture (in UTC,
    to the second: `iso` the WARC-Date as recorded)."""

    archive: str
    member: str
    offset: str
    digest: str
    moment: Stated | None


def document_facts(document, language: str, style: str) -> Facts:
    """The facts of `document` for a site in `language` whose dates are in `style`."""
    provenance = document.provenance
    url = provenance.url
    return Facts(published=stated(provenance.published, language, style),
                 retrieved=stated(provenance.retrieved, language, style),
                 publisher=provenance.publisher, author=provenance.author, source_url=url, source_link=url if is_safe_link(url) else "",
                 language=language_name(document.language, language), format=f"format_{document.source.format}",
                 encoding=ENCODINGS.get(document.source.encoding, document.source.encoding.upper()),
                 size=format_decimal(document.source.size, locale=babel_locale(language)),
                 capture=capture_facts(provenance, language, style))


def capture_facts(provenance, language: str, style: str) -> CaptureFacts | None:
    """The facts of a page's capture, when it comes from a web archive."""
    capture = provenance.capture
    if capture is None:
        return None
    day = stated(provenance.retrieved, language, style)
    clock = CLOCK.search(provenance.retrieved)
    moment = Stated(f"{day.label}, {clock.group(1)} UTC", provenance.retrieved) if day and day.iso and clock else day
    return CaptureFacts(capture.archive, capture.member, format_decimal(capture.offset, locale=babel_locale(language)),
                        capture.digest, moment)


CLOCK = re.compile(r"T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?Z$")  # a WARC-Date's time, in UTC


def stated(value: str, language: str, style: str) -> Stated | None:
    """A metadata date, formatted when it is a real date ("2024-06-20" → "20 juin 2024"), else as written."""
    if not value:
        return None
    found = STATED_DATE.match(value.strip())
    if not found:
        return Stated(value)
    year, month, day = found.groups()
    iso, precision = "-".join(p for p in (year, month, day) if p), "day" if day else "month" if month else "year"
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return Stated(value)
    return Stated(format_iso(iso, precision, language, style), iso)


@functools.lru_cache(maxsize=256)  # a page each document: the same few languages each time
def language_name(code: str, language: str) -> str:
    """A language code as the site's language names it ("fr" → "français", "French"); the code if unknown."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(babel_locale(language))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return name or code
