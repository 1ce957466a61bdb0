"""Text folding shared by dates and search: lower case, accents and other combining marks removed."""
from __future__ import annotations

import re
import unicodedata

COMMON_MARKS = re.compile("[\u0300-\u036f]+")  # the accents of Latin, Greek and Cyrillic text
BEYOND_LATIN = re.compile("[\u0370-\U0010ffff]")


def _drop_mark(match: re.Match) -> str:
    return "" if unicodedata.category(match.group())[0] == "M" else match.group()


def fold(text: str) -> str:
    """"Août" → "aout", "CORÉE" → "coree": lower case, then every character of Unicode category M (Mn, Mc,
    Me) removed after canonical decomposition — what `\\p{M}` removes in static/search.js, so the browser
    folds a query exactly as the index was folded."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    folded = COMMON_MARKS.sub("", unicodedata.normalize("NFD", lowered))
    if folded.isascii():
        return folded
    # Rarer marks (Devanagari vowel signs, Hebrew points…): checked one character at a time.
    return BEYOND_LATIN.sub(_drop_mark, folded)
