"""The build, end to end: load → index → render → write, and the report of what happened."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import theme
from .config import Config
from .fixity import write_manifest
from .i18n import strings
from .index import build_archive, newest_date
from .loader import load_archive
from .model import Problem
from .search import search_files
from .entities import index_entities, read_gazetteer
from .render import (Output, Renderer, Site, documents_json, dump_json, entities_json, events_csv, events_json,
                     source_copy_path)
from .parallel import ordered_map
from .write import Staging, check_output, write_outputs


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


def build(options: BuildOptions) -> BuildReport:
    """Build the site; the previous one stays in place unless this build completes (and, if strict, is clean)."""
    check_output(options.output, options.source)
    loaded = load_archive(options.source, options.language, options.workers)
    archive = build_archive(loaded.documents)
    gazetteer, gazetteer_problems = read_gazetteer(options.gazetteer)
    entity_index = index_entities(gazetteer, archive.documents, archive.events_of)
    t = strings(options.language)
    site = Site(title=options.title or t["archive"], language=options.language, description=options.description,
                base_url=options.base_url.rstrip("/") + "/" if options.base_url else "",
                date_style=options.date_style, media_marker=options.media_marker or t["media_gap"])
    renderer = Renderer(archive, site, theme.search_path(options.theme_root, "templates"), entity_index)
    staging = Staging(options.output)
    try:
        pages = staging.write(renderer.index_pages())
        pages += write_document_pages(renderer, staging.root, options.workers)
        report = BuildReport(documents=len(archive.documents), events=len(archive.events), pages=len(pages),
                             problems=loaded.problems + tuple(gazetteer_problems))
        staging.write([events_json(archive), documents_json(archive), events_csv(archive),
                       entities_json(entity_index), *search_files(archive),
                       Output("build-report.json", report.as_json())])
        if site.base_url:  # the feed and the sitemap need absolute addresses
            build_date = source_date_epoch() or newest_date(archive.documents, archive.events) or "1970-01-01"
            staging.write([renderer.feed(build_date), renderer.sitemap([p for p in pages if p != "404.html"])])
        for relative, path in theme.static_files(theme.search_path(options.theme_root, "static")).items():
            staging.copy(path, f"static/{relative}")
        for document in archive.documents:
            staging.copy(options.source / document.source.name, source_copy_path(document))
        checksums = write_manifest(staging.root)
        check_source_copies(archive.documents, checksums)
        if options.strict and report.problems:
            staging.discard()
            return report
        staging.publish()
    except BaseException:
        staging.discard()
        raise
    return BuildReport(report.documents, report.events, report.pages, report.problems, published=True)


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


def write_document_pages(renderer: Renderer, root: Path, workers: int) -> list[str]:
    """Render and write every document page, on every core; the pages do not depend on the split."""
    _RENDERING.update(renderer=renderer, root=root, parent=os.getpid())
    try:
        written = ordered_map(_write_document_page, range(len(renderer.archive.documents)), workers)
        return [path for paths in written for path in paths]
    finally:
        _RENDERING.clear()


def _write_document_page(index: int) -> list[str]:
    parent = _RENDERING["parent"]
    if os.getpid() != parent and os.getppid() != parent:
        os._exit(1)  # a worker whose build was killed: write nothing more into the abandoned staging tree
    renderer = _RENDERING["renderer"]
    return write_outputs(_RENDERING["root"], [renderer.document(renderer.archive.documents[index])])


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH as "YYYY-MM-DD" when set (reproducible-builds.org), else ""."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value.isdigit():
        return ""
    return datetime.datetime.fromtimestamp(int(value), datetime.timezone.utc).date().isoformat()

