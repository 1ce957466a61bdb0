"""The build, end to end: load → index → render → write, and the report of what happened."""
from __future__ import annotations

import datetime
import json
import os
import pickle
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from . import theme
from .cache import BuildCache, SourceEntry, build_lock, code_version, digest, signature
from .config import Config
from .fixity import MANIFEST, manifest
from .i18n import strings
from .index import build_archive, newest_date
from .loader import SIDECAR, find_sources, load_document, source_name
from .model import Document, Problem
from .search import block_files, document_terms, meta_file, plan_blocks
from .entities import index_entities, read_gazetteer
from .render import (Output, Renderer, Site, documents_json, dump_json, entities_json, events_csv, events_json,
                     source_copy_path)
from .parallel import Background, abandoned, ordered_map
from .write import Staging, check_output, scan_site, write_outputs


@dataclass(frozen=True)
class BuildOptions:
    source: Path
    output: Path
    language: str = "fr"
    title: str = ""
    description: str = ""
    base_url: str = ""
    entities: Path | None = None  # the gazetteer; None: entities.yaml in the source folder
    date_style: str = "long"
    media_marker: str = ""
    theme_root: Path | None = None  # folder whose templates/ and static/ override the default theme
    strict: bool = False  # any warning fails the build and leaves the previous site
    workers: int = 0  # processes for reading and rendering documents; 0: one per core

    @property
    def gazetteer(self) -> Path:
        return self.entities or self.source / "entities.yaml"

    @classmethod
    def from_config(cls, config: Config) -> "BuildOptions":
        return cls(source=config.source_dir, output=config.output_dir, language=config.language,
                   title=config.title, description=config.description, base_url=config.base_url,
                   entities=config.entities_path,
                   date_style=config.date_style, media_marker=config.media_marker, theme_root=config.root,
                   strict=config.strict)


@dataclass(frozen=True)
class BuildReport:
    documents: int
    events: int
    pages: int
    problems: tuple[Problem, ...] = field(default=())
    published: bool = False

    @property
    def skipped(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def as_json(self) -> bytes:
        return dump_json({
            "documents": self.documents, "events": self.events, "pages": self.pages,
            "skipped": [_problem(p) for p in self.skipped],
            "warnings": [_problem(p) for p in self.warnings],
        })

    def summary(self) -> str:
        state = "built" if self.published else "not published"
        return (f"{state}: {self.documents} documents, {self.events} events, {self.pages} pages; "
                f"{len(self.skipped)} skipped, {len(self.warnings)} warnings")


def _problem(problem: Problem) -> dict:
    return {"file": problem.path, "line": problem.line, "message": problem.message}


Progress = Callable[[str, int, int], None]  # (stage, done, total), called as the build goes


def _silent(stage: str, done: int, total: int) -> None:
    pass


def build(options: BuildOptions, clean: bool = False, progress: Progress = _silent) -> BuildReport:
    """Build the site; the previous one stays in place unless this build completes (and, if strict, is clean).

    What the last build left in the cache is reused where its inputs are unchanged; `clean` ignores it.
    The result is the same either way, byte for byte. `progress` hears of each step.
    """
    check_output(options.output, options.source)
    with build_lock(options.output, progress):
        cache = BuildCache.open(options.output, fresh=clean)
        try:
            return _build(options, cache, progress)
        except sqlite3.DatabaseError:  # the cache is damaged: it only ever saves work, so start without it
            cache.close()
            cache = BuildCache.open(options.output, fresh=True)
            return _build(options, cache, progress)
        finally:
            cache.close()


def _build(options: BuildOptions, cache: BuildCache, progress: Progress) -> BuildReport:
    paths, find_problems = find_sources(options.source)
    names = [source_name(options.source, path) for path in paths]
    reader = digest(code_version(), options.language)[:16]
    signatures = {name: source_signature(path, reader) for name, path in zip(names, paths)}
    inputs = inputsdigest(options, find_problems)
    state = digest(inputs, signatures)  # everything the site is made from, as far as stat can tell
    previous_state, previous_report = cache.state()
    records = cache.outputs()
    intact, others = scan_site(options.output, records)
    if previous_report is not None and previous_state == state and not others and len(intact) == len(records) \
            and not any(cache.racy(s) for s in signatures.values()):
        return previous_report  # nothing the site is made from has changed, and the site is as it was left
    entries = _load(options, cache, paths, names, signatures, progress)
    documents = tuple(e.document for e in entries.values() if e.document is not None)
    archive = build_archive(documents)
    gazetteer, gazetteer_problems = read_gazetteer(options.gazetteer)
    entity_index = index_entities(gazetteer, archive.documents, archive.events_of)
    problems = (tuple(find_problems) + tuple(p for e in entries.values() for p in e.problems)
                + tuple(gazetteer_problems))
    renderer = Renderer(archive, site_of(options), theme.search_path(options.theme_root, "templates"),
                        entity_index, fragments=cache.fragments, fragment_inputs=inputs,
                        document_digests={d.path: entries[d.source.name].digest for d in archive.documents})
    staging = Staging(options.output, intact, others)
    running: list[Background] = []
    try:
        report = _write_site(options, cache, staging, renderer, entries, inputs, problems, running, progress)
        if options.strict and report.problems:
            staging.discard()
            return report
        if staging.finish():
            staging.publish()
        else:
            staging.discard()  # every file is already published as it would be written
    except BaseException:
        for process in running:
            process.wait()  # before the tree goes: nothing may write into it afterwards
        staging.discard()
        raise
    report = replace(report, published=True)
    cache.save(state, report, set(names), staging.records())
    return report


def site_of(options: BuildOptions) -> Site:
    t = strings(options.language)
    return Site(title=options.title or t["archive"], language=options.language, description=options.description,
                base_url=options.base_url.rstrip("/") + "/" if options.base_url else "",
                date_style=options.date_style, media_marker=options.media_marker or t["media_gap"])


def _write_site(options: BuildOptions, cache: BuildCache, staging: Staging, renderer: Renderer,
                entries: dict, inputs: str, problems: tuple, running: list, progress: Progress) -> BuildReport:
    """Every file of the site into the staging tree: document pages on every core, then the search index
    and the exports each in a process of their own while this one renders the index pages."""
    archive, site = renderer.archive, renderer.site
    page_inputs = digest(inputs, [(y.year, y.path) for y in archive.years])
    pages = write_document_pages(renderer, staging, options.workers,
                                 {d.path: digest(page_inputs, entries[d.source.name].digest, d.path)
                                  for d in archive.documents}, progress)
    progress("index pages, search index and exports", 0, 1)
    terms = {name: e.terms for name, e in entries.items()}
    blocks = plan_blocks(archive, {name: e.digest for name, e in entries.items()})
    known = {b.key: cache.fragments.get(SEARCH_MEMO + b.key) for b in blocks}
    search = Background(lambda: write_search_index(staging, archive, blocks, terms, known, os.getpid()),
                        options.workers)
    running.append(search)
    exports = Background(lambda: staging.outcome(staging.write(
        [events_json(archive), documents_json(archive), events_csv(archive), entities_json(renderer.entities)])),
        options.workers)
    running.append(exports)
    pages = staging.write(renderer.index_pages()) + pages
    report = BuildReport(documents=len(archive.documents), events=len(archive.events), pages=len(pages),
                         problems=problems)
    staging.write([Output("build-report.json", report.as_json())])
    if site.base_url:  # the feed and the sitemap need absolute addresses
        build_date = source_date_epoch() or newest_date(archive.documents, archive.events) or "1970-01-01"
        staging.write([renderer.feed(build_date), renderer.sitemap([p for p in pages if p != "404.html"])])
    for relative, path in theme.static_files(theme.search_path(options.theme_root, "static")).items():
        staging.write([Output(f"static/{relative}", path.read_bytes())])
    for document in archive.documents:
        staging.copy(options.source / document.source.name, source_copy_path(document), document.source.sha256)
    outcome, learned = search.result()
    staging.adopt(outcome)
    staging.adopt(exports.result())
    for key, summary in learned.items():
        cache.fragments[SEARCH_MEMO + key] = summary
    progress("writing", 0, 1)
    check_source_copies(archive.documents, staging.produced)
    staging.write([Output(MANIFEST, manifest(staging.produced))])
    return report


def source_signature(path: Path, reader: str) -> str:
    """What a source's document depends on: the reader (code and language), the file and its sidecar."""
    text = os.fspath(path)
    return f"{reader}|{signature(text)}|{signature(os.path.splitext(text)[0] + SIDECAR)}"


def inputsdigest(options: BuildOptions, find_problems) -> str:
    """A digest of everything a build reads besides the sources: code, settings, theme, gazetteer."""
    theme_files = [(str(folder), sorted((p.relative_to(folder).as_posix(), p.read_bytes())
                                        for p in folder.rglob("*") if p.is_file()))
                   for kind in ("templates", "static") for folder in theme.search_path(options.theme_root, kind)]
    gazetteer = options.gazetteer.read_bytes() if options.gazetteer.is_file() else b""
    settings = (options.language, options.title, options.description, options.base_url, options.date_style,
                options.media_marker, options.strict, str(options.gazetteer), source_date_epoch())
    return digest(code_version(), settings, theme_files, gazetteer, [str(p) for p in find_problems])


def _load(options: BuildOptions, cache: BuildCache, paths: list[Path], names: list[str],
          signatures: dict[str, str], progress: Progress = _silent) -> dict[str, Loaded]:
    """Every source as what it became, in source order: from the cache where its signature is unchanged,
    else read again (on every core) and put in the cache."""
    stored = cache.sources()
    read: dict[str, Loaded] = {}
    for name in names:
        entry = stored.get(name)
        if entry and entry.signature == signatures[name] and not cache.racy(entry.signature):
            try:
                read[name] = Loaded(entry.digest, *entry.read())
            except Exception:  # noqa: BLE001 — a damaged entry: read the source again
                pass
    todo = [(path, name, options.language) for path, name in zip(paths, names) if name not in read]
    batch: dict[str, SourceEntry] = {}
    for (_, name, _), blob in zip(todo, ordered_map(_read_source, todo, options.workers)):
        batch[name] = entry = SourceEntry.of(signatures[name], blob)
        read[name] = Loaded(entry.digest, *entry.read())
        progress("reading sources", len(read) - (len(names) - len(todo)), len(todo))
        if len(batch) == 500:  # into the cache now, so the pickled bytes need not stay in memory
            cache.add_sources(batch)
            batch = {}
    cache.add_sources(batch)
    return {name: read[name] for name in names}


@dataclass(frozen=True)
class Loaded:
    """What a source became: its document (None if it could not be read), problems and search terms."""

    digest: str
    document: Document | None
    problems: tuple[Problem, ...]
    terms: tuple


def _read_source(job: tuple[Path, str, str]) -> bytes:
    """Read one source (in a worker process): its document, problems and search terms, pickled."""
    document, problems = load_document(*job)
    terms = document_terms(document) if document is not None else ()
    return pickle.dumps((document, tuple(problems), terms), pickle.HIGHEST_PROTOCOL)


class SourceChanged(RuntimeError):
    """A source file changed while the build was reading it: its copy no longer matches its checksum."""


def check_source_copies(documents, checksums: dict[str, str]) -> None:
    """The verbatim copies must be the bytes the pages were made from: the checksum each page shows."""
    changed = [d.source.name for d in documents if checksums[source_copy_path(d)] != d.source.sha256]
    if changed:
        raise SourceChanged(f"{', '.join(changed[:5])}: changed while the site was being built; "
                            "nothing was published — build again once the sources are settled")


# What forked workers read: set just before the pool starts, inherited by each worker process.
_RENDERING: dict = {}


def write_document_pages(renderer: Renderer, staging: Staging, workers: int, keys: dict[str, str],
                         progress: Progress = _silent) -> list[str]:
    """Render and write each document page whose inputs changed (`keys`), on every core; the pages do
    not depend on the split. Returns every document page's path."""
    documents = renderer.archive.documents
    todo = [i for i, d in enumerate(documents) if not staging.unchanged(d.path, keys[d.path])]
    _RENDERING.update(renderer=renderer, root=staging.root, parent=os.getpid())
    try:
        for done, (path, sha) in enumerate(ordered_map(_write_document_page, todo, workers), 1):
            staging.adopt({path: (sha, True, keys[path])})
            progress("rendering documents", done, len(todo))
    finally:
        _RENDERING.clear()
    return [d.path for d in documents]


def _write_document_page(index: int) -> tuple[str, str]:
    if abandoned(_RENDERING["parent"]):
        os._exit(1)  # a worker whose build was killed: write nothing more into the abandoned staging tree
    renderer = _RENDERING["renderer"]
    [written] = write_outputs(_RENDERING["root"], [renderer.document(renderer.archive.documents[index])])
    return written


SEARCH_MEMO = "search-block:"  # fragments holding a search block's summary, by the block's key


def write_search_index(staging: Staging, archive, blocks: list, terms: dict[str, tuple], known: dict,
                       parent: int) -> tuple[dict, dict]:
    """Write the search index into the staging tree (in a process of its own, beside the other pages).
    A block whose key and files are unchanged is kept as published (`known`: its summary from the last
    build). Returns what `Staging.adopt` needs to count the files in, and the summaries of new blocks."""
    paths, summaries, learned = [], {}, {}
    for block in blocks:
        summary = json.loads(known[block.key]) if known.get(block.key) else None
        if summary and all(staging.unchanged(path, block.key) for path in summary["files"]):
            summaries[block.number] = summary
            paths += summary["files"]
            continue
        outputs, summaries[block.number] = block_files(block, archive, terms)
        for output in outputs:
            if abandoned(parent):
                os._exit(1)  # the build that started this process was killed: write nothing more
            paths += staging.write([output], key=block.key)
        learned[block.key] = json.dumps(summaries[block.number])
    paths += staging.write([meta_file(archive, summaries)])
    return staging.outcome(paths), learned


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH as "YYYY-MM-DD" when set (reproducible-builds.org), else ""."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value.isdigit():
        return ""
    return datetime.datetime.fromtimestamp(int(value), datetime.timezone.utc).date().isoformat()

