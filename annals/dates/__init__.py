"""Date expressions in text → DateMention values with their precision, year carried from context."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..model import DateMention
from ..folding import fold
from .patterns import patterns_for

# Years an archive of modern articles can state; outside this range a four-digit number is reported.
MIN_YEAR, MAX_YEAR = 1000, 2999


@dataclass(frozen=True)
class Rejected:
    """A date-like expression that is not a real date ("30 février 2024"), to be reported."""

    expression: str
    reason: str


@dataclass(frozen=True)
class Found:
    """The dates a text states, in order; what was rejected; the year in force after the text."""

    mentions: tuple[DateMention, ...]
    rejected: tuple[Rejected, ...]
    year: int | None


def _group(match: re.Match, name: str) -> str | None:
    """The first non-empty group called `name` or `name_N` (patterns repeat group names per shape)."""
    for key, value in match.groupdict().items():
        if value is not None and (key == name or key.startswith(name + "_")):
            return value
    return None


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _mention(match: re.Match, months: dict, context_year: int | None) -> DateMention | Rejected | None:
    expression = match.group(0)
    iso = _group(match, "iso")
    if iso:
        year, month, day = (int(part) for part in iso.split("-"))
        return _checked(expression, year, month, day, inferred=False)
    year_text, month_text, day_text = _group(match, "year"), _group(match, "month"), _group(match, "day")
    month = months.get(fold(month_text)) if month_text else None
    if month_text and month is None:
        month = months.get(month_text.lower())
    inferred = year_text is None
    year = int(year_text) if year_text else context_year
    if year is None:
        return Rejected(expression, "no year given and none stated earlier in the document — add the year, "
                                    "or a `published:` date in the document's metadata")
    if day_text:
        return _checked(expression, year, month, _day_number(day_text), inferred)
    if month:
        return _checked(expression, year, month, None, inferred)
    return _checked(expression, year, None, None, inferred)


def _checked(expression: str, year: int, month: int | None, day: int | None, inferred: bool):
    if not MIN_YEAR <= year <= MAX_YEAR:
        return Rejected(expression, f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    if month is not None and not 1 <= month <= 12:
        return Rejected(expression, f"there is no month {month}")
    if day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            return Rejected(expression, "this day does not exist in the calendar")
        return DateMention(f"{year:04d}-{month:02d}-{day:02d}", "day", expression, inferred)
    if month is not None:
        return DateMention(f"{year:04d}-{month:02d}", "month", expression, inferred)
    return DateMention(f"{year:04d}", "year", expression, inferred)


def find_dates(text: str, language: str = "fr", year: int | None = None) -> Found:
    """Every date `text` states, in order of appearance.

    `year` is the year in force before the text (from the nearest preceding date of the document); a
    date without a year takes it, and each date with a year sets it for what follows.
    """
    mentions, rejected = [], []
    languages = [language] + [extra for extra in ("fr", "en") if extra != language]
    matches = []
    for lang in languages:
        patterns = patterns_for(lang)
        for match in patterns.finditer(text):
            matches.append((match.start(), -(match.end() - match.start()), match, patterns.months))
    taken_until = -1
    for start, _, match, months in sorted(matches, key=lambda m: (m[0], m[1])):
        if start < taken_until:
            continue  # overlaps a longer or earlier reading of the same words
        taken_until = match.end()
        result = _mention(match, months, year)
        if isinstance(result, Rejected):
            rejected.append(result)
        elif result is not None:
            mentions.append(result)
            year = int(result.iso[:4])
    return Found(tuple(mentions), tuple(rejected), year)
