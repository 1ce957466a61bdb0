"""The build cache: what the last build read and wrote, so that a rebuild redoes only what changed.

One SQLite database in a folder beside the output (`.site.annals-cache/cache.sqlite` for `site/`):
- each source's stat signature and what it became (document and problems; pickled) with the digest of
  that, and derived from it: its search terms, its summary, and its paragraphs naming entities;
- each file of the published site: its SHA-256, its stat, and the key of the inputs it was made from;
- each source's lines in the data files (events.json, events.csv, documents.json), by the key of what
  they were made from, read back in the order of the files;
- pages and parts of pages already rendered (a year of the timeline, a section's or an entity's page) and
  summaries of search blocks, by the digest of what they show;
- the digest of everything else the last build read (code, settings, templates, gazetteer) and its report.

The cache only ever saves work: every entry is checked against the file it describes (a stat that differs
means "read it again"), so deleting the folder is always safe, and a database that cannot be read is
replaced by an empty one (`open` checks that it can be read; a fault found later makes the build start
again with an empty cache).
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

try:
    import fcntl
except ImportError:  # Windows has no fcntl: there, concurrent builds are not kept apart
    fcntl = None

from . import __version__

FORMAT = 13  # bump when the tables or the pickled classes change shape
FILE = "cache.sqlite"
# A source modified this close to (or after) the start of the build that read it may have changed again
# without its stat changing (file systems with coarse clocks): it is read again rather than trusted.
RACY_NS = 2_000_000_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS sources (name TEXT PRIMARY KEY, signature TEXT, digest TEXT, blob BLOB, terms BLOB,
                                    summary BLOB, cuts_key TEXT, cuts BLOB);
CREATE TABLE IF NOT EXISTS lines (name TEXT PRIMARY KEY, key TEXT, path TEXT, document BLOB);
CREATE INDEX IF NOT EXISTS lines_in_order ON lines (path);
CREATE TABLE IF NOT EXISTS event_lines (name TEXT, date TEXT, path TEXT, paragraph INTEGER, json BLOB, csv BLOB);
CREATE INDEX IF NOT EXISTS event_lines_in_order ON event_lines (date, path, paragraph);
CREATE INDEX IF NOT EXISTS event_lines_by_source ON event_lines (name);
CREATE TABLE IF NOT EXISTS fragments (key TEXT PRIMARY KEY, html TEXT, checksum TEXT);
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, key TEXT, sha256 TEXT, size INTEGER,
                                    mtime_ns INTEGER, ino INTEGER);
"""


@dataclass(frozen=True)
class SourceEntry:
    """A source as a build read it: its stat signature, and what it became — the document (None if it
    could not be read) and the problems found, pickled in `blob`, whose SHA-256 is `digest` (it changes
    exactly when what the source became does). Beside it, derived from the document and pickled apart:
    its search terms (read only by the search index, for the blocks it writes again), its summary with
    the problems (what a build holds: `model.Summary`), and its paragraphs naming entities as a gazetteer
    cuts them (`cuts`, for the gazetteer whose digest is `cuts_key`). A build reads the summaries only;
    `blob` is empty in the entries it gets from the cache (`BuildCache.source_blob` gives it)."""

    signature: str  # of the source file and of its sidecar, and of the reader
    digest: str
    blob: bytes
    terms: bytes = b""
    summary: bytes = b""
    cuts_key: str = ""
    cuts: bytes = b""

    @classmethod
    def of(cls, signature: str, blob: bytes, terms: bytes, summary: bytes, cuts_key: str,
           cuts: bytes) -> "SourceEntry":
        return cls(signature, hashlib.sha256(blob).hexdigest(), blob, terms, summary, cuts_key, cuts)


class OutputRecord(NamedTuple):
    """A published file: which inputs made it (`key`), its checksum, and its stat when written.
    (A named tuple: a site has tens of thousands of them, loaded on every build.)"""

    key: str
    sha256: str
    size: int
    mtime_ns: int
    ino: int

    def matches(self, stat: os.stat_result) -> bool:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.ino)


def digest(*parts) -> str:
    """The key of anything the cache keeps: SHA-256 of the pickled parts (strings, numbers, tuples and
    frozen data classes pickle the same way each time)."""
    return hashlib.sha256(pickle.dumps(parts, pickle.HIGHEST_PROTOCOL)).hexdigest()


def cache_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.annals-cache"


@contextlib.contextmanager
def build_lock(output: Path, progress=None):
    """One build of an output folder at a time (say, `annals serve` running while `annals build` is
    typed): the second waits for the first, which would otherwise see its staging tree removed as the
    leftover of an interrupted build. Held on a file in the cache folder; released if the process dies."""
    folder = cache_dir(output)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+b") as handle:
        if fcntl is not None:  # a POSIX record lock: held by this process only, never by forked workers
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                if progress:
                    progress("waiting for another build of this site to finish", 0, 1)
                fcntl.lockf(handle, fcntl.LOCK_EX)
        yield


def signature(path: Path | str) -> str:
    """What changes whenever a file's bytes do: size, times and inode ("" for a missing file)."""
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


@functools.cache
def code_version() -> str:
    """A digest of Annals' own code and catalogues: a changed program never reuses old results. (Once
    per process: the code a process runs does not change under it, even when its files do.)"""
    digest = hashlib.sha256(f"{__version__}:{FORMAT}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _remove(database: Path) -> None:
    """Delete the database with its write-ahead log, which must never be replayed into a new one."""
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)


class BuildCache:
    """The cache of one output folder. `BuildCache.open(output)`; `fresh=True` (--clean) starts empty."""

    def __init__(self, connection: sqlite3.Connection, recorded_ns: int, path: Path):
        self.db = connection
        self.path = path
        self.recorded_ns = recorded_ns  # when the last build started reading its sources; 0 for none
        self.started_ns = time.time_ns()
        self.fragments = Fragments(connection)
        self.fresh = False  # opened empty on purpose (--clean): nothing kept from earlier builds may be used

    @classmethod
    def open(cls, output: Path, fresh: bool = False) -> "BuildCache":
        folder = cache_dir(output)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FILE
        if fresh:
            _remove(path)
        try:
            cache = cls._connect(path)
        except (sqlite3.DatabaseError, ValueError):
            _remove(path)  # corrupt or from another version: start again, nothing is lost
            cache = cls._connect(path)
        cache.fresh = fresh
        return cache

    @classmethod
    def _connect(cls, path: Path) -> "BuildCache":
        db = sqlite3.connect(path, isolation_level=None)
        # Write-ahead log: fast writes, and a crash loses at most the last transaction, never the file.
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        stored = dict(db.execute("SELECT key, value FROM meta"))
        if stored and stored.get("format") != str(FORMAT):  # another version's tables: start again with ours
            tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            db.executescript("".join(f"DROP TABLE {name};" for name in tables) + SCHEMA)
            stored = {}
        return cls(db, int(stored.get("recorded_ns", 0)), path)

    @classmethod
    def in_memory(cls) -> "BuildCache":
        """A cache held in memory only, for a process whose cache on disk is damaged."""
        return cls._connect(Path(":memory:"))

    def reopen(self) -> "BuildCache":
        """A connection of its own to the same database, for a forked process: a connection must never
        be used on both sides of a fork."""
        return self._connect(self.path)

    def close(self) -> None:
        self.db.close()

    def racy(self, source_signature: str) -> bool:
        """True when a file of the signature (`reader|file|sidecar`, each file's as `signature()` gives it)
        was modified too close to the last build's start to trust an unchanged stat."""
        mtimes = [int(part.split(":")[1]) for part in source_signature.split("|")[1:] if part.count(":") == 3]
        return any(mtime >= self.recorded_ns - RACY_NS for mtime in mtimes)

    # The previous build as a whole.

    def state(self) -> tuple[str, object]:
        """The digest of all the last published build's inputs and its report (None when there was none)."""
        stored = dict(self.db.execute("SELECT key, value FROM meta WHERE key IN ('state', 'report')"))
        try:
            report = pickle.loads(stored["report"]) if "report" in stored else None
        except Exception:  # noqa: BLE001 — an unreadable report only means "no previous build"
            return "", None
        return stored.get("state", ""), report

    # Sources.

    def sources(self, signatures: dict[str, str], only: list[str] | None = None):
        """(name, entry) for each source stored with the signature it has now (`signatures`) — of those
        named in `only`, if given — one at a time: what a large archive's sources became is never all in
        memory at once. The entries hold the summaries, not the whole documents."""
        query = "SELECT name, signature, digest, summary, cuts_key, cuts FROM sources"
        rows = self.db.execute(query) if only is None else self._named_rows(query, only)
        for name, signature_, digest_, summary, cuts_key, cuts in rows:
            if signatures.get(name) == signature_ and not self.racy(signature_):
                yield name, SourceEntry(signature_, digest_, b"", b"", summary, cuts_key, cuts)

    def source_blob(self, name: str, digest_: str) -> bytes | None:
        """What the source became (its pickled document and problems), if stored with this digest."""
        row = self.db.execute("SELECT blob FROM sources WHERE name = ? AND digest = ?", (name, digest_)).fetchone()
        if row is None or not isinstance(row[0], bytes) or hashlib.sha256(row[0]).hexdigest() != digest_:
            return None  # not kept, or not as it was kept: the source is read again
        return row[0]

    def terms(self, digests: dict[str, str]):
        """(name, search terms) for each of these sources (`digests`: what each became, by name) stored
        with the digest it has now."""
        for name, digest_, terms in self._named_rows("SELECT name, digest, terms FROM sources", list(digests)):
            if digests.get(name) == digest_ and terms:
                try:
                    found = pickle.loads(terms)
                except Exception:  # noqa: BLE001 — a damaged entry: its terms are found anew
                    continue
                if isinstance(found, str):
                    yield name, found

    def _named_rows(self, query: str, names: list[str]):
        """The rows of `query` (on the sources) for these names, asked for 500 at a time: SQLite takes a
        limited number of parameters."""
        for start in range(0, len(names), 500):
            some = names[start:start + 500]
            yield from self.db.execute(f"{query} WHERE name IN ({','.join('?' * len(some))})", some)

    def add_sources(self, entries: dict[str, SourceEntry]) -> None:
        """Keep what sources became as soon as they are read: true whatever the build does next."""
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                [(name, e.signature, e.digest, e.blob, e.terms, e.summary, e.cuts_key, e.cuts)
                                 for name, e in entries.items()])

    def add_cuts(self, cuts: dict[str, tuple[str, str, bytes]]) -> None:
        """Keep sources' paragraphs naming entities as another gazetteer cuts them: name → (digest of
        what the source became, key of the gazetteer, pickled cuts)."""
        with self.transaction():
            self.db.executemany("UPDATE sources SET cuts_key = ?, cuts = ? WHERE name = ? AND digest = ?",
                                [(key, blob, name, digest_) for name, (digest_, key, blob) in cuts.items()])

    def keep_lines(self, keys: dict[str, str]) -> set[str]:
        """Drop the lines of sources not among `keys` or stored under another key (what a source became
        and its page path); return the names of the sources whose lines are stored under their key."""
        stored = dict(self.db.execute("SELECT name, key FROM lines"))
        stale = [(name,) for name, key in stored.items() if keys.get(name) != key]
        with self.transaction():
            self.db.executemany("DELETE FROM lines WHERE name = ?", stale)
            self.db.executemany("DELETE FROM event_lines WHERE name = ?", stale)
        return set(stored) - {name for (name,) in stale}

    def add_lines(self, lines: dict) -> None:
        """Keep sources' lines in the data files: name → (key, DocumentLines)."""
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO lines VALUES (?, ?, ?, ?)",
                                [(name, key, ln.path, ln.document) for name, (key, ln) in lines.items()])
            self.db.executemany("INSERT INTO event_lines VALUES (?, ?, ?, ?, ?, ?)",
                                [(name, date, ln.path, paragraph, item, row) for name, (_, ln) in lines.items()
                                 for date, paragraph, item, row in ln.events])

    def line_counts(self) -> tuple[int, int]:
        """How many documents and events have lines stored."""
        return (self.db.execute("SELECT count(*) FROM lines").fetchone()[0],
                self.db.execute("SELECT count(*) FROM event_lines").fetchone()[0])

    def document_lines(self):
        """Every stored documents.json item, by page path — in the order of the archive's documents."""
        for (line,) in self.db.execute("SELECT document FROM lines ORDER BY path"):
            yield line

    def event_lines(self, column: str):
        """Every stored events.json item (`column` "json") or events.csv row ("csv"), chronologically as
        the archive orders events: by date, then page path, then paragraph."""
        assert column in ("json", "csv")
        for (line,) in self.db.execute(f"SELECT {column} FROM event_lines ORDER BY date, path, paragraph"):
            yield line

    # Outputs.

    def outputs(self) -> dict[str, OutputRecord]:
        make = OutputRecord._make
        return {row[0]: make(row[1:]) for row in self.db.execute("SELECT * FROM outputs")}

    def save(self, state: str, report, names: set[str], outputs: dict[str, OutputRecord],
             recorded: dict[str, OutputRecord]) -> None:
        """Record a published build in one transaction: its sources (`names`; the others are dropped —
        the data files' lines of sources gone are dropped by `keep_lines`), every file of the site
        (`outputs`; only those that differ from what the cache recorded at the build's start, `recorded`,
        are written), the fragments it used, the digest of all its inputs (`state`), its report."""
        db = self.db
        with self.transaction():
            self.fragments.save()
            db.executemany("DELETE FROM outputs WHERE path = ?", ((p,) for p in recorded if p not in outputs))
            db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?)",
                           ((p, *r) for p, r in outputs.items() if recorded.get(p) != r))
            stale = {name for (name,) in db.execute("SELECT name FROM sources")} - names  # sources gone
            db.executemany("DELETE FROM sources WHERE name = ?", [(name,) for name in stale])
            meta = {"format": str(FORMAT), "state": state, "recorded_ns": str(self.started_ns),
                    "report": pickle.dumps(report, pickle.HIGHEST_PROTOCOL)}
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))

    def transaction(self):
        """Everything inside in one transaction: all of it is kept, or none."""
        return transaction(self.db)


@contextlib.contextmanager
def transaction(db: sqlite3.Connection):
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def fragment_checksum(value) -> str | None:
    """What a fragment (text or bytes) must match when read back; None for a value of any other type."""
    if isinstance(value, str):
        return "t" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    if isinstance(value, bytes):
        return "b" + hashlib.sha256(value).hexdigest()
    return None


class Fragments:
    """Rendered parts of pages by key (and what else is made once for what it is made from: search blocks'
    summaries, compiled templates), read from the cache when asked for. New ones go into the cache a
    few megabytes at a time, not held until the build ends (a timeline of 10,000 documents is 36 MB of
    them): each is right for its key whatever the build does next. `save()` (inside the cache's
    transaction at the end of a published build) drops those this build did not use."""

    BATCH = 1_000_000  # characters of new fragments held before they are written

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.used: set[str] = set()
        self.new: dict[str, str] = {}  # not yet written
        self.size = 0

    def get(self, key: str, default=None):
        """The fragment kept under `key`, if it is as it was written (its type and checksum): one damaged
        or altered in the cache is `default`, so it is made again and its new value replaces it."""
        if key in self.new:
            return self.new[key]
        row = self.db.execute("SELECT html, checksum FROM fragments WHERE key = ?", (key,)).fetchone()
        if row is None or fragment_checksum(row[0]) != row[1]:
            return default
        self.used.add(key)
        return row[0]

    def __setitem__(self, key: str, html: str) -> None:
        self.new[key] = html
        self.used.add(key)
        self.size += len(html)
        if self.size >= self.BATCH:
            with transaction(self.db):
                self.flush()

    def keep(self, key: str) -> None:
        """Keep a fragment that this build needs but does not read (the page it is part of is kept as
        published): `save()` does not drop it."""
        self.used.add(key)

    def flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO fragments VALUES (?, ?, ?)",
                            [(key, value, fragment_checksum(value)) for key, value in self.new.items()])
        self.new, self.size = {}, 0

    def save(self) -> None:
        self.flush()
        stale = [(k,) for (k,) in self.db.execute("SELECT key FROM fragments") if k not in self.used]
        self.db.executemany("DELETE FROM fragments WHERE key = ?", stale)
