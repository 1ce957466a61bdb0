"""Documents → the archive's indexes: unique page paths, events with anchors, sections, timeline."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import groupby

from . import slugs
from .collation import collation_key
from .model import Event, Section, Subsection
from .permalinks import Placement, Record, Wanted, place, with_anchors


@dataclass(frozen=True)
class MonthGroup:
    month: str  # "2024-06"
    events: tuple[Event, ...]


@dataclass(frozen=True)
class YearGroup:
    year: str
    path: str  # the year's page: "years/2024.html"
    whole_year: tuple[Event, ...]  # events known only to the year
    months: tuple[MonthGroup, ...]

    @property
    def event_count(self) -> int:
        return len(self.whole_year) + sum(len(m.events) for m in self.months)


@dataclass(frozen=True)
class Archive:
    """Everything the renderer shows, built once from the loaded documents."""

    documents: tuple  # in page-path order: the documents, or their summaries (what a build holds)
    sections: tuple[Section, ...]
    events: tuple[Event, ...]  # chronological
    years: tuple[YearGroup, ...]

    by_document: dict  # document path → its events, in paragraph order
    addresses: Placement  # the record of addresses after this build, and the redirect pages it asks for

    def events_of(self, document) -> tuple[Event, ...]:
        return self.by_document.get(document.path, ())

    def span_of(self, document) -> tuple[Event, ...]:
        """A document's earliest and latest events (one if they are the same date, none if it has none)."""
        return date_span(self.events_of(document))


@dataclass(frozen=True)
class ListedDate:
    """A date in a document's list of events: the first paragraph stating it, and how many do."""

    event: Event
    count: int


def date_span(events) -> tuple[Event, ...]:
    """The earliest and the latest of `events` (by start, then by end), chronologically; one when they
    are on the same date."""
    if not events:
        return ()
    first = min(events, key=lambda e: (e.date, e.end))
    last = max(events, key=lambda e: (e.end or e.date, e.date))
    return (first,) if (first.date, first.end) == (last.date, last.end) else (first, last)


def listed_dates(events) -> tuple[ListedDate, ...]:
    """A document's events as its list of dates shows them: chronological, each date (or range) once."""
    counts: dict[tuple, list] = {}
    for event in events:
        counts.setdefault((event.date, event.end, event.approximate), []).append(event)
    return tuple(ListedDate(found[0], len(found)) for _, found in sorted(counts.items(), key=lambda kv: kv[0][:2]))


def build_archive(documents: tuple, record: Record = Record(), section_order: tuple = ()) -> Archive:
    """The archive's indexes from its documents (`Document` or `Summary`: they need only the dated
    paragraphs' numbers, dates and excerpts), their pages placed where `record` (permalinks.py) says
    the addresses already published lead."""
    placed, addresses = assign_paths(documents, record)
    by_document = {d.path: tuple(document_events(d)) for d in placed}
    addresses = with_anchors(addresses, {d.source.name: [(e.anchor, e.excerpt) for e in by_document[d.path]]
                                         for d in placed})
    events = tuple(sorted((e for evs in by_document.values() for e in evs), key=chronological))
    return Archive(documents=tuple(sorted(placed, key=lambda d: d.path)), sections=sections_of(placed, section_order),
                   events=events, years=timeline(events), by_document=by_document, addresses=addresses)


def newest_date(documents, events) -> str:
    """The archive's own date: the newest `published` date or event, as "YYYY-MM-DD" ("" if none).

    Derived from the sources' content, never from the clock or file times, so builds stay reproducible.
    """
    candidates = [d.provenance.published[:10] for d in documents if d.provenance.published[:4].isdigit()]
    candidates += [e.date for e in events]
    return pad_date(max(candidates)) if candidates else ""


def pad_date(iso: str) -> str:
    """"2025" → "2025-01-01", "2025-06" → "2025-06-01": a day for formats that need one."""
    return (iso + "-01-01")[:10] if len(iso) == 4 else (iso + "-01")[:10] if len(iso) == 7 else iso[:10]


def chronological(event: Event) -> tuple:
    # "2025" < "2025-06" < "2025-06-19": a year-level event opens its year, a month-level its month.
    return event.date, event.document_path, event.paragraph


def section_folders(documents) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Section → folder, and (section, subsection) → folder, with unique slugs for distinct names."""
    folders, taken_sections, section_slug = {}, set(), {}
    for section in sorted({d.section for d in documents}):
        wanted = slugs.slug(section, "section") if section else slugs.NO_SECTION
        section_slug[section] = slugs.unique(wanted, taken_sections, slugs.RESERVED_ROOT)
    taken_subsections = defaultdict(set)
    for section, subsection in sorted({(d.section, d.subsection) for d in documents}):
        base = section_slug[section]
        if not subsection:
            folders[(section, subsection)] = base
            continue
        sub = slugs.unique(slugs.slug(subsection, "sub"), taken_subsections[base], {"index"})
        folders[(section, subsection)] = f"{base}/{sub}"
    return section_slug, folders


def assign_paths(documents, record: Record = Record()) -> tuple[list, Placement]:
    """Each document with its page path: the address its folder and slug make unless another document
    holds it (then the first free suffix, new documents in source-name order), and the record kept."""
    section_slug, folders = section_folders(documents)
    wanted = [Wanted(d.source.name, d.source.sha256, d.title, folders[(d.section, d.subsection)],
                     d.slug or slugs.slug(d.title, d.source.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]), d.aliases)
              for d in documents]
    indexes = {f"{folder}/index.html" for folder in [*section_slug.values(), *folders.values()]}
    placement = place(wanted, record, indexes)
    return [replace(d, path=placement.paths[d.source.name]) for d in documents], placement


def document_events(document) -> list[Event]:
    """One event per dated paragraph, at its first date; anchors numbered per date within the document."""
    seen = defaultdict(int)
    events = []
    for block in document.dated:
        first, *others = block.dates
        seen[first.iso] += 1
        anchor = first.iso if seen[first.iso] == 1 else f"{first.iso}-{seen[first.iso]}"
        events.append(Event(date=first.iso, precision=first.precision, anchor=anchor,
                            paragraph=block.number, excerpt=block.excerpt, document_path=document.path,
                            document_title=document.title, other_dates=tuple(others),
                            expression=first.expression, how=first.how, end=first.end,
                            approximate=first.approximate))
    return events


def sections_of(documents, order: tuple = ()) -> tuple[Section, ...]:
    """The sections with their subsections and documents: those named in `order` first, in its order, then
    the others by the Unicode collation."""
    section_slug, folders = section_folders(documents)
    by_section = defaultdict(lambda: defaultdict(list))
    for document in sorted(documents, key=lambda d: d.path):
        by_section[document.section][document.subsection].append(document)
    sections = []
    rank = {name: number for number, name in enumerate(order)}
    for name in sorted(by_section, key=lambda n: (rank.get(n, len(rank)), collation_key(n))):
        subs = by_section[name]
        subsections = tuple(Subsection(name=sub, path=f"{folders[(name, sub)]}/index.html",
                                       documents=tuple(subs[sub]))
                            for sub in sorted(subs, key=collation_key) if sub)
        sections.append(Section(name=name, path=f"{section_slug[name]}/index.html", subsections=subsections,
                                documents=tuple(subs.get("", ()))))
    return tuple(sections)


def timeline(events: tuple[Event, ...]) -> tuple[YearGroup, ...]:
    years = []
    for year, in_year in groupby(events, key=lambda e: e.year):
        in_year = list(in_year)
        months = tuple(MonthGroup(month, tuple(group))
                       for month, group in groupby((e for e in in_year if e.month), key=lambda e: e.month))
        years.append(YearGroup(year=year, path=f"years/{year}.html",
                               whole_year=tuple(e for e in in_year if not e.month), months=months))
    return tuple(years)
