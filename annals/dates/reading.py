"""One matched date expression → a date: its value and precision, a range's end, whether it is approximate,
and where its year came from (the words, the paragraph, the document's date, an earlier date)."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..folding import fold
from ..model import (ANNIVERSARY, DOCUMENT_YEAR, EARLIER_YEAR, PARAGRAPH_YEAR, RELATIVE, STATED, DateMention,
                     ReferenceDate)
from .patterns import LanguagePatterns
from .vocabulary import FUTURE_WORDS, PAST_WORDS, key

# Years an archive of modern articles can state; outside this range a four-digit number is reported.
MIN_YEAR, MAX_YEAR = 1000, 2999
JUCHE_EPOCH = 1911  # Juche 1 is 1912
# A date stated without a year is read in the year of the document's date, unless that puts it more than
# this long after the document's date: then it is the year before ("le 6 mai" in February 2013 is May 2012;
# "le 12 février" in a sitting of 2 February 2013 is ten days ahead, in 2013).
AHEAD_DAYS, AHEAD_MONTHS = 62, 2
# A sentence about what is to come moves a yearless date a year ahead only when it would otherwise lie more
# than this long before the document's date ("was scheduled to end on June 9", written on June 10, is past).
FUTURE_SLACK_DAYS = 31
PAST = {word for words in PAST_WORDS.values() for word in words} | {"past"}
FUTURE = {word for words in FUTURE_WORDS.values() for word in words}
NO_YEAR = ("no year given and none stated earlier in the document — add the year, or a `published:` date "
           "in the document's metadata")
# What separates a document's texts when they are read in one pass: no date shape reaches across it.
SEPARATOR = "\x00"
NO_REFERENCE = ("relative to a date the document does not give — add a `published:` date to its metadata "
                "(nothing is guessed from the day it is built)")


@dataclass(frozen=True)
class Rejected:
    """A date-like expression that is not read as a date, and why. `warn`: the archivist should look
    ("30 février 2024"); otherwise it is only listed in the date report ("the December 5 Youth Mine")."""

    expression: str
    reason: str
    warn: bool = True


@dataclass(frozen=True)
class Context:
    """What a date without a year is read against: the document's date, the year stated earlier in the
    same paragraph, and (for documents with no date of their own) the year of the nearest earlier date."""

    reference: ReferenceDate | None = None
    paragraph: int | None = None
    carried: int | None = None
    anniversary: int | None = None  # N, when the document marks an "Nth anniversary"


@dataclass(frozen=True)
class Day:
    """A calendar position at some precision, before it is checked: year, month (or None), day (or None)."""

    year: int
    month: int | None = None
    day: int | None = None


def read(match: re.Match, patterns: LanguagePatterns, context: Context, text: str):
    """A match → a DateMention, a Rejected, or (with a doubt about it, such as a wrong weekday) a pair."""
    shape, g = patterns.parts(match)
    expression = match.group(0)
    if shape == "long_number":
        return Rejected(expression, f"{g['bad_year']} is not a year Annals reads ({MIN_YEAR}–{MAX_YEAR})")
    if shape == "iso_date":
        year, month, day = (int(part) for part in g["iso"].split("-"))
        return _mention(expression, Day(year, month, day), STATED)
    if shape in ("numeric_date", "numeric_short"):
        return _numeric(expression, g, patterns.day_first)
    if "phrase" in g:
        return _relative(expression, patterns.relative[key(g["phrase"])], context)
    if "new_year" in g or "new_year_day" in g:
        return _new_year(expression, "new_year_day" in g, context)
    if "ago" in g:
        return _relative(expression, (AGO_UNITS[g["ago_unit"].lower()], -int(g["ago"])), context)
    if "weekday" in g and "month" not in g and "day2" not in g:
        return _weekday(expression, patterns.weekdays[g["weekday"].lower()], g, context)
    if "year2" in g or "day2" in g or "juche2" in g:
        return _range(expression, g, patterns, context, text, match)
    if _is_name(shape, g, text, match, patterns):
        return Rejected(expression, "reads as part of a name (\"the December 5 Youth Mine\"), not as a date",
                        warn=False)
    month = _month(g.get("month"), patterns)
    day = _day(g.get("day"))
    approximate = "approx" in g or "season" in g
    if _has_year(g):
        result = _mention(expression, Day(_year(g), month, day), STATED, approximate=approximate)
    else:
        result = _yearless(expression, month, day, g, context, approximate, lambda: tense(text, match),
                           lambda: present_day(text, match))
    return _with_weekday_check(result, g, patterns)


def _has_year(g: dict, suffix: str = "") -> bool:
    return f"year{suffix}" in g or f"juche{suffix}" in g


def _year(g: dict, suffix: str = "") -> int:
    if f"year{suffix}" in g:
        return int(g[f"year{suffix}"])
    stated = g.get(f"jyear{suffix}")
    return int(stated) if stated else JUCHE_EPOCH + int(g[f"juche{suffix}"])


def _month(name: str | None, patterns: LanguagePatterns) -> int | None:
    if name is None:
        return None
    months = patterns.months
    return months.get(name.lower()) or months.get(fold(name)) or months.get(fold(name).rstrip("."))


def _day(text: str | None) -> int | None:
    return int(re.match(r"\d+", text).group()) if text else None


def _mention(expression: str, when: Day, how: str, end: Day | None = None, approximate: bool = False):
    """The checked DateMention of a calendar position (and a range's end), or why it does not exist."""
    problem = _impossible(when) or (end and _impossible(end))
    if problem:
        return Rejected(expression, problem)
    iso, precision = _iso(when)
    end_iso = _iso(end)[0] if end else ""
    if end_iso and end_iso < iso:
        return Rejected(expression, "the range ends before it starts")
    return DateMention(iso, precision, expression, how, "" if end_iso == iso else end_iso, approximate)


def _impossible(when: Day) -> str:
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        return f"year {when.year} is outside {MIN_YEAR}–{MAX_YEAR}"
    if when.month is not None and not 1 <= when.month <= 12:
        return f"there is no month {when.month}"
    if when.day is not None:
        try:
            datetime.date(when.year, when.month, when.day)
        except ValueError:
            return "this day does not exist in the calendar"
    return ""


def _iso(when: Day) -> tuple[str, str]:
    if when.day is not None:
        return f"{when.year:04d}-{when.month:02d}-{when.day:02d}", "day"
    if when.month is not None:
        return f"{when.year:04d}-{when.month:02d}", "month"
    return f"{when.year:04d}", "year"


def _numeric(expression: str, g: dict, day_first: bool):
    """03/09/2025: day first or month first as the language's CLDR short date writes it; 3.9.2025 is always
    day first; when that order gives no date and the other does (25/12/2024 in English), the other."""
    first, second, year = int(g["n1"]), int(g["n2"]), int(g["n3"])
    if len(g["n3"]) == 2:  # "03/03/25"
        year += 2000 if year < 70 else 1900
    orders = [(first, second), (second, first)]
    if not (day_first or g["sep"] == "."):
        orders.reverse()
    for day, month in orders:
        result = _mention(expression, Day(year, month, day), STATED)
        if isinstance(result, DateMention):
            return result
    return _mention(expression, Day(year, orders[0][1], orders[0][0]), STATED)


def _reference_day(reference: ReferenceDate) -> datetime.date | None:
    return datetime.date.fromisoformat(reference.iso) if reference.precision == "day" else None


def _relative(expression: str, value: tuple[str, int], context: Context):
    """"hier", "last week", "le mois dernier", "cette année": counted from the document's date."""
    unit, offset = value
    reference = context.reference
    if reference is None:
        return Rejected(expression, NO_REFERENCE, warn=False)
    year = int(reference.iso[:4])
    if unit == "year":
        return _mention(expression, Day(year + offset), RELATIVE)
    if reference.precision == "year":
        return Rejected(expression, f"the document's date is known only to the year ({reference.iso})", warn=False)
    if unit == "month":
        index = year * 12 + int(reference.iso[5:7]) - 1 + offset
        return _mention(expression, Day(index // 12, index % 12 + 1), RELATIVE)
    day = _reference_day(reference)
    if day is None:
        return Rejected(expression, f"the document's date is known only to the month ({reference.iso})", warn=False)
    if unit == "day":
        return _mention(expression, _as_day(day + datetime.timedelta(days=offset)), RELATIVE)
    monday = day - datetime.timedelta(days=day.weekday()) + datetime.timedelta(weeks=offset)
    return _mention(expression, _as_day(monday), RELATIVE, end=_as_day(monday + datetime.timedelta(days=6)))


def _new_year(expression: str, first_day: bool, context: Context):
    """"the new year", "le Nouvel An", "New Year's Day": the year that begins nearest the document's date
    (written from October on, the coming one), or its first day."""
    reference = context.reference
    if reference is None:
        return Rejected(expression, NO_REFERENCE, warn=False)
    year = int(reference.iso[:4]) + (1 if reference.precision != "year" and int(reference.iso[5:7]) >= 10 else 0)
    return _mention(expression, Day(year, 1, 1) if first_day else Day(year), RELATIVE)


def _as_day(date: datetime.date) -> Day:
    return Day(date.year, date.month, date.day)


def _weekday(expression: str, weekday: int, g: dict, context: Context):
    """"samedi dernier", "next Saturday", "ce samedi", "mardi", "on Tuesday": from the document's date
    (a weekday alone is the last one on or before it: news tells what happened)."""
    reference = context.reference
    day = _reference_day(reference) if reference else None
    if day is None:
        reason = NO_REFERENCE if reference is None else f"the document's date is not a day ({reference.iso})"
        return Rejected(expression, reason, warn=False)
    back = (day.weekday() - weekday) % 7
    word = (g.get("rel") or "").lower()
    if word in FUTURE:
        found = day + datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)
    elif word in PAST:
        found = day - datetime.timedelta(days=back or 7)
    elif "this" in g or word == "this":
        found = day - datetime.timedelta(days=day.weekday()) + datetime.timedelta(days=weekday)
    else:
        found = day - datetime.timedelta(days=back)
    return _mention(expression, _as_day(found), RELATIVE)


def _yearless(expression: str, month: int | None, day: int | None, g: dict, context: Context,
              approximate: bool, when=lambda: "", present=lambda: True):
    """A day or month without its year: "last year" and "dernier"/"next" count from the document's date;
    else a year stated earlier in the paragraph, the document's date (`when()`: "future" or "past" when
    the sentence says so, see `tense`; asked only here, as it reads the sentence), or the nearest earlier
    date. In a document marking an anniversary, the day it commemorates (see `_commemorated`; `present()`:
    whether the words before the date introduce a day of the present)."""
    reference = context.reference
    rely, word = (g.get("rely") or "").lower(), (g.get("rel") or "").lower()
    if rely or word in PAST or word in FUTURE or word == "this":
        if reference is None:
            return Rejected(expression, NO_REFERENCE, warn=False)
        year = int(reference.iso[:4])
        if rely:
            offset = {"last": -1, "next": 1}.get(rely, 0)
            return _mention(expression, Day(year + offset, month, day), RELATIVE, approximate=approximate)
        if word == "this":
            return _mention(expression, Day(year, month, day), RELATIVE, approximate=approximate)
        return _mention(expression, _next_or_last(Day(year, month, day), reference, word in FUTURE), RELATIVE,
                        approximate=approximate)
    if context.paragraph is not None:
        return _mention(expression, Day(context.paragraph, month, day), PARAGRAPH_YEAR, approximate=approximate)
    marked = None if g.get("weekday") else _commemorated(month, day, context, present)  # "jeudi 6 juin": today
    if marked is not None:
        return _mention(expression, marked, ANNIVERSARY, approximate=approximate)
    if reference is not None:
        near = _near(Day(int(reference.iso[:4]), month, day), reference)
        when = when()
        if when == "future" and _ahead(near, reference) < -(FUTURE_SLACK_DAYS if near.day else 1):
            near = Day(near.year + 1, near.month, near.day)
        elif when == "past" and _ahead(near, reference) > 0:
            near = Day(near.year - 1, near.month, near.day)
        return _mention(expression, near, DOCUMENT_YEAR, approximate=approximate)
    if context.carried is not None:
        return _mention(expression, Day(context.carried, month, day), EARLIER_YEAR, approximate=approximate)
    return Rejected(expression, NO_YEAR)


ANNIVERSARY_DAYS = 2  # how near the document's date the day it commemorates falls


def _commemorated(month: int | None, day: int | None, context: Context, present) -> Day | None:
    """The day a document marking an "Nth anniversary" commemorates: a yearless day within
    ANNIVERSARY_DAYS of the document's own day, named as a thing rather than as a day of the present
    ("the courage of June 6", "l'aube du 6 juin", "that July 27 would shine"; not "On June 6, …", "Le 6
    juin, …" nor a dateline): N years before the document's year."""
    reference = context.reference
    if context.anniversary is None or day is None or reference is None or reference.precision != "day":
        return None
    year = int(reference.iso[:4])
    try:
        gap = abs((datetime.date(year, month, day) - _reference_day(reference)).days)
    except ValueError:
        return None
    if gap > ANNIVERSARY_DAYS or present():
        return None
    return Day(year - context.anniversary, month, day)


def _position(when: Day, reference: ReferenceDate) -> tuple:
    """Comparable positions of a date and of the document's date, at the coarser of their precisions."""
    ref = [int(part) for part in reference.iso.split("-")]
    mine = [when.year, when.month, when.day]
    length = min(len(ref), 3 if when.day is not None else 2 if when.month is not None else 1)
    return tuple(mine[:length]), tuple(ref[:length])


def _near(when: Day, reference: ReferenceDate) -> Day:
    """The year that puts a yearless date at most AHEAD_DAYS (or AHEAD_MONTHS) after the document's date,
    and otherwise as close before it as possible."""
    if reference.precision == "year" or when.month is None:
        return when
    for year in (when.year + 1, when.year, when.year - 1):
        candidate = Day(year, when.month, when.day)
        if _ahead(candidate, reference) <= (AHEAD_DAYS if candidate.day and reference.precision == "day"
                                            else AHEAD_MONTHS):
            return candidate
    return Day(when.year - 1, when.month, when.day)


def _ahead(when: Day, reference: ReferenceDate) -> int:
    """How far `when` lies after the document's date: in days when both are days, else in months."""
    if when.day is not None and reference.precision == "day":
        try:
            return (datetime.date(when.year, when.month, when.day) - _reference_day(reference)).days
        except ValueError:  # 29 February of a common year: checked (and refused) later
            return (datetime.date(when.year, when.month, 28) - _reference_day(reference)).days
    return (when.year * 12 + when.month) - (int(reference.iso[:4]) * 12 + int(reference.iso[5:7] or 1))


def _next_or_last(when: Day, reference: ReferenceDate, future: bool) -> Day:
    """"juin dernier", "le 19 juin dernier", "next February": the nearest one strictly before (or after)."""
    for year in ((when.year, when.year + 1) if future else (when.year, when.year - 1)):
        candidate = Day(year, when.month, when.day)
        mine, ref = _position(candidate, reference)
        if (mine > ref) if future else (mine < ref):
            return candidate
    return Day(when.year + (1 if future else -1), when.month, when.day)


def _range(expression: str, g: dict, patterns: LanguagePatterns, context: Context, text: str, match: re.Match):
    """"du 6 au 8 avril", "from June 25 to July 27, 2024", "entre 2013 et 2020": the start, with its end."""
    if "day2" not in g:  # a range of years
        return _mention(expression, Day(_year(g)), STATED, end=Day(_year(g, "2")))
    start_month = _month(g.get("month"), patterns) or _month(g.get("month2"), patterns)
    end_month = _month(g.get("month2"), patterns) or start_month
    start_day, end_day = _day(g["day"]), _day(g["day2"])
    if _has_year(g, "2"):
        end_year, how = _year(g, "2"), STATED
        start_year = _year(g) if _has_year(g) else end_year - (1 if start_month > end_month else 0)
    else:  # the range is placed by its start, as a single date would be
        start = _yearless(expression, start_month, start_day, {}, context, False, lambda: tense(text, match))
        if isinstance(start, Rejected):
            return start
        start_year, how = int(start.iso[:4]), start.how
        end_year = start_year + (1 if end_month < start_month else 0)
    return _mention(expression, Day(start_year, start_month, start_day), how, end=Day(end_year, end_month, end_day))


def _is_name(shape: str, g: dict, text: str, match: re.Match, patterns: LanguagePatterns) -> bool:
    """"the December 5 Youth Mine", "the April 25 House of Culture": an English month and day without a
    year, after "the" and before a capitalised word (not a weekday or month), name a place or a thing."""
    if shape != "en_day" or _has_year(g) or "rely" in g:
        return False
    if text[max(0, match.start() - 4):match.start()].lower() != "the ":
        return False
    following = NEXT_WORD.match(text, match.end())
    return bool(following) and following.group(1).lower() not in patterns.months \
        and following.group(1).lower() not in patterns.weekdays


# Words that introduce a day of the present ("On June 6, …", "le 6 juin", "until July 27", "au 6 juin", a
# weekday: "dimanche 4 août"),
# and a comma before the date (a dateline "Pyongyang, July 27 (KCNA)", a list "June 25, July 27").
PRESENT_DAY = re.compile(r"(?:\b(?:on|until|till|by|from|to|since|before|after|through|le|au|aux|dès|depuis|"
                         r"avant|après|jusqu['’]au|ce|cette|du\s+\w+\s+au|lundi|mardi|mercredi|jeudi|vendredi|"
                         r"samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|,)\s*$",
                         re.IGNORECASE)


def present_day(text: str, match: re.Match) -> bool:
    """Whether the words just before a date introduce it as a day of the present (see PRESENT_DAY)."""
    start = max(text.rfind(SEPARATOR, 0, match.start()) + 1, match.start() - 30)
    return bool(PRESENT_DAY.search(text, start, match.start())) or match.start() == start


def tense(text: str, match: re.Match) -> str:
    """"future" when the date's sentence speaks of what is to come (a deadline before the date, "sera",
    "will", "prévu"), "past" when it speaks in a past tense ("déclaraient", "avait"), else "": a yearless
    date then falls in the year the document's date suggests (see AHEAD_DAYS)."""
    bounds = (". ", "; ", SEPARATOR)
    start = max(text.rfind(bound, 0, match.start()) for bound in bounds) + 1
    ends = [i for i in (text.find(bound, match.end()) for bound in bounds) if i >= 0]
    sentence = text[start:min(ends) if ends else len(text)]
    if DEADLINE.search(text, max(0, match.start() - 16), match.start()) or FUTURE_CUES.search(sentence):
        return "future"
    return "past" if PAST_CUES.search(sentence) else ""


# Words before a date that make it a deadline, in the future of the document's date.
DEADLINE = re.compile(r"(?:\bavant|\bd['’]ici|\bjusqu['’]au|\bau\s+plus\s+tard|\bby|\bbefore|\buntil|"
                      r"\bno\s+later\s+than)(?:\s+(?:le|the))?\s+$", re.IGNORECASE)
# Verbs of the future and the conditional, and words of plans, in French and English.
FUTURE_CUES = re.compile(r"\b(?:\w+(?:era|eront|iront|ira|dra|dront)|sera|seront|aura|auront|fera|feront|"
                         r"devra|devront|prévue?s?|programmée?s?|à\s+venir|will|shall|is\s+to|are\s+to|"
                         r"scheduled|planned|is\s+expected|are\s+expected|upcoming|se\s+tiendra)\b", re.IGNORECASE)
# The imperfect, the pluperfect and the simple past in French ("déclaraient", "avait", "fut").
PAST_CUES = re.compile(r"\b(?:\w+(?:aient|ait|èrent)|avait|avaient|était|étaient|fut|furent|eut)\b", re.IGNORECASE)
AGO_UNITS = {"ans": "year", "an": "year", "années": "year", "years": "year", "year": "year", "mois": "month",
             "months": "month", "month": "month", "jours": "day", "jour": "day", "days": "day", "day": "day"}
NEXT_WORD = re.compile(r"[ \u00a0]+([A-Z][\w'’-]*)")


def _with_weekday_check(result, g: dict, patterns: LanguagePatterns):
    """A full date stated with its weekday ("samedi 2 février 2013") whose weekday is not that date's:
    kept, with a doubt to report."""
    if not isinstance(result, DateMention) or "weekday" not in g or result.precision != "day":
        return result
    stated = patterns.weekdays[g["weekday"].lower()]
    actual = datetime.date.fromisoformat(result.iso).weekday()
    if stated == actual:
        return result
    return result, Rejected(result.expression, f"{result.iso} is a {WEEKDAYS[actual]}, not a "
                                               f"{WEEKDAYS[stated]} — check the date")


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
