"""The build, end to end: the plan (which sources and inputs there are, and whether anything changed
since the last build), then load → index → render → write (make.py), and the report of what happened."""
from __future__ import annotations

import contextlib
import datetime
import errno
import gc
import os
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from . import theme
from .cache import BuildCache, build_lock, code_version, digest, signature
from .captures import captured_pages, is_capture
from .config import Config
from .model import Problem
from .sources import MAX_FILE_BYTES, MIB, SIDECAR, Reading, find_sources, source_name
from .write import check_output, scan_site


class SourceChanged(RuntimeError):
    """A source file changed while the build was reading it: its copy no longer matches its checksum."""


class NoSpace(RuntimeError):
    """The disk filled up during the build: nothing was published, and the previous site is as it was."""


def out_of_space(error: BaseException) -> bool:
    """Whether `error` says the disk (or the user's quota) is full: from the system, or from SQLite."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == SQLITE_FULL or "disk is full" in str(error))


SQLITE_FULL = 13
NO_SPACE = ("no space left on the device{where}; nothing was published — the previous site is unchanged. "
            "Free some space and build again")


class TemplateFailed(RuntimeError):
    """A template could not be rendered; the message is `template:line: what went wrong`."""


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
    search: bool = True  # the full-text search: its page, the box on every page, its index
    workers: int = 0  # processes for reading and rendering documents; 0: one per core
    addresses: Path | None = None  # the record of addresses kept beside annals.yaml; None: the site's own
    citation_style: str = ""  # the CSL style of citations; "": the site language's default
    max_file_bytes: int = MAX_FILE_BYTES  # the largest source, sidecar or gazetteer read
    drafts: bool = False  # publish the documents marked `draft: true` too (marked as drafts)
    layout: str = "auto"  # plain-text sources' layout; "auto": detected in each
    extra_css: tuple[str, ...] = ()  # stylesheets of the theme's static/ folder linked on every page
    extra_js: tuple[str, ...] = ()  # scripts of the theme's static/ folder loaded on every page
    section_order: tuple[str, ...] = ()  # sections listed first, in this order
    url_sections: int = 1  # folders of a web page's address naming its section when the page names none

    @property
    def reading(self) -> Reading:
        """How the loader reads each source."""
        return Reading(self.language, self.max_file_bytes, self.layout, self.url_sections)

    @property
    def gazetteer(self) -> Path:
        return self.entities or self.source / "entities.yaml"

    @classmethod
    def from_config(cls, config: Config) -> "BuildOptions":
        return cls(source=config.source_dir, output=config.output_dir, language=config.language,
                   title=config.title, description=config.description, base_url=config.base_url,
                   entities=config.entities_path,
                   date_style=config.date_style, media_marker=config.media_marker, theme_root=config.root,
                   strict=config.strict, search=config.search, addresses=config.addresses_path,
                   citation_style=config.citation_style, max_file_bytes=config.max_file_size * MIB,
                   layout=config.layout, url_sections=config.url_sections, extra_css=config.extra_css,
                   extra_js=config.extra_js, section_order=config.section_order)


@dataclass(frozen=True)
class BuildReport:
    documents: int
    events: int
    pages: int
    problems: tuple[Problem, ...] = field(default=())
    published: bool = False
    dates: tuple = ()  # the date report (datereport.date_report): per document, each date read or refused
    drafts: int = 0  # documents marked as drafts and left out

    @property
    def skipped(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def notes(self) -> tuple[Problem, ...]:
        """What the build did worth knowing that is nothing wrong: what each web archive held."""
        return tuple(p for p in self.problems if p.severity == "note")

    def as_data(self) -> dict:
        """What build-report.json holds."""
        return {
            "documents": self.documents, "events": self.events, "pages": self.pages,
            "skipped": [_problem(p) for p in self.skipped],
            "warnings": [_problem(p) for p in self.warnings],
            "notes": [_problem(p) for p in self.notes],
            "dates": list(self.dates),
        }

    def summary(self) -> str:
        state = "built" if self.published else "not published"
        drafts = f"; {counted(self.drafts, 'draft')} not published (--drafts publishes them)" if self.drafts else ""
        return (f"{state}: {counted(self.documents, 'document')}, {counted(self.events, 'event')}, "
                f"{counted(self.pages, 'page')}; {len(self.skipped)} skipped, {counted(len(self.warnings), 'warning')}"
                f"{drafts}")


def counted(n: int, noun: str) -> str:
    """"1 document", "2 documents": a count in the terminal's messages, which are in English."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
    if options.output.is_symlink():  # "site -> releases/current": the new tree is swapped in at the target
        options = replace(options, output=options.output.resolve())
    check_output(options.output, options.source)
    with build_lock(options.output, progress):
        cache = BuildCache.open(options.output, fresh=clean)
        try:
            try:
                return _build(options, cache, progress)
            except sqlite3.DatabaseError as error:  # the cache is damaged: it only saves work, so start without it
                if out_of_space(error):
                    raise
                cache.close()
                cache = BuildCache.open(options.output, fresh=True)
                return _build(options, cache, progress)
        except (OSError, sqlite3.OperationalError) as error:
            if not out_of_space(error):
                raise
            where = f" (writing {error.filename})" if getattr(error, "filename", None) else ""
            raise NoSpace(NO_SPACE.format(where=where)) from error
        finally:
            cache.close()


@dataclass(frozen=True)
class Plan:
    """What a build starts from: the sources with their stat signatures, a digest of everything else it
    reads (`inputs`: `settings` and everything else besides the sources), the two together (`state`), and
    which published files are still as last written."""

    paths: list[Path]
    names: list[str]
    signatures: dict[str, str]
    find_problems: list[Problem]
    settings: str  # digest of the code and settings: what every page depends on
    inputs: str
    state: str
    intact: dict  # published files still as the last build wrote them, by path
    recorded: dict  # every file the last build wrote, as the cache records it, by path
    others: int  # files in the published site that are not as the last build wrote them


def _build(options: BuildOptions, cache: BuildCache, progress: Progress) -> BuildReport:
    plan = plan_build(options, cache)
    previous_state, previous_report = cache.state()
    if previous_report is not None and previous_state == plan.state and not plan.others \
            and len(plan.intact) == len(plan.recorded) and not any(map(cache.racy, plan.signatures.values())):
        return previous_report  # nothing the site is made from has changed, and the site is as it was left
    # Reading, rendering and writing need the readers, Jinja and Babel: a build with nothing to do never
    # imports them (they took a third of a no-op rebuild's time).
    from .make import make_site

    with collector_paused():
        return make_site(options, cache, plan, progress)


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off while the site is made, back as it was afterwards. A build holds
    millions of objects (documents, blocks, events) and makes no garbage cycles worth collecting; each
    full collection walked all of them again — a fifth of a rebuild's time at 10,000 documents. Memory is
    freed by reference counting as before (measured on a cold build of 10,000 documents: the same peak)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_build(options: BuildOptions, cache: BuildCache) -> Plan:
    """Find the sources and stat them, digest the other inputs, and see which published files are intact."""
    found, find_problems = find_sources(options.source)
    reader = digest(code_version(), options.reading)[:16]
    paths, names, signatures = [], [], {}
    for path in found:
        name = source_name(options.source, path)
        if not is_capture(name):
            paths.append(path)
            names.append(name)
            signatures[name] = source_signature(path, reader)
            continue
        archive = source_signature(path, reader)  # stat once: its pages are the archive's, record by record
        listing, problem = captured_pages(path, name, cache.fragments, reuse=not cache.racy(archive))
        find_problems.append(problem)
        for page in listing.pages:
            paths.append(path)
            names.append(page.name(name))
            signatures[page.name(name)] = f"{archive}|#{page.member}#{page.offset}"
    if not names and not find_problems:
        find_problems.append(Problem(options.source.name, "has no source documents: the site is empty — put .txt, "
                                                          ".md, .html, .warc.gz or .wacz files in it"))
    settings = settings_digest(options)
    gazetteer = options.gazetteer.read_bytes() if options.gazetteer.is_file() else b""
    inputs = digest(settings, options.strict, str(options.gazetteer), gazetteer, source_date_epoch(),
                    [str(p) for p in find_problems], theme_digest(options))
    records = cache.outputs()
    intact, others = scan_site(options.output, records)
    return Plan(paths, names, signatures, find_problems, settings, inputs, plan_state(options, inputs, signatures),
                intact, records, others)


def plan_state(options: BuildOptions, inputs: str, signatures: dict[str, str]) -> str:
    """Everything a build depends on, as one digest: its inputs, the sources' stat, and the stat of the
    kept record of addresses (one edited by hand is a change; a build records the state after writing it)."""
    return digest(inputs, signatures, signature(options.addresses) if options.addresses else "")


def source_signature(path: Path, reader: str) -> str:
    """What a source's document depends on: the reader (code and language), the file and its sidecar."""
    text = os.fspath(path)
    return f"{reader}|{signature(text)}|{signature(os.path.splitext(text)[0] + SIDECAR)}"


def settings_digest(options: BuildOptions) -> str:
    """A digest of the code and of the settings that pages show: what every page depends on. (Not the
    gazetteer — a page's key holds the entities the page shows — nor what only decides whether or how a
    build is published: `strict`, the build date of the feed, the problems found.)"""
    return digest(code_version(), options.language, options.title, options.description, options.base_url,
                  options.date_style, options.media_marker, options.search, options.citation_style,
                  options.drafts, options.extra_css, options.extra_js, options.section_order)


def theme_digest(options: BuildOptions) -> str:
    """A digest of every template and static file of the theme (the archive's own, then the default)."""
    return digest([(str(folder), sorted((p.relative_to(folder).as_posix(), p.read_bytes())
                                        for p in folder.rglob("*") if p.is_file()))
                   for kind in ("templates", "static") for folder in theme.search_path(options.theme_root, kind)])


def source_date_epoch() -> str:
    """SOURCE_DATE_EPOCH as "YYYY-MM-DD" when set (reproducible-builds.org), else ""."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value.isdigit():
        return ""
    return datetime.datetime.fromtimestamp(int(value), datetime.timezone.utc).date().isoformat()

