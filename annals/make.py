"""Make the site, once the plan (pipeline.py) found something to do: load → index → render → write.

Sources whose stat is unchanged are taken as the last build in this process left them or from the build
cache, the others are read on every core; the archive, its entities and every page are built from them and
written into a staging tree, which is published in one step when complete.
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import pickle
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from jinja2 import TemplateError

from . import theme
from .cache import BuildCache, SourceEntry, code_version, digest
from .captures import file_of, read_page, record_of
from .config import base_language, catalogues
from .entities import Matcher, index_entities, paragraph_cuts, read_gazetteer
from .fixity import MANIFEST, manifest
from .i18n import strings
from .index import build_archive, newest_date
from .loader import load_document
from .model import Document, Problem, Summary
from .parallel import Background, abandoned, ordered_map
from .permalinks import RECORD_FILE, read_record, write_record
from .pipeline import (BuildOptions, BuildReport, Plan, Progress, SourceChanged, TemplateFailed, out_of_space,
                       plan_state, source_date_epoch)
from .dates.patterns import patterns_for
from .datereport import date_report
from .exports import citation_files, document_lines, dump_json, export_files
from .render import Renderer, Site, source_copy_path, template_failure
from .search import block_files, document_terms, meta_file, plan_blocks
from .write import Output, Staging, in_chunks


def make_site(options: BuildOptions, cache: BuildCache, plan: Plan, progress: Progress) -> BuildReport:
    """Build the site `plan` describes into a staging tree, publish it, and record it in the cache."""
    staging = Staging(options.output, plan.intact, plan.others, link_apart=True)  # linked while sources load
    running: list[Background] = []
    whole = None
    try:
        renderer, entries, problems = _model(options, cache, plan, progress)
        whole = WholeDocuments(options, cache, {name: e.digest for name, e in entries.items()})
        report = _write_site(options, cache, staging, renderer, entries, whole, problems, running, progress)
        if options.strict and (report.skipped or report.warnings):
            staging.discard()
            return report
        report = _keep_record(options, renderer.archive.addresses.record, report)
        if staging.finish():
            staging.publish()
        else:
            staging.discard()  # every file is already published as it would be written
    except BaseException as error:
        for process in running:
            process.wait()  # before the tree goes: nothing may write into it afterwards
        staging.discard()
        if isinstance(error, TemplateError):
            raise TemplateFailed(template_failure(error)) from error
        raise
    finally:
        if whole:
            whole.close()
    report = replace(report, published=True)
    try:
        cache.save(plan_state(options, plan.inputs, plan.signatures), report, set(plan.names), staging.records(),
                   plan.recorded)
    except sqlite3.OperationalError as error:
        if not out_of_space(error):
            raise
        report = replace(report, problems=report.problems + (Problem(
            ".annals-cache", "the build cache could not be saved (no space left on the device): the site is "
                             "published, and the next build does again what this one did"),))
    finally:
        staging.settle()
    return report


def _keep_record(options: BuildOptions, record, report: BuildReport) -> BuildReport:
    """The record of addresses written beside annals.yaml before the site it describes is published (an
    address published is always recorded); a report with a warning if it could not be."""
    failed = write_record(options.addresses, record.encoded()) if options.addresses else ""
    if not failed:
        return report
    return replace(report, problems=report.problems + (Problem(options.addresses.name, failed),))


def _model(options: BuildOptions, cache: BuildCache, plan: Plan, progress: Progress) -> tuple:
    """Load → index: the sources as documents, the archive and its entities, and the renderer of its pages;
    with what each source became (`entries`) and every problem found."""
    gazetteer, gazetteer_problems = read_gazetteer(options.gazetteer, options.max_file_bytes)
    record = read_record(options.addresses, options.output / RECORD_FILE)
    entries = _load(options, cache, plan, gazetteer, progress)
    documents = tuple(e.document for e in entries.values() if e.document is not None)
    documents = tuple(d for d in documents if options.drafts or not d.draft)  # private: in no file of the site
    archive = build_archive(documents, record, options.section_order)
    entity_index = index_entities(gazetteer, archive.documents, archive.events_of,
                                  {name: e.cuts for name, e in entries.items()})
    problems = (tuple(plan.find_problems) + tuple(p for e in entries.values() for p in e.problems)
                + tuple(gazetteer_problems) + archive.addresses.problems + language_problems(options.language))
    renderer = Renderer(archive, site_of(options), theme.search_path(options.theme_root, "templates"),
                        entity_index, fragments=cache.fragments, settings_digest=plan.settings,
                        document_digests={d.path: entries[d.source.name].digest for d in archive.documents})
    renderer.load_templates()
    return renderer, entries, problems


def language_problems(language: str) -> tuple[Problem, ...]:
    """A warning when the site's language has no interface catalogue (its words are then English)."""
    if base_language(language) in catalogues():
        return ()
    return (Problem("annals.yaml", f"no interface catalogue for {language}: the interface is in English, its dates "
                                   f"and numbers in {language} — add annals/locales/{base_language(language)}.yaml "
                                   "(docs/guide.md says how)"),)


def site_of(options: BuildOptions) -> Site:
    t = strings(options.language)
    return Site(title=options.title or t["archive"], language=options.language, description=options.description,
                base_url=options.base_url.rstrip("/") + "/" if options.base_url else "",
                date_style=options.date_style, media_marker=options.media_marker or t["media_gap"],
                search=options.search, citation_style=options.citation_style, extra_css=options.extra_css,
                extra_js=options.extra_js)


def _write_site(options: BuildOptions, cache: BuildCache, staging: Staging, renderer: Renderer,
                entries: dict, whole: WholeDocuments, problems: tuple, running: list,
                progress: Progress) -> BuildReport:
    """Every file of the site into the staging tree: document pages on every core, then the search index
    (unless the site has no search) and the exports each in a process of their own while this one renders
    the index pages. The pages listing documents are made from their summaries; the document pages, the
    search index and the exports from the `whole` documents."""
    archive, site = renderer.archive, renderer.site
    page_inputs = digest(renderer.settings_digest, renderer.templates_of("document.html"), renderer.menu_digest)
    pages = write_document_pages(renderer, staging, whole, options.workers,
                                 {d.path: digest(page_inputs, entries[d.source.name].digest, d.path,
                                                 renderer.segments_of(d.path), renderer.anchors_of(d))
                                  for d in archive.documents}, progress)
    progress("index pages, search index and exports", 0, 1)
    search = _start_search_index(options, cache, staging, archive, entries, whole,
                                 renderer.named_entities) if site.search else None
    running += [search] if search else []
    # What a document's lines in the data files are made from: the document, its page path, and the code
    # that encodes them (a new Annals writes new fields).
    version = code_version()
    line_keys = {d.source.name: digest(version, entries[d.source.name].digest, d.path) for d in archive.documents}
    exports = Background(lambda: write_exports(staging, archive, renderer.entities, line_keys, cache.reopen, whole),
                         options.workers)
    running.append(exports)
    pages = staging.write(renderer.index_pages()) + write_entity_pages(renderer, staging, options.workers) + pages
    staging.write(renderer.redirects())  # not pages of their own: no sitemap lists them
    staging.write([Output(RECORD_FILE, archive.addresses.record.encoded())])
    staging.write(citation_files(archive.documents, site))
    drafts = 0 if options.drafts else sum(1 for e in entries.values() if e.document is not None and e.document.draft)
    report = BuildReport(documents=len(archive.documents), events=len(archive.events), pages=len(pages),
                         problems=problems, dates=tuple(date_report(archive.documents)), drafts=drafts)
    staging.write([Output("build-report.json", dump_json(report.as_data()))])
    if site.base_url:  # the feed and the sitemap need absolute addresses
        build_date = source_date_epoch() or newest_date(archive.documents, archive.events) or "1970-01-01"
        staging.write([renderer.feed(build_date, whole), renderer.sitemap([p for p in pages if p != "404.html"])])
    for relative, path in theme.static_files(theme.search_path(options.theme_root, "static")).items():
        staging.write([Output(f"static/{relative}", path.read_bytes())])
    for document in archive.documents:
        staging.copy(functools.partial(source_bytes, options, document.source.name), source_copy_path(document),
                     document.source.sha256)
    if search:
        outcome, learned = search.result()
        staging.adopt(outcome)
        for key, summary in learned.items():
            cache.fragments[SEARCH_MEMO + key] = summary
    staging.adopt(exports.result())
    progress("writing", 0, 1)
    check_source_copies(archive.documents, staging.produced)
    staging.write([Output(MANIFEST, pieces=in_chunks(manifest(staging.produced)))])
    return report


def source_bytes(options: BuildOptions, name: str) -> bytes:
    """The bytes of a source as read (a captured page's payload, not its whole archive), for its copy."""
    path = options.source / file_of(name)
    return read_page(path, name, options.max_file_bytes).payload if record_of(name) else path.read_bytes()


def _start_search_index(options: BuildOptions, cache: BuildCache, staging: Staging, archive, entries: dict,
                        whole: WholeDocuments, named: dict) -> Background:
    """The search index, written by a process of its own (`write_search_index`) from the blocks the
    archive's documents fall in; `result()` gives what it wrote and the summaries of the blocks it made."""
    digests = {name: e.digest for name, e in entries.items()}
    blocks = plan_blocks(archive, digests, named, options.language)
    known = {b.key: cache.fragments.get(SEARCH_MEMO + b.key) for b in blocks}
    return Background(lambda: write_search_index(staging, archive, blocks, digests, known, cache.reopen,
                                                 Indexing(whole, named, os.getpid(), options.language)),
                      options.workers)


def _load(options: BuildOptions, cache: BuildCache, plan: Plan, gazetteer: tuple,
          progress: Progress) -> dict[str, Loaded]:
    """Every source as what it became, in source order: where its signature is unchanged, as the last
    build in this process left it (`annals serve` builds again and again) or from the build cache; else
    read again (on every core) and put in the cache. A build holds each document's summary and the
    paragraphs that name entities of the `gazetteer`; the whole document stays in the cache."""
    names, signatures, matcher = plan.names, plan.signatures, Matcher(gazetteer)
    key = digest(gazetteer)
    read = _loaded_before(options.source, cache, signatures, gazetteer)
    if len(read) < len(names):
        recut: dict[str, tuple[str, str, bytes]] = {}
        missing = [name for name in names if name not in read]
        for name, entry in cache.sources(signatures, missing if len(missing) < len(names) // 2 else None):
            if name in read:
                continue
            try:
                read[name] = _loaded(entry, key, matcher, lambda: cache.source_blob(name, entry.digest), recut)
            except Exception:  # noqa: BLE001 — a damaged entry: read the source again
                pass
        cache.add_cuts(recut)  # cut as this gazetteer cuts them, for the next builds
    reading = options.reading
    todo = [(path, name, reading) for path, name in zip(plan.paths, names) if name not in read]
    batch: dict[str, SourceEntry] = {}
    _READING.update(matcher=matcher)
    if todo:  # compiled once here, not once in each worker the pool forks
        patterns_for(options.language)
    try:
        for (_, name, *_), (blob, terms, summary, cuts) in zip(todo, ordered_map(_read_source, todo, options.workers)):
            batch[name] = entry = SourceEntry.of(signatures[name], blob, terms, summary, key, cuts)
            read[name] = _loaded(entry, key, matcher, lambda: entry.blob, {})
            progress("reading sources", len(read) - (len(names) - len(todo)), len(todo))
            if len(batch) == 500:  # into the cache now, so the pickled bytes need not stay in memory
                cache.add_sources(batch)
                batch = {}
    finally:
        _READING.clear()
    cache.add_sources(batch)
    _LAST.update(source=options.source, gazetteer=gazetteer,
                 loaded={name: (signatures[name], read[name]) for name in names})
    return {name: read[name] for name in names}


def _loaded(entry: SourceEntry, key: str, matcher: Matcher, whole, recut: dict) -> Loaded:
    """What a source became, from its entry: its summary, and its paragraphs naming entities — as the
    entry keeps them when cut by this gazetteer (`key`), else cut anew from the `whole()` pickled
    document and noted in `recut`."""
    summary, problems = pickle.loads(entry.summary)
    if not isinstance(summary, (Summary, type(None))) or not isinstance(problems, (list, tuple)):
        raise ValueError("a damaged entry in the build cache")
    if summary is None:
        return Loaded(entry.digest, None, problems, {})
    if entry.cuts_key == key:
        cuts = pickle.loads(entry.cuts)
        if not isinstance(cuts, dict):
            raise ValueError("a damaged entry in the build cache")
        return Loaded(entry.digest, summary, problems, cuts)
    cuts = paragraph_cuts(pickle.loads(whole())[0], matcher)
    recut[summary.source.name] = (entry.digest, key, pickle.dumps(cuts, pickle.HIGHEST_PROTOCOL))
    return Loaded(entry.digest, summary, problems, cuts)


# What the last build in this process loaded: its source folder and gazetteer, and by source name the
# signature and what the source became. Trusted exactly as the build cache's entries are: same signature,
# not racy.
_LAST: dict = {}


def _loaded_before(source: Path, cache: BuildCache, signatures: dict[str, str], gazetteer: tuple) -> dict[str, Loaded]:
    if cache.fresh or _LAST.get("source") != source or _LAST.get("gazetteer") != gazetteer:
        return {}
    return {name: loaded for name, (signature, loaded) in _LAST["loaded"].items()
            if signatures.get(name) == signature and not cache.racy(signature)}


@dataclass(frozen=True)
class Loaded:
    """What a source became: its document's summary (None if it could not be read), the problems found,
    and the paragraphs of the document that name entities (`paragraph_cuts`, by paragraph number)."""

    digest: str
    document: Summary | None
    problems: tuple[Problem, ...]
    cuts: dict


class WholeDocuments:
    """The whole document behind a summary, for the processes that render its page, index its words or
    export its events: taken from the build cache, where loading left it (what the source became, checked
    by its digest), or read again from its source when the cache does not have it. Each process opens a
    connection of its own to the cache when it first needs one."""

    def __init__(self, options: BuildOptions, cache: BuildCache, digests: dict[str, str]):
        self._source, self._reading, self._digests = options.source, options.reading, digests
        self._reopen = cache.reopen
        self._caches: dict[int, BuildCache | None] = {}

    def __call__(self, summary: Summary) -> Document:
        name = summary.source.name
        document = self._stored(name)
        if document is None:
            document = load_document(self._source / file_of(name), name, self._reading)[0]
        if document is None or document.source.sha256 != summary.source.sha256:
            raise SourceChanged(f"{name}: changed while the site was being built; nothing was published — "
                                "build again once the sources are settled")
        return replace(document, path=summary.path)

    def _stored(self, name: str) -> Document | None:
        """The document as the cache keeps it; None if the cache does not have it or it is damaged."""
        pid = os.getpid()
        try:
            if pid not in self._caches:
                self._caches[pid] = _reopened(self._reopen)
            cache = self._caches[pid]
            blob = cache.source_blob(name, self._digests[name]) if cache else None
            return pickle.loads(blob)[0] if blob else None
        except Exception:  # noqa: BLE001 — a damaged cache or entry: the source is read again
            return None

    def close(self) -> None:
        """Close this process's connection (those of forked processes end with them)."""
        cache = self._caches.pop(os.getpid(), None)
        if cache:
            cache.close()


# What reading workers need besides their job: the matcher of the gazetteer's entities. Set just before
# the pool starts, inherited by each worker process.
_READING: dict = {}


def _read_source(job: tuple) -> tuple[bytes, bytes, bytes, bytes]:
    """Read one source (in a worker process): its document and problems, and derived from the document
    its search terms, its summary with the problems, and its paragraphs naming entities, each pickled."""
    document, problems = load_document(*job)
    problems = tuple(problems)
    if document is None:
        terms, summary, cuts = "", None, {}
    else:
        terms, summary = document_terms(document), Summary.of(document)
        cuts = paragraph_cuts(document, _READING["matcher"])
    return tuple(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
                 for value in ((document, problems), terms, (summary, problems), cuts))


def check_source_copies(documents, checksums: dict[str, str]) -> None:
    """The verbatim copies must be the bytes the pages were made from: the checksum each page shows."""
    changed = [d.source.name for d in documents if checksums[source_copy_path(d)] != d.source.sha256]
    if changed:
        raise SourceChanged(f"{', '.join(changed[:5])}: changed while the site was being built; "
                            "nothing was published — build again once the sources are settled")


# What forked workers read: set just before the pool starts, inherited by each worker process.
_RENDERING: dict = {}


def write_document_pages(renderer: Renderer, staging: Staging, whole: WholeDocuments, workers: int,
                         keys: dict[str, str], progress: Progress) -> list[str]:
    """Render each document page whose inputs changed (`keys`), on every core, and write those whose bytes
    changed; the pages do not depend on the split. Returns every document page's path."""
    documents = renderer.archive.documents
    todo = [(i, keys[d.path]) for i, d in enumerate(documents) if not staging.unchanged(d.path, keys[d.path])]
    staging.ready()  # the tree whole before the workers fork
    _RENDERING.update(renderer=renderer, staging=staging, whole=whole, parent=os.getpid())
    try:
        for done, outcome in enumerate(ordered_map(_write_document_page, todo, workers), 1):
            staging.adopt(outcome)
            progress("rendering documents", done, len(todo))
    finally:
        _RENDERING.clear()
    return [d.path for d in documents]


def _write_document_page(job: tuple[int, str]) -> dict:
    """Render one document page into the staging tree (in a worker): what `Staging.adopt` needs."""
    if abandoned(_RENDERING["parent"]):
        os._exit(1)  # a worker whose build was killed: write nothing more into the abandoned staging tree
    index, key = job
    renderer, staging, whole = _RENDERING["renderer"], _RENDERING["staging"], _RENDERING["whole"]
    return staging.outcome(staging.write([renderer.document(whole(renderer.archive.documents[index]))], key))


def write_entity_pages(renderer: Renderer, staging: Staging, workers: int) -> list[str]:
    """Render each entity's page whose mentions changed, on every core (a gazetteer of 10,000 people is
    10,000 pages), and write those whose bytes changed. Returns every entity page's path."""
    entities = renderer.entities.entities
    staging.ready()
    _RENDERING.update(renderer=renderer, staging=staging, parent=os.getpid())
    try:
        for outcome in ordered_map(_write_entity_page, list(range(len(entities))), workers):
            staging.adopt(outcome)
    finally:
        _RENDERING.clear()
    return [e.path for e in entities]


def _write_entity_page(index: int) -> dict:
    """Render one entity's page into the staging tree (in a worker): what `Staging.adopt` needs."""
    if abandoned(_RENDERING["parent"]):
        os._exit(1)
    renderer, staging = _RENDERING["renderer"], _RENDERING["staging"]
    return staging.outcome(staging.write([renderer.entity_page(renderer.entities.entities[index])]))


SEARCH_MEMO = "search-block:"  # fragments holding a search block's summary, by the block's key


@dataclass(frozen=True)
class Indexing:
    """What the search index's process reads documents with: the `whole` documents, the entities their
    paragraphs name (`named`, by page path), and the build's process (`parent`), whose end stops it."""

    whole: object
    named: dict
    parent: int
    language: str = "fr"  # the site's: its stemmer gives the terms' stems


def write_search_index(staging: Staging, archive, blocks: list, digests: dict[str, str], known: dict,
                       reopen, indexing: Indexing) -> tuple[dict, dict]:
    """Write the search index into the staging tree (in a process of its own, beside the other pages).
    A block whose key and files are unchanged is kept as published (`known`: its summary from the last
    build); the others are written, one block at a time, from their documents' search terms, which the
    build cache keeps (`reopen()` gives this process a connection of its own to it; `digests`: what each
    source became). Returns what `Staging.adopt` needs to count the files in, and the summaries of new
    blocks."""
    paths, summaries, learned, todo = [], {}, {}, []
    for block in blocks:
        summary = json.loads(known[block.key]) if known.get(block.key) else None
        if summary and all(staging.unchanged(path, block.key) for path in summary["files"]):
            summaries[block.number] = summary
            paths += summary["files"]
        else:
            todo.append(block)
    cache = _reopened(reopen) if todo else None
    try:
        for block in todo:
            terms = _stored_terms(cache, {d.source.name: digests[d.source.name] for _, d in block.documents})
            outputs, summaries[block.number] = block_files(block, archive, terms, indexing.whole, indexing.named,
                                                           indexing.language)
            for output in outputs:
                if abandoned(indexing.parent):
                    os._exit(1)  # the build that started this process was killed: write nothing more
                paths += staging.write([output], key=block.key)
            learned[block.key] = json.dumps(summaries[block.number])
    finally:
        if cache:
            cache.close()
    paths += staging.write([meta_file(archive, summaries)])
    return staging.outcome(paths), learned


def _reopened(reopen) -> BuildCache | None:
    """A connection of this process's own to the build cache; None if it is damaged (the build finds it
    so too; here what it would have given is made anew)."""
    try:
        return reopen()
    except sqlite3.Error:
        return None


def _stored_terms(cache: BuildCache | None, digests: dict[str, str]) -> dict[str, str]:
    """The search terms the build cache keeps for these sources (by name, with their digests)."""
    try:
        return dict(cache.terms(digests)) if cache else {}
    except sqlite3.Error:
        return {}


def write_exports(staging: Staging, archive, entities, keys: dict[str, str], reopen, whole) -> dict:
    """Write the data files into the staging tree (in a process of its own). Each document's lines are
    those the build cache keeps under the key they have now (`keys`, by source name), or are encoded anew
    from the `whole` document and kept; the files are then read back from the cache in order. `reopen()`
    gives this process a connection of its own to the cache; if it is damaged, the lines go into a cache
    held in memory. Returns what `Staging.adopt` needs."""
    cache = _reopened(reopen)
    try:
        if cache:
            with contextlib.suppress(sqlite3.Error):
                return staging.outcome(staging.write(export_files(_with_lines(cache, archive, keys, whole),
                                                                  entities)))
            cache.close()
        cache = BuildCache.in_memory()
        return staging.outcome(staging.write(export_files(_with_lines(cache, archive, keys, whole), entities)))
    finally:
        if cache:
            cache.close()


def _with_lines(cache: BuildCache, archive, keys: dict[str, str], whole) -> BuildCache:
    """The cache, once it holds the lines of every document of the archive and no others. Lines missing
    from it (a cache tampered with) are all encoded again."""
    for keep in (keys, {}):
        kept = cache.keep_lines(keep)
        batch = {}
        for document in archive.documents:
            name = document.source.name
            if name not in kept:
                batch[name] = keys[name], document_lines(whole(document), archive.events_of(document),
                                                         source_copy_path(document))
            if len(batch) == 500:
                cache.add_lines(batch)  # now, so the encoded lines need not stay in memory
                batch = {}
        cache.add_lines(batch)
        if cache.line_counts() == (len(archive.documents), len(archive.events)):
            return cache
    raise sqlite3.DatabaseError("the build cache does not keep the data files' lines it is given")
