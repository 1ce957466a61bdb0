"""Run a pure function over many items on every core: forked worker processes, results in input order.

Forking lets workers read what the parent built before the pool started (the archive, the compiled
templates) without pickling it; only the items and the results cross between processes.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a pool costs more than it saves.
MIN_ITEMS = 200


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
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(function, items, chunksize=chunk)
