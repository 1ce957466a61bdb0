"""The source folder → its source files: what is a document, what is a sidecar, what is reported.

Kept apart from the readers: a rebuild first finds the sources and compares their stat with the last
build's, and when nothing changed it never needs the readers (nor Jinja, Babel or Markdown).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .captures import is_capture
from .model import Problem

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}  # → reader
SIDECAR = ".yaml"
# The layouts of plain text (loader/text.py reads each), and "auto": the one detected in each document.
LAYOUTS = ("seed", "transcript", "plain")
LAYOUT_NAMES = LAYOUTS + ("auto",)
# Files in the source folder that are configuration, not documents or sidecars.
NOT_SOURCES = {"entities.yaml", "annals.yaml"}
# The largest file Annals reads (a source, a sidecar, the gazetteer): generous for text, and a bound on what
# a mistaken or hostile file can make a build hold.
MIB = 1024 * 1024
MAX_FILE_BYTES = 64 * MIB  # the default of annals.yaml's max_file_size
NOT_REGULAR = "is not a regular file (a pipe, a device or a socket); not read"


@dataclass(frozen=True)
class Reading:
    """How sources are read: the documents' language unless they name theirs, the largest file read (a
    source, a sidecar), the layout of plain texts (text.LAYOUTS, or "auto": detected in each) unless
    their sidecar names theirs, and how many folders of a web page's address name its section."""

    language: str = "fr"
    limit: int = MAX_FILE_BYTES
    layout: str = "auto"
    url_sections: int = 1  # folders of a web page's address naming its section when the page names none


class NotReadable(ValueError):
    """A file Annals will not read, and why."""


def leads_out(path: Path, root_real: Path) -> bool:
    """A symbolic link to somewhere outside the source folder (`root_real`, resolved): never followed."""
    return path.is_symlink() and not path.resolve().is_relative_to(root_real)


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. A pipe, a device or a socket is refused
    without waiting on it (opened non-blocking, checked once open, so a file swapped for a pipe after the
    folder was listed is refused too)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(NOT_REGULAR)
        if info.st_size > limit:
            raise NotReadable(f"is larger than {_size(limit)} ({info.st_size} bytes); not read — raise "
                              "max_file_size in annals.yaml to read it")
        chunks, size = [], 0
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise NotReadable(f"is larger than {_size(limit)}; not read")
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit % MIB == 0 else f"{limit} bytes"


def find_sources(root: Path) -> tuple[list[Path], list[Problem]]:
    """Source files under `root`, sorted; symlinks leaving `root` and unknown files are reported."""
    root_real = root.resolve()
    found, problems = [], []
    for prefix, entries, error in _folders(os.fspath(root), ""):
        if error is not None:
            problems.append(Problem(prefix.rstrip("/") or ".", f"could not be read ({error.strerror}); "
                                    "its files were left out", severity="error"))
            continue
        present = {e.name for e in entries}
        for entry in entries:
            name, rel = entry.name, prefix + entry.name
            if name.startswith(".") or name in NOT_SOURCES:
                continue
            stem, suffix = os.path.splitext(name)
            suffix = suffix.lower()
            if leads_out(Path(entry.path), root_real):
                problems.append(Problem(rel, "is a symbolic link to a file outside the source folder; "
                                             "not followed — copy the file in instead", severity="error"))
                continue
            if suffix in FORMATS or is_capture(name):
                if not entry.is_file():
                    problems.append(Problem(rel, NOT_REGULAR, severity="error"))
                    continue
                found.append(Path(entry.path))
            elif suffix == SIDECAR and any(stem + s in present or stem + s.upper() in present for s in FORMATS):
                continue
            else:
                problems.append(Problem(rel, f"is not a source document ({suffix or 'no extension'}); "
                                             "ignored — sources are .txt, .md, .html, "
                                             ".warc, .warc.gz or .wacz files", severity="error"))
    return found, problems


def _folders(folder: str, prefix: str):
    """Each folder under `folder` (itself first, then its subfolders by name, hidden ones left out; linked
    folders are not followed) as its prefix ("a/b/"), its other entries by name, and the error if it could
    not be listed. One directory read per folder and no stat per file: the listing tells each entry's kind."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        yield prefix, [], error
        return
    yield prefix, [e for e in entries if not e.is_dir()], None
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith(".") and not entry.is_symlink():
            yield from _folders(entry.path, f"{prefix}{entry.name}/")


def source_name(root: Path, path: Path) -> str:
    """A source's name (`path` as `find_sources` gives it): its path under the source folder, with
    forward slashes."""
    return os.fspath(path)[len(os.fspath(root)) + 1:].replace(os.sep, "/")

