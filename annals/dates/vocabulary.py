"""The words of dates per language, from CLDR (Babel): month and weekday names, relative day, week, month
and year phrases ("hier", "last month", "samedi dernier"), and the order of numeric dates."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.dates import get_date_format, get_day_names, get_month_names

from ..folding import fold

# Regional variants whose CLDR names add spellings people write: "Sept" (en_GB), "juill." (fr_CA).
VARIANTS = {"en": ("en", "en_GB"), "fr": ("fr", "fr_CA")}
# CLDR's relative fields: unit → (field name, offsets read). A day offset of 0 ("today", "aujourd'hui") is
# left out: in news it mostly means "nowadays".
RELATIVE_FIELDS = {"day": ("day", (-2, -1, 1, 2)), "week": ("week", (-1, 0, 1)), "month": ("month", (-1, 0, 1)),
                   "year": ("year", (-1, 0, 1))}
WEEKDAY_FIELDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # CLDR's order, Monday = 0
# Phrases CLDR does not list but the press writes, by language: phrase → (unit, offset).
EXTRA_RELATIVE = {
    "fr": {"l'an dernier": ("year", -1), "l'an passé": ("year", -1), "l'année passée": ("year", -1),
           "l'an prochain": ("year", 1), "le mois passé": ("month", -1), "la semaine passée": ("week", -1),
           "l'année précédente": ("year", -1), "ce matin": ("day", 0), "ce soir": ("day", 0),
           "cet après-midi": ("day", 0), "hier soir": ("day", -1), "hier matin": ("day", -1)},
    "en": {"the day before yesterday": ("day", -2), "the day after tomorrow": ("day", 2),
           "earlier this year": ("year", 0), "last night": ("day", -1), "earlier this month": ("month", 0),
           "later this year": ("year", 0)},
}
# The words that turn a weekday or month into the last or next one ("samedi dernier", "next June").
PAST_WORDS = {"fr": ("dernier", "dernière", "passé", "passée"), "en": ("last",)}
FUTURE_WORDS = {"fr": ("prochain", "prochaine"), "en": ("next",)}


@dataclass(frozen=True)
class Vocabulary:
    """One language's date words, each spelling mapped to its value, in lower case and accent-folded."""

    language: str
    months: dict  # spelling → month number ("juin", "sept.", "fevrier")
    abbreviations: frozenset  # the spellings of `months` that are abbreviations without their dot ("jan")
    weekdays: dict  # spelling → weekday (Monday = 0)
    relative: dict  # phrase → (unit, offset): "hier" → ("day", -1), "last year" → ("year", -1)
    day_first: bool  # numeric dates: 03/09/2025 is 3 September (True) or March 9


@lru_cache(maxsize=None)
def vocabulary(language: str) -> Vocabulary:
    """The date words of a language code ("fr", "en", "de"); Babel raises for a code it does not know."""
    locales = [Locale.parse(code) for code in VARIANTS.get(language, (language,))]
    months, weekdays, relative, abbreviations = {}, {}, {}, set()
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context=context, locale=locale).items():
                    _add(months, str(name), number, abbreviated=width == "abbreviated")
                    if width == "abbreviated" and not str(name).endswith("."):
                        abbreviations.add(str(name).lower())
        for number, name in get_day_names("wide", locale=locale).items():
            _add(weekdays, str(name), number)
        fields = locale._data["date_fields"]  # CLDR relative fields; Babel has no public accessor for them
        for unit, (name, offsets) in RELATIVE_FIELDS.items():
            for offset in offsets:
                phrase = fields[name]["relative"].get(offset)
                if phrase:
                    relative.setdefault(key(phrase), (unit, offset))
        for weekday, name in enumerate(WEEKDAY_FIELDS):
            for offset in (-1, 0, 1):
                phrase = fields[name]["relative"].get(offset)
                if phrase:
                    relative.setdefault(key(phrase), (f"weekday{weekday}", offset))
    for phrase, value in EXTRA_RELATIVE.get(language, {}).items():
        relative.setdefault(key(phrase), value)
    abbreviations -= {str(n).lower() for locale in locales for n in get_month_names("wide", locale=locale).values()}
    pattern = get_date_format("short", locale=locales[0]).pattern
    return Vocabulary(language, months, frozenset(abbreviations), weekdays, relative,
                      pattern.find("d") < pattern.find("M"))


def _add(table: dict, name: str, value: int, abbreviated: bool = False) -> None:
    spellings = {name.lower(), fold(name)}
    if abbreviated and name.endswith("."):
        # "janv." is also written "janv" — but not where that is a word or number of its own ("sept").
        spellings |= {s[:-1] for s in spellings if s[:-1] not in NOT_ABBREVIATIONS}
    for spelling in spellings:
        table.setdefault(spelling, value)


NOT_ABBREVIATIONS = {"sept"}  # French "sept" is seven


def key(phrase: str) -> str:
    """A phrase as looked up: lower case, typographic apostrophes straightened, spaces single."""
    return " ".join(phrase.replace("’", "'").lower().split())

