"""Write the built site atomically: a fresh tree beside the output, swapped in only when complete."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from pathlib import Path, PurePosixPath
from typing import Iterable

from .render import Output

MARKER = ".annals-site"  # marks a folder Annals built, so a rebuild may replace it
RENAME_EXCHANGE = 2  # renameat2 flag (Linux 3.15+): swap two paths in one atomic step
AT_FDCWD = -100


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


def write_outputs(root: Path, outputs: Iterable[Output]) -> list[str]:
    """Write each output under `root` (never outside it); returns their paths, in order."""
    written = []
    for item in outputs:
        target = safe_target(root, item.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data)
        written.append(item.path)
    return written


class Staging:
    """A new site tree written next to the output; `publish()` swaps it in, `discard()` removes it."""

    def __init__(self, output: Path):
        self.output = output
        recover(output)
        self.root = output.parent / f".{output.name}.building-{os.getpid()}"
        self.root.mkdir(parents=True)
        (self.root / MARKER).write_text("This folder was built by Annals and is replaced on each build.\n",
                                        encoding="utf-8")

    def write(self, outputs: Iterable[Output]) -> list[str]:
        """Write each output; returns their paths, in order."""
        return write_outputs(self.root, outputs)

    def copy(self, source: Path, relative: str) -> None:
        target = safe_target(self.root, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)

    def publish(self) -> None:
        """Swap the new tree in, in one atomic step where the system allows; then remove the old tree."""
        if self.output.exists() and _exchange(self.root, self.output):
            shutil.rmtree(self.root)
            return
        old = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            os.replace(self.output, old)  # if killed here, the next build's recover() puts it back
        os.replace(self.root, self.output)
        if old.exists():
            shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
