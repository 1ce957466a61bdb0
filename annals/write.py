"""Write the built site atomically: a new tree beside the output, swapped in only when complete."""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

from .cache import OutputRecord
from .parallel import Background

MARKER = ".annals-site"  # marks a folder Annals built, so a rebuild may replace it
MARKER_TEXT = "This folder was built by Annals and is replaced on each build.\n"
RENAME_EXCHANGE = 2  # renameat2 flag (Linux 3.15+): swap two paths in one atomic step
AT_FDCWD = -100


@dataclass(frozen=True)
class Output:
    """One file of the built site: its path under the output folder and its bytes — or, for a file too
    large to hold whole (the timeline, the data files of a big archive) or made only if needed, its bytes
    piece by piece, each written as it comes (`pieces`, read once). `key`: a digest of what the file is
    made from; when the published file was made from the same, it is kept as it is and `pieces` is never
    read."""

    path: str
    data: bytes = b""
    pieces: Iterable[bytes] | None = None
    key: str = ""


def later(make: Callable[[], bytes]) -> Iterator[bytes]:
    """The bytes `make()` gives, as an Output's pieces: made only when they are written."""
    yield make()


def in_chunks(pieces: Iterable[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """Small pieces of bytes joined into chunks of about `size` bytes: fewer writes, little memory."""
    chunk, length = [], 0
    for piece in pieces:
        chunk.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(chunk)
            chunk, length = [], 0
    if chunk:
        yield b"".join(chunk)


class UnsafeOutput(ValueError):
    """The output folder cannot be replaced without risk to the user's files."""


def safe_target(root: Path, relative: str) -> Path:
    """`root/relative`, refusing any path that would land outside `root`."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in relative or not pure.parts:
        raise UnsafeOutput(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*pure.parts)


def check_output(output: Path, source: Path) -> None:
    """Refuse an output that holds the sources or is a folder of someone else's files."""
    out, src = output.resolve(), source.resolve()
    if out == src or src.is_relative_to(out):
        raise UnsafeOutput(f"{output}: the output folder contains the sources; choose another folder")
    if out.is_relative_to(src):
        raise UnsafeOutput(f"{output}: the output folder is inside the source folder; choose another folder")
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise UnsafeOutput(f"{output}: exists and was not built by Annals; refusing to replace it — "
                           "remove it or choose another output folder")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders where the system can (Linux renameat2); False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def leftovers(output: Path) -> list[Path]:
    """Staging and old trees that an interrupted build left beside the output."""
    prefixes = (f".{output.name}.building-", f".{output.name}.old-")
    if not output.parent.is_dir():
        return []
    return sorted(p for p in output.parent.iterdir() if p.name.startswith(prefixes) and p.is_dir())


def recover(output: Path) -> None:
    """After an interrupted build: put back a previous site moved aside, remove half-written trees."""
    for path in leftovers(output):
        if path.name.startswith(f".{output.name}.old-") and not output.exists():
            os.replace(path, output)
        else:
            shutil.rmtree(path, ignore_errors=True)


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # created here, or not at all


def write_file(target: Path, data: bytes) -> None:
    """Write a new file at `target`. Never writes through an existing one: in a staging tree it may be a
    hard link to the published site's file, which must not change until the swap. The file is created
    exclusively, so most files cost one call to the system (a cold build writes tens of thousands); its
    folder is made, or a file already there removed, only when that call finds it needed."""
    with _created(target) as file:
        file.write(data)


def _created(target: Path):
    """A new file at `target`, open for writing (see `write_file`)."""
    try:
        fd = os.open(target, NEW_FILE, 0o666)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, NEW_FILE, 0o666)
    except FileExistsError:
        target.unlink()
        fd = os.open(target, NEW_FILE, 0o666)
    return open(fd, "wb")


def _written(pieces: Iterable[bytes], file) -> str:
    """Write `pieces` into `file`, checksumming them as they go; returns their SHA-256."""
    checksum = hashlib.sha256()
    for piece in pieces:
        checksum.update(piece)
        file.write(piece)
    return checksum.hexdigest()


def scan_site(site: Path, records: dict[str, OutputRecord]) -> tuple[dict[str, OutputRecord], int]:
    """The files of a published site still as the last build left them (stat unchanged), and how many
    other files are there (edited, replaced or added since)."""
    intact, others = {}, 0
    if not (site / MARKER).is_file():
        return intact, 0
    stack = [("", str(site))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((relative + "/", entry.path))
                elif relative != MARKER:
                    record = records.get(relative)
                    if record is not None and entry.is_file(follow_symlinks=False) and \
                            record.matches(entry.stat(follow_symlinks=False)):
                        intact[relative] = record
                    else:
                        others += 1
    return intact, others


class Staging:
    """A new site tree written next to the output; `publish()` swaps it in, `discard()` removes it.

    For a rebuild, the tree starts as hard links to the published files still intact (`reuse`): files
    whose bytes do not change are neither rendered nor written again and keep their times, and the swap
    stays one atomic step. `produced` gathers every file of the new site with its SHA-256.
    """

    def __init__(self, output: Path, reuse: dict[str, OutputRecord] | None = None, others: int = 0,
                 link_apart: bool = False):
        self.output = output
        self.others = others  # files of the published site that are not reused: they must go
        recover(output)
        self.root = output.parent / f".{output.name}.building-{os.getpid()}"
        self.root.mkdir(parents=True)
        (self.root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        self.kept = dict(reuse or {})
        # `link_apart`: the links are made by a process of their own while this one goes on (tens of
        # thousands of links are mostly waiting on the system); `ready()` waits for them.
        self._linking = Background(self._link) if link_apart and self.kept else None
        if self._linking is None:
            self._link()
        self.produced: dict[str, str] = {}  # path → SHA-256
        self.written: set[str] = set()
        self.keys: dict[str, str] = {}  # path → key of the inputs it was made from, where one is known
        self._removing: threading.Thread | None = None
        self._removal_error: OSError | None = None

    def _link(self) -> None:
        folders, root, output = set(), str(self.root), str(self.output)
        for relative in self.kept:
            folder = relative.rpartition("/")[0]
            if folder not in folders:
                os.makedirs(f"{root}/{folder}", exist_ok=True)
                folders.add(folder)
            os.link(f"{output}/{relative}", f"{root}/{relative}")

    def ready(self) -> None:
        """Wait until the tree holds its links to the published files kept (before anything is written
        into it, and before processes that write into it are forked)."""
        if self._linking is not None:
            linking, self._linking = self._linking, None
            linking.result()

    def unchanged(self, path: str, key: str) -> bool:
        """True (and the file counted as produced) when the published file was made from `key`."""
        record = self.kept.get(path)
        if record is None or not key or record.key != key:
            return False
        self.produced[path], self.keys[path] = record.sha256, key
        return True

    def write(self, outputs: Iterable[Output], key: str = "") -> list[str]:
        """Write each output whose bytes differ from the published file's, unless the published file was
        made from the output's key; returns their paths, in order. `key`: the outputs' key when they
        have none of their own."""
        self.ready()
        paths = []
        for item in outputs:
            if item.key and self.unchanged(item.path, item.key):
                paths.append(item.path)
                continue
            made_from = item.key or key
            if item.pieces is not None:
                sha = self._write_pieces(item)
            else:
                sha = hashlib.sha256(item.data).hexdigest()
                record = self.kept.get(item.path)
                if record is None or record.sha256 != sha:
                    write_file(safe_target(self.root, item.path), item.data)
                    self.written.add(item.path)
            self.produced[item.path] = sha
            if made_from:
                self.keys[item.path] = made_from
            paths.append(item.path)
        return paths

    def _write_pieces(self, item: Output) -> str:
        """Write an output given piece by piece, checksumming as it goes: in its place where no published
        file is linked there, else into a file beside it that takes the link's place only if its bytes
        differ. Returns the SHA-256."""
        target = safe_target(self.root, item.path)
        record = self.kept.get(item.path)
        if record is None:  # no published file linked there: written in its place (half the calls)
            with _created(target) as file:
                sha = _written(item.pieces, file)
            self.written.add(item.path)
            return sha
        part = target.with_name(f".{target.name}.part")
        with open(part, "wb") as file:
            sha = _written(item.pieces, file)
        if record.sha256 == sha:
            part.unlink()
        else:
            os.replace(part, target)  # the link's place only: the published file itself is untouched
            self.written.add(item.path)
        return sha

    def outcome(self, paths: list[str]) -> dict[str, tuple[str, bool, str]]:
        """For files written by another process: path → (SHA-256, written, key), for `adopt` in this one."""
        return {path: (self.produced[path], path in self.written, self.keys.get(path, "")) for path in paths}

    def adopt(self, outcome: dict[str, tuple[str, bool, str]]) -> None:
        for path, (sha, written, key) in outcome.items():
            self.produced[path] = sha
            if key:
                self.keys[path] = key
            if written:
                self.written.add(path)

    def copy(self, read: Callable[[], bytes], relative: str, key: str = "") -> None:
        """Write the bytes `read()` gives into the tree unless the published copy came from the same `key`."""
        if not self.unchanged(relative, key):
            self.write([Output(relative, read())], key)  # checksummed from the bytes written

    def finish(self) -> bool:
        """Remove reused files this build did not produce; True when the tree differs from the site."""
        self.ready()
        removed = [path for path in self.kept if path not in self.produced]
        for path in removed:
            (self.root / path).unlink()
        for folder in sorted({(self.root / p).parent for p in removed}, key=lambda f: -len(f.parts)):
            if folder != self.root and not any(folder.iterdir()):
                folder.rmdir()
        return bool(removed or self.written or self.others) or not self.output.exists()

    def records(self) -> dict[str, OutputRecord]:
        """After publishing: each file of the site with its checksum, key and stat, for the next build."""
        records = {}
        for path, sha in self.produced.items():
            if path in self.written:
                stat = (self.output / path).stat()
                records[path] = OutputRecord(self.keys.get(path, ""), sha, stat.st_size, stat.st_mtime_ns,
                                             stat.st_ino)
            else:
                records[path] = self.kept[path]._replace(key=self.keys.get(path, ""))
        return records

    def publish(self) -> None:
        """Swap the new tree in, in one atomic step where the system allows; the old tree is then removed
        while the build goes on (`settle()` waits for it: the build records itself meanwhile)."""
        self.ready()
        if self.output.exists() and _exchange(self.root, self.output):
            self._remove(self.root)
            return
        old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            os.replace(self.output, old)  # if killed here, the next build's recover() puts it back
        os.replace(self.root, self.output)
        if old.exists():
            self._remove(old)

    def _remove(self, tree: Path) -> None:
        """Remove a tree that is no longer the site, in a thread: removing tens of thousands of links is
        mostly waiting on the system, which other work of the build can use (if the process ends first,
        the next build's recover() finishes it)."""
        def remove() -> None:
            try:
                shutil.rmtree(tree)
            except OSError as error:
                self._removal_error = error
        self._removing = threading.Thread(target=remove, name="annals-remove-old-site")
        self._removing.start()

    def settle(self) -> None:
        """Wait until the tree the site replaced is gone; raise what stopped its removal."""
        if self._removing is not None:
            self._removing.join()
            self._removing = None
        if self._removal_error is not None:
            error, self._removal_error = self._removal_error, None
            raise error

    def discard(self) -> None:
        if self._linking is not None:
            self._linking.wait()  # nothing may still be linking into the tree as it goes
            self._linking = None
        shutil.rmtree(self.root, ignore_errors=True)
