"""Archive → HTML pages and data files: the Jinja environment and one function per page kind."""
from __future__ import annotations

import functools
import itertools
import json
import os
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, MutableMapping

from jinja2 import (BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError,
                    meta, select_autoescape)
from jinja2.bccache import Bucket
from markupsafe import Markup

from . import slugs
from .permalinks import former_anchors, redirect_link
from .cache import Fragments, code_version, digest
from .charts import Chart, bar_chart
from .citation import cite_box, cited, default_style, json_ld, meta_tags
from .entities import EntityIndex
from .facts import document_facts
from .i18n import count_label, format_iso, strings
from .index import Archive, listed_dates, pad_date
from .model import Document, Event
from .write import Output, in_chunks, later


@dataclass(frozen=True)
class Site:
    """What every page shows about the site itself."""

    title: str = "Annals"
    language: str = "fr"
    description: str = ""
    base_url: str = ""  # ends with "/"; empty when the public address is not configured
    date_style: str = "long"
    media_marker: str = ""
    search: bool = True  # the search page and the box on every page
    citation_style: str = ""  # the CSL style of citations; "": the language's default (citation.default_style)
    extra_css: tuple[str, ...] = ()  # the archive's own stylesheets and scripts, under static/
    extra_js: tuple[str, ...] = ()


def environment(template_dirs: list[Path], site: Site, compiled: BytecodeCache | None = None) -> Environment:
    """The templates' environment, with the site's date filters; `compiled`: where templates compiled by
    earlier builds are kept. Each build makes its own, so a template is read once per build. (Nothing in
    it refers back to the Renderer: a cycle would keep the whole archive alive until the cycle collector
    ran.)"""
    env = Environment(loader=FileSystemLoader([str(d) for d in template_dirs]),
                      autoescape=select_autoescape(("html", "xml"), default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, bytecode_cache=compiled,
                      auto_reload=False)  # one build, one version of each template (and no stat per page)

    def date_label(dated, language: str | None = None) -> str:
        """An Event or DateMention formatted for the reader: "19 juin 2024", "juin 2025", "2025"."""
        iso = dated.date if isinstance(dated, Event) else dated.iso
        return format_iso(iso, dated.precision, language or site.language, site.date_style)

    env.filters["date_label"] = date_label
    env.filters["month_label"] = lambda month: format_iso(month, "month", site.language)
    env.filters["iso_label"] = lambda iso, precision: format_iso(iso, precision, site.language, site.date_style)
    env.filters["counted"] = lambda n, key: count_label(key, n, site.language)
    return env


class CompiledTemplates(BytecodeCache):
    """Templates as earlier builds compiled them, kept in a mapping (the build cache's fragments) under
    the code's version and the template's file: a rebuild loads them instead of compiling them again
    (compiling took a fifth of the seed archive's rebuild). Jinja checks each against its template's
    source, and compiles anew one whose source changed or that another Jinja or Python compiled. Used
    only by the process that made it: the mapping's connection to the cache is that process's own."""

    def __init__(self, kept: MutableMapping):
        self.kept, self.pid, self.prefix = kept, os.getpid(), f"template:{code_version()[:16]}:"

    def load_bytecode(self, bucket: Bucket) -> None:
        if os.getpid() == self.pid:
            code = self.kept.get(self.prefix + bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if os.getpid() == self.pid:
            self.kept[self.prefix + bucket.key] = bucket.bytecode_to_string()


@dataclass(frozen=True)
class YearLink:
    """A year as the pages kept between builds show it: its number and its page."""

    year: str
    path: str


@dataclass(frozen=True)
class Place:
    """A section or subsection as a document's page shows it: its name and its page."""

    name: str
    path: str


def template_digest(env: Environment, name: str, kept: MutableMapping | None = None) -> str:
    """A digest of template `name` and of every template it extends, includes or imports, as `env` finds
    them (an archive's own templates first): all that a page made from `name` takes from the theme. When a
    template names another only at render time, every template counts. `kept`: where what each template
    names is kept between builds."""
    seen, todo, sources = set(), [name], []
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]
        sources.append((current, source))
        referenced = references(env, source, {} if kept is None else kept)
        if None in referenced:
            return digest("every template", [(n, env.loader.get_source(env, n)[0]) for n in env.list_templates()])
        todo += referenced
    return digest(sorted(sources))


def references(env: Environment, source: str, kept: MutableMapping) -> list[str | None]:
    """The templates a template's `source` extends, includes or imports (None for one named only at
    render time), as parsing it finds them; kept in `kept` by the source's digest (parsing the templates
    took a tenth of the seed archive's rebuild, profiled)."""
    key = "template-references:" + digest(code_version(), source)
    found = kept.get(key)
    if found is None:
        found = json.dumps(list(meta.find_referenced_templates(env.parse(source))))
        kept[key] = found
    return json.loads(found)


class HeldFragments(dict):
    """Parts of pages held for one build only, by a renderer without a build cache (`cache.Fragments`
    keeps them between builds)."""

    def keep(self, key: str) -> None:
        pass


class Renderer:
    """Renders each page kind of one archive; templates are compiled once (or loaded as an earlier build
    compiled them) and reused."""

    def __init__(self, archive: Archive, site: Site, template_dirs: list[Path], entities: EntityIndex | None = None,
                 fragments: Fragments | HeldFragments | None = None, settings_digest: str = "",
                 document_digests: dict[str, str] | None = None):
        self.archive = archive
        self.document_digests = document_digests or {}  # page path → digest of what its source became
        self.fragments = HeldFragments() if fragments is None else fragments  # key → HTML of a page's part
        self.settings_digest = settings_digest  # of the code and settings: every page depends on them
        self.entities = entities or EntityIndex((), {}, {})
        self.site = site
        self.env = environment(template_dirs, site, CompiledTemplates(self.fragments))
        self.t = strings(site.language)
        self._section_pages = {s.name: s for s in archive.sections}
        self._year_digests: dict[str, str] = {}  # year → digest of what it shows
        self._template_digests: dict[str, str] = {}
        # The years as links (no events): what the pages kept between builds by key get, and their keys hold.
        self.menu_years = tuple(YearLink(y.year, y.path) for y in archive.years)
        self.menu_digest = digest(self.menu_years)  # once: pickling 80 years for each of 10,000 pages cost a third
        self._segments = defaultdict(dict)  # document path → paragraph number → segments naming entities
        for (path, number), pieces in self.entities.segments.items():
            self._segments[path][number] = pieces

    def load_templates(self) -> None:
        """Every template of the theme compiled, or loaded as an earlier build compiled it, in this process
        — before it forks the processes that render pages, which inherit them. A template that does not
        compile is left for the page that uses it to report."""
        for name in self.env.list_templates():
            try:
                self.env.get_template(name)
            except TemplateError:
                pass

    def segments_of(self, path: str) -> dict:
        """The paragraphs of a document page that name entities: number → its pieces, each with the entity
        it names (all a document page shows of the gazetteer)."""
        return self._segments.get(path, {})

    @functools.cached_property
    def named_entities(self) -> dict:
        """By document page, the ids of the entities each of its paragraphs names (the timeline's filter,
        the search's facets)."""
        return {path: {number: sorted({p.entity.id for p in pieces if p.entity}) for number, pieces in found.items()}
                for path, found in self._segments.items()}

    def entity_choices(self, wanted: set[str]) -> list:
        """The entities of `wanted` (ids) as a filter offers them: by kind, each kind's in the index's order."""
        return [(kind, choices) for kind, members in self.entities.by_kind()
                for choices in [[(e.id, e.name) for e in members if e.id in wanted]] if choices]

    def templates_of(self, name: str) -> str:
        """`template_digest` of a template, once per build: a page's key holds it, so that a change to a
        template renders again exactly the pages made from it."""
        if name not in self._template_digests:
            self._template_digests[name] = template_digest(self.env, name, self.fragments)
        return self._template_digests[name]

    @staticmethod
    def year_events(group):
        yield from group.whole_year
        for month in group.months:
            yield from month.events

    def latest(self, count: int = 10) -> list:
        """The documents with the newest events, newest first (by their newest event's date, then page
        path, both descending), then those without events: read from the end of the timeline, which is
        in that order already, instead of sorting every document."""
        by_path = {d.path: d for d in self.archive.documents}
        latest: dict = {}
        for event in reversed(self.archive.events):
            if len(latest) == count:
                break
            latest.setdefault(event.document_path, by_path[event.document_path])
        undated = (d for d in reversed(self.archive.documents) if not self.archive.events_of(d))
        return list(latest.values()) + list(itertools.islice(undated, count - len(latest)))

    def page(self, template: str, path: str, in_pieces: bool = False, keyed: bool = False, **context) -> Output:
        """A page of the site. `keyed`: a page kept between builds by a key that holds the years only as
        links, so its template gets them so, not their events. `in_pieces`: rendered as it is written, for
        a page too large to hold whole."""
        compiled = self.env.get_template(template)
        context.update(site=self.site, t=self.t, root=slugs.root_prefix(path), page_path=path,
                       years=self.menu_years if keyed else self.archive.years)
        if in_pieces:
            return Output(path, pieces=in_chunks(part.encode("utf-8") for part in compiled.generate(context)))
        return Output(path, compiled.render(context).encode("utf-8"))

    def home(self) -> Output:
        latest = self.latest()
        return self.page("home.html", "index.html", sections=self.archive.sections, latest=latest,
                         document_total=len(self.archive.documents), event_total=len(self.archive.events),
                         events_of=self.archive.events_of, span_of=self.archive.span_of)

    def sections(self) -> Iterator[Output]:
        for section in self.archive.sections:
            yield self.section_page(section, None)
            for subsection in section.subsections:
                yield self.section_page(section, subsection)

    def section_page(self, section, subsection) -> Output:
        """A section's or subsection's page: the documents it lists, and a section's subsections. Its
        template gets the whole section, so the page is kept for what the whole section holds."""
        path, documents = (subsection.path, subsection.documents) if subsection else (section.path, section.documents)
        held = [*section.documents, *(d for s in section.subsections for d in s.documents)]
        return self.rendered_when_changed(
            "section.html", path, lambda: (section.name, subsection.name if subsection else None,
                                           [(s.name, s.path) for s in section.subsections],
                                           [(d.path, self.document_digests[d.path]) for d in held]),
            lambda: self.page("section.html", path, keyed=True, section=section, subsection=subsection,
                              documents=documents, events_of=self.archive.events_of,
                              span_of=self.archive.span_of))

    def rendered_when_changed(self, template: str, path: str, shows, render) -> Output:
        """A page rendered (`render()`, from `template`) only when what it shows changed since the published
        file was made: its key holds `shows()` — described by what its documents became — with the years
        in the menu, the templates it is made from and the build's settings. Rendered every time when
        what documents became is not known."""
        if not self.document_digests:
            return render()
        key = digest(self.settings_digest, self.templates_of(template), self.menu_digest, path, shows())
        return Output(path, pieces=later(lambda: render().data), key=key)

    def fragment(self, key: str, render) -> str:
        """The HTML kept under `key` in `fragments`, or `render()`ed and kept there."""
        html = self.fragments.get(key)
        if html is None:
            html = render()
            self.fragments[key] = html
        return html

    def anchors_of(self, document) -> tuple:
        """Every event anchor the document's page has had (permalinks.Held.anchors): its page shows the
        ones it no longer gives as ids on their paragraphs, so the page is kept for them too."""
        held = self.archive.addresses.record.held.get(document.source.name)
        return held.anchors if held else ()

    def documents(self) -> Iterator[Output]:
        for document in self.archive.documents:
            yield self.document(document)

    def document(self, document: Document) -> Output:
        """A document's page. Its template sees the name and page of its section and subsection, not
        their other documents: the page's key holds none of those, only this document's inputs."""
        section = self._section_pages[document.section]
        subsection = next((s for s in section.subsections if s.name == document.subsection), None)
        events = self.archive.events_of(document)
        item = cited(document, self.site)
        box = cite_box(item, self.site.citation_style or default_style(self.site.language), self.site.language)
        return self.page("document.html", document.path, keyed=True, document=document,
                         section=Place(section.name, section.path),
                         subsection=Place(subsection.name, subsection.path) if subsection else None, events=events,
                         event_at={e.paragraph: e for e in events}, listed_dates=listed_dates(events),
                         former_anchors=former_anchors(self.anchors_of(document), {e.anchor for e in events},
                                                       document.paragraphs),
                         segments=self.segments_of(document.path),
                         citation_url=self.site.base_url + document.path if self.site.base_url else "",
                         facts=document_facts(document, self.site.language, self.site.date_style),
                         json_ld=json_ld(item, document, events), meta_tags=meta_tags(item),
                         canonical=item.archive_url, cite=box,
                         event_citations={e.anchor: box.of_event(item, e.anchor) for e in events},
                         source_copy=slugs.relative(source_copy_path(document), document.path))

    def entity_index(self) -> Output:
        return self.page("entities.html", "entities/index.html", groups=self.entities.by_kind(),
                         mentions_of=self.entities.mentions_of)

    def entity_pages(self) -> Iterator[Output]:
        for entity in self.entities.entities:
            yield self.entity_page(entity)

    def entity_page(self, entity) -> Output:
        """An entity's page: every paragraph that names it, by year, with the words around the name; its
        mentions per year as a chart; the entities most often named beside it. Rendered only when what it
        shows changed."""
        mentions = self.entities.mentions_of(entity)
        companions = self.entities.companions_of(entity)
        return self.rendered_when_changed(
            "entity.html", entity.path,
            lambda: (entity, [(m.document.path, self.document_digests[m.document.path], m.paragraph, m.anchor,
                               m.date, m.precision, m.text, m.before, m.after) for m in mentions],
                     [(e.path, e.name, n) for e, n in companions]),
            lambda: self.page("entity.html", entity.path, keyed=True, entity=entity, mentions=mentions,
                              mention_years=self.entities.years_of(entity), chart=mentions_chart(mentions),
                              companions=companions))

    def timeline(self) -> Output:
        """The timeline at a glance: the events per year and, for each year, per month, as bar charts
        whose bars lead to the year's page and its months; the events themselves are on the year pages
        (the whole timeline on one page was 18 MB of HTML at 10,000 documents)."""
        years = self.archive.years
        counts = {group.year: group.event_count for group in years}
        busiest = max((len(m.events) for group in years for m in group.months), default=0)  # one scale for all
        first, last = (int(years[0].year), int(years[-1].year)) if years else (0, -1)
        year_chart = bar_chart([(str(y), counts.get(str(y), 0), f"years/{y}.html" if str(y) in counts else "")
                                for y in range(first, last + 1)]) if years else None
        ticks = month_ticks(self.site.language)
        rows = [YearRow(group, bar_chart([(format_iso(month, "month", self.site.language), by_month.get(month, 0),
                                           f"{group.path}#m{month}" if month in by_month else "")
                                          for month in (f"{group.year}-{m:02d}" for m in range(1, 13))],
                                         ticks, busiest, labelled=number == 0))  # the months named once, on top
                for number, group in enumerate(years) for by_month in [{m.month: len(m.events) for m in group.months}]]
        return self.page("timeline.html", "timeline.html", year=None, year_chart=year_chart, year_rows=rows,
                         month_names=ticks, year_sections=(), filter_groups=())

    def year_pages(self) -> Iterator[Output]:
        for group in self.archive.years:
            yield self.year_page(group)

    def year_page(self, group) -> Output:
        """A year's page: the year of the timeline, with the timeline's filter. Its template gets the
        other years as links."""
        filters, root = self.timeline_filters, slugs.root_prefix(group.path)
        # The year as this page shows it is kept in the fragments even while the page is kept as published:
        # a new year in the menu or a changed page template renders every year's page again.
        self.fragments.keep(self.year_section_key(group, root, group))
        return self.rendered_when_changed(
            "timeline.html", group.path,
            lambda: (self.templates_of("_timeline_year.html"), self.year_shown(group), filters["filter_groups"]),
            lambda: self.page("timeline.html", group.path, keyed=True, year=group,
                              year_sections=[self.year_section(group, root, group, filters)],
                              filter_groups=filters["filter_groups"], year_chart=None, year_rows=()))

    def year_section(self, group, root: str, year, filters: dict) -> Markup:
        """One year of the timeline as HTML; the same year with the same events is rendered once and
        then taken from `fragments` (kept between builds by the build cache)."""
        return Markup(self.fragment(self.year_section_key(group, root, year), lambda: self.env.get_template(
            "_timeline_year.html").render(site=self.site, t=self.t, root=root, group=group, year=year,
                                          entities_of=filters["entities_of"])))

    def year_section_key(self, group, root: str, year) -> str:
        return digest(self.settings_digest, self.templates_of("_timeline_year.html"), self.year_shown(group), root,
                      year is not None)

    def year_shown(self, group) -> str:
        """A digest of what a year of the timeline shows (the same on the timeline and on the year's page):
        its events — by what their documents became, cheaper to hash — and the entities they name."""
        if group.year not in self._year_digests:
            events = list(self.year_events(group))
            entities = [self.timeline_filters["entities_of"](e) for e in events]
            if self.document_digests:
                shown = sorted({(e.document_path, self.document_digests[e.document_path]) for e in events})
            else:
                shown = group
            self._year_digests[group.year] = digest(group.year, shown, entities)
        return self._year_digests[group.year]

    @functools.cached_property
    def timeline_filters(self) -> dict:
        """For each event, the ids of the entities its paragraph names; and the entities to filter by."""
        named = self.named_entities

        def entities_of(event) -> list:
            return named.get(event.document_path, {}).get(event.paragraph, ())

        in_events = {entity for event in self.archive.events for entity in entities_of(event)}
        return {"entities_of": entities_of, "filter_groups": self.entity_choices(in_events)}

    def feed(self, build_date: str, whole=lambda document: document, limit: int = 100) -> Output:
        """Atom feed of the newest documents (by published date, else newest event); needs base_url.
        `whole(document)`: the whole document, whose first paragraph starts each entry's summary."""
        entries = []
        for document in self.archive.documents:
            newest = max((e.date for e in self.archive.events_of(document)), default="")
            when = pad_date(document.provenance.published[:10] or newest) or build_date
            entries.append({"document": document, "updated": f"{when}T00:00:00Z"})
        entries.sort(key=lambda e: (e["updated"], e["document"].path), reverse=True)
        entries = [{**entry, "summary": whole(entry["document"]).lead} for entry in entries[:limit]]
        return self.page("feed.xml", "feed.xml", entries=entries, updated=f"{build_date}T00:00:00Z")

    def sitemap(self, pages: list[str]) -> Output:
        """Every page of the site, as absolute addresses under base_url."""
        return self.page("sitemap.xml", "sitemap.xml", paths=sorted(pages))

    def redirects(self) -> Iterator[Output]:
        """A page at each address a document had before, sending its visitors on to the document's page."""
        for redirect in self.archive.addresses.redirects:
            yield self.page("redirect.html", redirect.path, target=redirect_link(redirect), title=redirect.title,
                            canonical=self.site.base_url + redirect.target if self.site.base_url else "")

    def not_found(self) -> Output:
        return self.page("404.html", "404.html")

    def search_page(self) -> Output:
        """The search page, with the choices of its facets: the sections, the years, the entities named."""
        years = [group.year for group in self.archive.years]
        return self.page("search.html", "search.html",
                         facet_sections=[(s.path.split("/", 1)[0], s.name) for s in self.archive.sections],
                         facet_years=(years[0], years[-1]) if years else None,
                         facet_groups=self.entity_choices({e.id for e in self.entities.entities
                                                           if self.entities.mentions_of(e)}))

    def index_pages(self) -> Iterator[Output]:
        """Every page but the documents' and the entities' (which `document()` and `entity_page()` render
        one at a time, on every core)."""
        yield self.home()
        yield self.timeline()
        yield self.not_found()
        if self.site.search:
            yield self.search_page()
        yield from self.year_pages()
        yield self.entity_index()
        yield from self.sections()

    def all_pages(self) -> Iterator[Output]:
        yield from self.index_pages()
        yield from self.entity_pages()
        yield from self.documents()


def template_failure(error: Exception) -> str:
    """A template's error as `file:line: what` — the template and line where it happened, when known."""
    where = ""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        where = f"{error.filename}:{error.lineno}"
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml"))]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}"
    what = f"{type(error).__name__}: {getattr(error, 'message', None) or error}"
    return f"{where}: {what}" if where else what


@functools.lru_cache(maxsize=8)
def month_ticks(language: str) -> list[str]:
    """The months' short names in `language` ("janv.", "févr."…), to write under a year's bars."""
    from babel.dates import get_month_names

    from .i18n import babel_locale

    names = get_month_names("abbreviated", locale=babel_locale(language))
    return [names[m] for m in range(1, 13)]


@dataclass(frozen=True)
class YearRow:
    """A year of the timeline's overview: its group of events, and their count per month as a chart."""

    group: object  # index.YearGroup
    months: Chart


def mentions_chart(mentions) -> Chart | None:
    """An entity's dated mentions per year, every year from the first to the last, each bar leading to its
    year on the page; None when none is dated."""
    years = Counter(m.year for m in mentions if m.year)
    if not years:
        return None
    first, last = int(min(years)), int(max(years))
    return bar_chart([(str(y), years.get(str(y), 0), f"#y{y}" if str(y) in years else "")
                      for y in range(first, last + 1)])


def source_copy_path(document: Document) -> str:
    """The verbatim copy of a document's source, beside its page: `…/title.source.txt`."""
    name = document.source.name.rsplit("/", 1)[-1]
    suffix = name[name.rindex("."):].lower() if "." in name.lstrip(".") else ".txt"
    if document.provenance.capture:
        suffix = ".html"  # a captured page's payload: kept as text like a saved page
    if suffix not in (".txt", ".md", ".markdown"):
        suffix += ".txt"  # a saved page is kept as text: opened, it shows its markup and runs nothing
    return f"{document.id}.source{suffix}"
