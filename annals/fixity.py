"""Fixity: a BagIt-style manifest of every built file's SHA-256, and verification of a published copy."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

MANIFEST = "manifest-sha256.txt"
NOT_LISTED = {MANIFEST, ".annals-site"}


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

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra)


class NoManifest(FileNotFoundError):
    pass


def verify(site: Path) -> Verification:
    """Compare a copy of the site with its manifest: changed, missing and unlisted files."""
    manifest = site / MANIFEST
    if not manifest.is_file():
        raise NoManifest(f"{site}: no {MANIFEST}; is this a site built by Annals?")
    expected = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        checksum, _, name = line.partition("  ")
        expected[name] = checksum
    present = set(listed_files(site))
    changed = tuple(n for n in sorted(expected) if n in present and file_sha256(site / n) != expected[n])
    missing = tuple(n for n in sorted(expected) if n not in present)
    extra = tuple(sorted(present - set(expected)))
    return Verification(len(expected), changed, missing, extra)
