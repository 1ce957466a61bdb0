"""Date expressions in text → DateMention values with their precision, read against the document's date."""
from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from ..model import STATED, DateMention, ReferenceDate
from .patterns import patterns_for
from .reading import MAX_YEAR, MIN_YEAR, SEPARATOR, Context, Rejected, read  # noqa: F401 — its interface


@dataclass(frozen=True)
class Found:
    """The dates a text states, in order; what was rejected; doubts about dates kept (a weekday that is
    not the date's); the year in force after the text (for a document without a date of its own)."""

    mentions: tuple[DateMention, ...]
    rejected: tuple[Rejected, ...]
    year: int | None
    doubts: tuple[Rejected, ...] = ()


def find_dates(text: str, language: str = "fr", year: int | None = None,
               reference: ReferenceDate | None = None) -> Found:
    """Every date `text` (a paragraph) states, in order of appearance.

    A date without a year takes the year stated by an earlier date of the same text; else, when the
    document has a date of its own (`reference`), the year that puts it nearest that date (at most two
    months after it); else `year`, the year in force from the nearest earlier date of the document.
    Relative dates ("hier", "last week") are counted from `reference` and refused without one.
    """
    return find_document_dates([text], language, year, reference)[0]


def find_document_dates(texts: list[str], language: str = "fr", year: int | None = None,
                        reference: ReferenceDate | None = None) -> list[Found]:
    """`find_dates` for each of a document's texts (its paragraphs and headings, in order), in one pass
    over the whole document: the year in force goes from one text to the next."""
    patterns = patterns_for(language)
    joined = SEPARATOR.join(texts)
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(SEPARATOR)
    found = [([], [], []) for _ in texts]
    index, paragraph_year, years = 0, None, []
    anniversary = marked_anniversary(joined) if reference is not None and "nniversa" in joined else None
    for match in patterns.finditer(joined):
        while index + 1 < len(texts) and match.start() >= starts[index + 1]:
            years.append(year)
            index, paragraph_year = index + 1, None
        mentions, rejected, doubts = found[index]
        result = read(match, patterns, Context(reference, paragraph_year, year, anniversary), joined)
        if isinstance(result, tuple):
            result, doubt = result
            doubts.append(doubt)
        if isinstance(result, Rejected):
            rejected.append(result)
            continue
        mentions.append(result)
        if result.how == STATED:
            paragraph_year = int((result.end or result.iso)[:4])
        year = int((result.end or result.iso)[:4])
    years += [year] * (len(texts) - len(years))
    return [Found(tuple(m), tuple(r), y, tuple(d)) for (m, r, d), y in zip(found, years)]


# "the 71st anniversary of …", "le 80e anniversaire du …": the document marks a day N years before its own.
ANNIVERSARY = re.compile(r"\b(\d{1,3})\s*(?:st|nd|rd|th|e|è|ème|eme)\s+anniversa(?:ry|ire)\b", re.IGNORECASE)
def marked_anniversary(text: str) -> int | None:
    """N of the "Nth anniversary" a document marks: the one it names most often (a document recalling an
    earlier anniversary names its own more), the first of those on a tie; None when it names none."""
    named = [n for n in (int(found.group(1)) for found in ANNIVERSARY.finditer(text)) if n]
    counts = Counter(named)
    return max(named, key=counts.__getitem__) if named else None  # max keeps the first of equals


PUBLISHED = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# A dateline: a place name and a comma opening the first paragraph ("PARIS, 12 mars 2019 (AFP) -",
# "Pyongyang, May 14 (KCNA) --").
DATELINE = re.compile(r"\s*[^\W\d_][\w'’.\- ]{0,40},\s*")
DATELINE_REACH = 80  # characters after the place that hold the dateline's date
DIGIT = re.compile(r"\d")


def reference_date(published: str, title: str, first_paragraph: str, language: str) -> ReferenceDate | None:
    """The date a document is written from: its `published` metadata; else a date (day or month) stated
    in its title; else a dated dateline opening its first paragraph; else none."""
    stated = PUBLISHED.match(published or "")
    if stated and _exists(*stated.groups()):
        iso = "-".join(part for part in stated.groups() if part)
        return ReferenceDate(iso, ("year", "month", "day")[len(iso.split("-")) - 1], "published")
    # A date stated with its year holds digits; a dateline opens with a place and a comma.
    for mention in find_dates(title, language).mentions if DIGIT.search(title) else ():
        if mention.how == STATED and mention.precision in ("day", "month") and not mention.end:
            return ReferenceDate(mention.iso, mention.precision, "title", mention.expression)
    place = DATELINE.match(first_paragraph)
    if place is None:
        return None
    after = place.end()
    found = find_dates(first_paragraph[after:after + DATELINE_REACH], language).mentions
    if found and first_paragraph.startswith(found[0].expression, after) and found[0].how == STATED \
            and found[0].precision == "day":
        return ReferenceDate(found[0].iso, "day", "dateline", found[0].expression)
    return None


def _exists(year: str, month: str | None, day: str | None) -> bool:
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return MIN_YEAR <= int(year) <= MAX_YEAR
