"""Slugs and output paths: the one place that decides where a page lives in the site."""
from __future__ import annotations

import posixpath

from slugify import slugify

MAX_SLUG_LENGTH = 80
# Letters become ASCII through text-unidecode, always: python-slugify would otherwise use Unidecode whenever
# it happens to be installed, and every page address with an accent in its title would change with it
# (it also looked for Unidecode again on each call, a tenth of the time a document takes to read).
TRANSLITERATION = "text-unidecode"
# Names the site itself uses at its root; a section slug equal to one gets a suffix.
RESERVED_ROOT = {"static", "entities", "years", "search", "sources", "index", "timeline", "404"}
NO_SECTION = "unsorted"


def slug(text: str, fallback: str = "") -> str:
    """A readable ASCII slug ("Le monde et la Corée" → "le-monde-et-la-coree"); `fallback` when empty."""
    made = slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True, save_order=True, backend=TRANSLITERATION)
    return made or slugify(fallback, max_length=MAX_SLUG_LENGTH, backend=TRANSLITERATION) or "document"


def unique(wanted: str, taken: set[str], reserved: set[str] = frozenset()) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… — the first not yet taken; records the result as taken."""
    candidate, counter = wanted, 1
    while candidate in taken or candidate in reserved:
        counter += 1
        candidate = f"{wanted}-{counter}"
    taken.add(candidate)
    return candidate


def relative(target: str, page: str) -> str:
    """The link from page `page` to site path `target` (both relative to the site root)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def root_prefix(page: str) -> str:
    """"../" once per folder level of `page`: prefix for links to site-root paths."""
    return "../" * page.count("/")
