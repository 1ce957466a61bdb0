"""Names in the order a reader looks for them: the Unicode Collation Algorithm (pyuca, its default
table), so that "Économie" sorts among the E's, not after "Tourisme", and "Œuvres" among the O's."""
from __future__ import annotations

import functools


@functools.cache
def _collator():
    from pyuca import Collator

    return Collator()


def collation_key(text: str) -> tuple:
    """The key that sorts `text` by the Unicode collation (accents, case and marks weighed after the
    letters), ties broken by the text itself so the order is the same on every machine."""
    return tuple(_collator().sort_key(text)), text
