"""Run a pure function over many items on every core: forked worker processes, results in input order.

Forking lets workers read what the parent built before the pool started (the archive, the compiled
templates) without pickling it; only the items and the results cross between processes.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import pickle
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PR_SET_PDEATHSIG = 1  # prctl option: a signal for this process when its parent dies

# Below this many items a pool costs more than it saves.
MIN_ITEMS = 200


def die_with_parent(parent: int) -> None:
    """In a forked worker: end when the build that started it ends, even if it was killed (Linux
    PR_SET_PDEATHSIG); a worker left behind would hold pipes and files of a build that is gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def abandoned(parent: int) -> bool:
    """True in a forked process whose build has ended (where the system could not end it with it)."""
    return os.getpid() != parent and os.getppid() != parent


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def ordered_map(function: Callable[[Item], Result], items, workers: int = 0,
                chunk: int = 64) -> Iterable[Result]:
    """`map(function, items)`, spread over `workers` processes (0: one per core) where that pays."""
    workers = workers or default_workers()
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return map(function, items)
    return _pooled(function, items, workers, chunk)


def _pooled(function, items, workers: int, chunk: int):
    """Results as they come, in order (so a caller can show progress); the pool closes at the end."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        yield from pool.map(function, items, chunksize=chunk)


class Background:
    """`function()` run in a forked child process while the caller goes on; `result()` waits for it.

    Where the system cannot fork, or with one worker, it runs at once in this process.
    """

    def __init__(self, function: Callable[[], Result], workers: int = 0):
        self._result = self._error = None
        self._pid = 0
        if (workers or default_workers()) < 2 or not hasattr(os, "fork"):
            self._result = function()
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, send back the pickled outcome, and leave without cleanup
            os.close(read)
            die_with_parent(os.getppid())
            status = 0
            try:
                outcome = pickle.dumps((True, function()), pickle.HIGHEST_PROTOCOL)
            except BaseException as error:  # noqa: BLE001 — reported to the parent, which raises it
                outcome, status = pickle.dumps((False, f"{type(error).__name__}: {error}")), 1
            with os.fdopen(write, "wb") as pipe:
                pipe.write(outcome)
            os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read

    def wait(self) -> None:
        """Wait for the process to end, whatever its outcome (for a caller that is giving up)."""
        try:
            self.result()
        except RuntimeError:
            pass

    def result(self) -> Result:
        if self._pid:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self._pid, 0)
            self._pid = 0
            ok, value = pickle.loads(data) if data else (False, "the background process died")
            if ok:
                self._result = value
            else:
                self._error = value
        if self._error:
            raise RuntimeError(self._error)
        return self._result
