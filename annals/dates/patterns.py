"""Regular expressions for date expressions per language, built from CLDR month names (Babel)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_month_names

from ..folding import fold

DAY = r"(?P<day>1er|1st|2nd|3rd|[0-3]?\d(?:st|nd|rd|th)?)"
YEAR = r"(?P<year>\d{4})(?!\d)"
DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class LanguagePatterns:
    """The compiled expression for one language and a map from folded month name to month number."""

    language: str
    pattern: re.Pattern
    months: dict
    triggers: tuple  # lower-case month names: every date shape holds one of them or a digit

    def finditer(self, text: str):
        """The same matches as `pattern.finditer(text)`, found much faster.

        Every date shape holds a digit or a month name (a "trigger"). Python's engine tries each
        alternative at every position, so instead the full pattern runs only in a window around each
        trigger, found with C-level substring searches; most of a paragraph is never scanned by it.
        """
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters change length in lower case ("İ"): no shortcut
            yield from self.pattern.finditer(text)
            return
        present = tuple(name for name in self.triggers if name in lowered)  # most paragraphs name one or none
        start = 0
        while True:
            trigger = self._next_trigger(text, lowered, start, present)
            if trigger < 0:
                return
            low, high = max(start, trigger - WINDOW_BEFORE), trigger + WINDOW_AFTER
            match = self.pattern.search(text, low, high)
            if match is not None and match.end() > high - REACH and high < len(text):
                match = self.pattern.search(text, low)  # it may have been cut short by the window's end
            if match is None:
                start = self._after_trigger(text, lowered, trigger)
                continue
            yield match
            start = match.end()

    def _after_trigger(self, text: str, lowered: str, trigger: int) -> int:
        """The position past the trigger's whole token (a run of digits, or a month name)."""
        if text[trigger].isdigit():
            end = trigger + 1
            while end < len(text) and text[end].isdigit():
                end += 1
            return end
        return trigger + 1

    @staticmethod
    def _next_trigger(text: str, lowered: str, start: int, names: tuple) -> int:
        """The position of the first digit or month name (of `names`, those the text holds) from `start`."""
        digit = DIGIT.search(text, start)
        best = digit.start() if digit else -1
        for name in names:
            found = lowered.find(name, start, best if best >= 0 else len(lowered))
            if found >= 0:
                best = found
        return best


# How far around a trigger a date expression can reach: "depuis l'an 2024", "September 28th, 2024".
WINDOW_BEFORE, WINDOW_AFTER = 40, 100
# A match ending this close to its window's end may be a longer date cut short ("le 1er juin" of "le 1er
# juin 2024"): it is looked for again without the window. Longer than any date expression.
REACH = 60


def _month_alternation(names: dict) -> str:
    spellings = {re.escape(name) for name in names}
    # Longest first, so "juillet" is not read as "juil…" of a shorter spelling.
    return "(?P<month>" + "|".join(sorted(spellings, key=len, reverse=True)) + ")"


def _month_names(language: str) -> dict:
    names = {}
    for context in ("format", "stand-alone"):
        for number, name in get_month_names("wide", context=context, locale=language).items():
            names[str(name).lower()] = number
            names[fold(str(name))] = number  # "aout", "fevrier": accents often lost in copies
    return names


def _french(month: str) -> str:
    # Order matters: the most specific shape first; each alternative names its groups apart.
    return rf"""
        \b{DAY}\s+{month}(?:\s+{YEAR})?\b
      | \b(?:au\s+)?mois\s+(?:de\s+|d['’]\s*){month}(?:\s+{YEAR})?\b
      | \b(?:en|début|fin|mi-?|courant|depuis)\s+{month}(?:\s+{YEAR})?\b
      | \b{month}\s+{YEAR}\b
      | \b(?:en|année|depuis|depuis\s+l['’]an)\s+{YEAR}\b
      | \b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b
    """


def _english(month: str) -> str:
    return rf"""
        \b{month}\s+{DAY}(?:,?\s+{YEAR})?\b
      | \b{DAY}\s+(?i:of\s+)?{month}(?:,?\s+{YEAR})?\b
      | \b(?i:in|early|late|mid-?|since|during)\s+{month}(?:,?\s+{YEAR})?\b
      | \b{month},?\s+{YEAR}\b
      | \b(?i:in|since|during)\s+{YEAR}\b
      | \b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b
    """


def _generic(month: str) -> str:
    """Other languages: day-month-year and month-year shapes over CLDR month names."""
    return rf"""
        \b{DAY}\.?\s+{month}(?:\s+{YEAR})?\b
      | \b{month}\s+{DAY}(?:,?\s+{YEAR})?\b
      | \b{month}\s+{YEAR}\b
      | \b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b
    """


SHAPES = {"fr": _french, "en": _english}


def _unique_groups(regex: str) -> str:
    """Python forbids repeated group names: number the repeats (day, day_1, …) in one place."""
    seen: dict = {}

    def rename(match: re.Match) -> str:
        name = match.group(1)
        count = seen.get(name, 0)
        seen[name] = count + 1
        return f"(?P<{name}>" if count == 0 else f"(?P<{name}_{count}>"

    return re.sub(r"\(\?P<(\w+)>", rename, regex)


@lru_cache(maxsize=None)
def patterns_for(language: str) -> LanguagePatterns:
    """Compiled patterns for a language code ("fr", "en", "de"…); unknown codes fall back to English."""
    base = language.split("-")[0].split("_")[0].lower() or "en"
    try:
        months = _month_names(base)
    except Exception:  # Babel raises UnknownLocaleError or ValueError for codes it does not know
        base, months = "en", _month_names("en")
    month = _month_alternation(months)
    shape = SHAPES.get(base, _generic)
    flags = re.VERBOSE | re.IGNORECASE
    if base == "en":
        # English month names are capitalised; "may" and "march" in lower case are verbs.
        flags = re.VERBOSE
        month = _month_alternation({name.capitalize(): n for name, n in months.items()})
    triggers = tuple(sorted({name.lower() for name in months}))
    return LanguagePatterns(base, re.compile(_unique_groups(shape(month)), flags), months, triggers)
