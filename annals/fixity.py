"""Fixity: a BagIt-style manifest of every built file's SHA-256, and verification of a published copy."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .write import MARKER, MARKER_TEXT

MANIFEST = "manifest-sha256.txt"
NOT_LISTED = {MANIFEST, MARKER}  # the marker is the same in every site: checked against its text


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def listed_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and p.relative_to(site).as_posix() not in NOT_LISTED)


def manifest(checksums: dict[str, str]) -> Iterator[bytes]:
    """`SHA256  path` for every file of the site but the manifest itself, sorted by path: a line at a time
    (a large site's manifest is megabytes)."""
    for name in sorted(checksums):
        yield f"{checksums[name]}  {name}\n".encode("utf-8")


@dataclass(frozen=True)
class Verification:
    checked: int
    changed: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    empty_folders: tuple[str, ...] = ()  # no build leaves an empty folder: each was added
    manifest_sha256: str = ""  # of the manifest itself, to keep apart from the site
    manifest_changed: bool = False  # it is not the SHA-256 the caller kept

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra or self.empty_folders or self.manifest_changed)


class NoManifest(FileNotFoundError):
    pass


class BadManifest(ValueError):
    """The manifest cannot be read as one: `manifest-sha256.txt:LINE: what is wrong`."""


LINE = re.compile(r"[0-9a-f]{64}  .+")


def verify(site: Path, manifest_sha256: str = "") -> Verification:
    """Compare a copy of the site with its manifest: changed, missing and unlisted files, added empty
    folders, and (given the SHA-256 the manifest had when it was built) the manifest itself."""
    manifest = site / MANIFEST
    if not manifest.is_file():
        raise NoManifest(f"{site}: no {MANIFEST}; is this a site built by Annals?")
    data = manifest.read_bytes()
    expected = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw:
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadManifest(f"{MANIFEST}:{number}: not valid UTF-8 — the manifest is damaged") from None
        if not LINE.fullmatch(line):
            raise BadManifest(f"{MANIFEST}:{number}: expected a SHA-256 in hex, two spaces and a path")
        checksum, _, name = line.partition("  ")
        expected[name] = checksum
    present = set(listed_files(site))
    changed = tuple(n for n in sorted(expected) if n in present and file_sha256(site / n) != expected[n])
    marker = site / MARKER
    if marker.is_file() and marker.read_bytes() != MARKER_TEXT.encode("utf-8"):  # a copy may leave hidden files out
        changed = tuple(sorted((*changed, MARKER)))
    missing = tuple(n for n in sorted(expected) if n not in present)
    extra = tuple(sorted(present - set(expected)))
    empty = tuple(sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                         if p.is_dir() and not any(q.is_file() for q in p.rglob("*"))))
    own = hashlib.sha256(data).hexdigest()
    return Verification(len(expected), changed, missing, extra, empty, own,
                        bool(manifest_sha256) and manifest_sha256.lower() != own)
