"""The build cache: what the last build read and wrote, so that a rebuild redoes only what changed.

One SQLite database in a folder beside the output (`.site.annals-cache/cache.sqlite` for `site/`):
- each source file's stat signature, SHA-256 and parsed Document (with its problems);
- each file of the published site: its SHA-256, its stat, and the key of the inputs it was made from;
- the digest of everything else the last build read (code, settings, templates, gazetteer) and its report.

The cache only ever saves work: every entry is checked against the file it describes (a stat that differs
means "read it again"), so deleting the folder is always safe, and a database that cannot be read is
replaced by an empty one.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .model import Document, Problem

FORMAT = 1  # bump when the tables or the pickled classes change shape
FILE = "cache.sqlite"
# A source modified this close to (or after) the start of the build that read it may have changed again
# without its stat changing (file systems with coarse clocks): it is read again rather than trusted.
RACY_NS = 2_000_000_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS sources (name TEXT PRIMARY KEY, signature TEXT, entry BLOB);
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, key TEXT, sha256 TEXT, size INTEGER,
                                    mtime_ns INTEGER, ino INTEGER);
"""


@dataclass(frozen=True)
class SourceEntry:
    """A source as the last build read it: stat signature, checksums and what it became."""

    signature: str  # of the source file and of its sidecar
    digest: str  # of what it became: changes exactly when its document or its problems do
    document: Document | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class OutputRecord:
    """A published file: which inputs made it (`key`), its checksum, and its stat when written."""

    key: str
    sha256: str
    size: int
    mtime_ns: int
    ino: int

    def matches(self, stat: os.stat_result) -> bool:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.ino)


def cache_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.annals-cache"


def signature(path: Path) -> str:
    """What changes whenever a file's bytes do: size, times and inode ("" for a missing file)."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def code_version() -> str:
    """A digest of Annals' own code and catalogues: a changed program never reuses old results."""
    digest = hashlib.sha256(f"{__version__}:{FORMAT}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """The cache of one output folder. `BuildCache.open(output)`; `fresh=True` (--clean) starts empty."""

    def __init__(self, folder: Path, connection: sqlite3.Connection, recorded_ns: int):
        self.folder = folder
        self.db = connection
        self.recorded_ns = recorded_ns  # when the last build started reading its sources; 0 for none
        self.started_ns = time.time_ns()

    @classmethod
    def open(cls, output: Path, fresh: bool = False) -> "BuildCache":
        folder = cache_dir(output)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FILE
        if fresh:
            path.unlink(missing_ok=True)
        try:
            return cls._connect(folder, path)
        except (sqlite3.DatabaseError, pickle.UnpicklingError, ValueError, TypeError):
            path.unlink(missing_ok=True)  # corrupt or from another version: start again, nothing is lost
            return cls._connect(folder, path)

    @classmethod
    def _connect(cls, folder: Path, path: Path) -> "BuildCache":
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript(SCHEMA)
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            db.close()
            raise sqlite3.DatabaseError(check)
        stored = dict(db.execute("SELECT key, value FROM meta"))
        if stored and stored.get("format") != str(FORMAT):
            db.executescript("DELETE FROM meta; DELETE FROM sources; DELETE FROM outputs;")
            stored = {}
        return cls(folder, db, int(stored.get("recorded_ns", 0)))

    def close(self) -> None:
        self.db.close()

    def racy(self, source_signature: str) -> bool:
        """True when a file of the signature (`reader|file|sidecar`, each file's as `signature()` gives it)
        was modified too close to the last build's start to trust an unchanged stat."""
        mtimes = [int(part.split(":")[1]) for part in source_signature.split("|")[1:] if part.count(":") == 3]
        return any(mtime >= self.recorded_ns - RACY_NS for mtime in mtimes)

    # The previous build as a whole.

    def state(self) -> tuple[str, object]:
        """The digest of the last build's inputs and its report (None when there was none)."""
        stored = dict(self.db.execute("SELECT key, value FROM meta WHERE key IN ('inputs', 'report')"))
        try:
            report = pickle.loads(stored["report"]) if "report" in stored else None
        except Exception:  # noqa: BLE001 — an unreadable report only means "no previous build"
            return "", None
        return stored.get("inputs", ""), report

    def signatures(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, signature FROM sources"))

    # Sources.

    def sources(self) -> dict[str, tuple[str, bytes]]:
        """name → (signature, pickled entry), unpickled only where used."""
        return {name: (sig, blob) for name, sig, blob in self.db.execute("SELECT * FROM sources")}

    @staticmethod
    def entry(blob: bytes) -> SourceEntry | None:
        try:
            entry = pickle.loads(blob)
        except Exception:  # noqa: BLE001 — a damaged entry is read from its source again
            return None
        return entry if isinstance(entry, SourceEntry) else None

    # Outputs.

    def outputs(self) -> dict[str, OutputRecord]:
        return {path: OutputRecord(*rest) for path, *rest in self.db.execute("SELECT * FROM outputs")}

    def save(self, inputs: str, report, names: set[str], changed: dict[str, SourceEntry],
             outputs: dict[str, OutputRecord]) -> None:
        """Record this build in one transaction: its sources (`names`; `changed` are the ones read again)
        and every file of the site it published."""
        db = self.db
        db.execute("BEGIN")
        try:
            db.execute("DELETE FROM outputs")
            db.executemany("INSERT INTO outputs VALUES (?, ?, ?, ?, ?, ?)",
                           [(p, r.key, r.sha256, r.size, r.mtime_ns, r.ino) for p, r in outputs.items()])
            known = {name for (name,) in db.execute("SELECT name FROM sources")}
            db.executemany("DELETE FROM sources WHERE name = ?", [(n,) for n in known - names])
            db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)",
                           [(name, e.signature, pickle.dumps(e, pickle.HIGHEST_PROTOCOL))
                            for name, e in changed.items()])
            meta = {"format": str(FORMAT), "inputs": inputs, "recorded_ns": str(self.started_ns),
                    "report": pickle.dumps(report, pickle.HIGHEST_PROTOCOL)}
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
