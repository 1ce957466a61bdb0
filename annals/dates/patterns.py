"""Regular expressions for date expressions, built from each language's CLDR words (vocabulary.py).

One pattern reads every shape of the languages a document is read in, in one pass over each paragraph:
each alternative is a shape (`SHAPES` names them) whose groups say what it holds — day, month, year,
weekday, a range's end, an approximation, a "last"/"next" word or a relative phrase.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .vocabulary import FUTURE_WORDS, PAST_WORDS, Vocabulary, vocabulary

WORD_START = re.compile(r"\b\w")
# A day of the month: not part of a time ("20:00"), a decimal, a fraction or a longer number.
DAY = r"(?<![\d:.,/])(?P<day>1er|1st|2nd|3rd|\d{1,2}(?:st|nd|rd|th)?)(?![\d:])"
YEAR_DIGITS = r"(?<![\d.,/-])(?P<year>\d{4})(?![\d]|-\d|[.,]\d)"
# The Juche calendar of the DPRK: year 1 is 1912; "Juche 113 (2024)" states both.
JUCHE = r"\bJuche\s+(?P<juche>\d{1,3})(?:\s*\((?P<jyear>\d{4})\))?(?!\d)"
YEAR = rf"(?:{YEAR_DIGITS}|{JUCHE})"
END = r"(?!\w)"
SPACE = r"[\s\u00a0]+"


@dataclass(frozen=True)
class LanguagePatterns:
    """The compiled pattern for a set of languages, and the words that any match must contain."""

    languages: tuple
    pattern: re.Pattern
    months: dict
    weekdays: dict
    relative: dict
    day_first: bool
    trigger_pattern: re.Pattern  # a run of digits, or a trigger word as a whole word: every shape holds one
    starter: re.Pattern  # a word that can begin a date expression: a trigger, or a word of LEADS
    groups: dict  # shape → {what a group holds ("day", "month", "year2"…): its names in `pattern`}
    digit_pattern: re.Pattern  # the shapes that can start with a digit, tried where a digit is
    digit_groups: dict  # as `groups`, for `digit_pattern`

    def finditer(self, text: str):
        """The same matches as `pattern.finditer(text)`, found much faster.

        Every date shape holds a digit or a trigger word. Python's engine tries each alternative at every
        position, so instead the full pattern is tried only at the starts of the words just before each
        trigger; most of a text is never scanned by it.
        """
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters change length in lower case ("İ"): no shortcut
            yield from self.pattern.finditer(text)
            return
        start, match_at, match_digit, starts_date = 0, self.pattern.match, self.digit_pattern.match, self.starter.match
        for trigger, after in self._triggers(lowered):
            if trigger < start:
                continue
            # Every shape starts a word: try the full pattern only at the starts of words from a little
            # before the trigger to the trigger itself (a match starting later holds a later trigger).
            for word in WORD_START.finditer(text, max(start, trigger - WINDOW_BEFORE), trigger + 1):
                if word.start() != trigger and not starts_date(lowered, word.start()):
                    continue  # no shape starts with this word
                match = (match_digit if text[word.start()].isdigit() else match_at)(text, word.start())
                if match is not None:
                    yield match
                    start = match.end()
                    break
            else:
                start = after

    def _triggers(self, lowered: str):
        """Where each run of digits and each trigger word (as a whole word) starts, and where the search
        goes on when no date is found there, in order: one scan of the text by `trigger_pattern`."""
        return ((m.start(), m.end()) for m in self.trigger_pattern.finditer(lowered))

    def parts(self, match: re.Match) -> tuple[str, dict]:
        """The shape a match is (its alternative: the last group to close) and what its groups hold."""
        shape = match.lastgroup
        values = {}
        groups = self.digit_groups if match.re is self.digit_pattern else self.groups
        for name, found in groups[shape].items():
            for group in found:
                value = match.group(group)
                if value is not None:
                    values[name] = value
                    break
        return shape, values


# The shapes that can start with a digit (the others start with a word): at a digit, only these are tried.
DIGIT_SHAPES = {"fr_day", "en_day_first", "en_ago", "year_span", "iso_date", "numeric_short", "numeric_date",
                "xx_day"}


# The words, other than triggers, that a shape can start with ("au" of "au mois de juin", "the" of "the
# new year"): tests/test_properties.py checks that reading only from them finds what a full scan finds.
LEADS = {"du", "les", "des", "au", "mois", "mi", "à", "vers", "début", "fin", "dès", "en", "courant", "depuis", "jusqu",
         "avant", "après", "entre", "de", "l", "année", "ce", "cette", "cet", "il", "la", "le", "d", "pour",
         "contre", "nouvel", "from", "between", "in", "early", "late", "mid", "at", "towards", "by", "around",
         "since", "during", "until", "till", "through", "before", "after", "throughout", "the", "last", "next",
         "this", "past", "on", "of", "spring", "summer", "autumn", "fall", "winter", "new", "juche", "automne",
         "été", "hiver", "printemps"}


def _trigger_pattern(triggers) -> re.Pattern:
    """Digits, or any trigger as a whole word, at the start of a word (as every date shape is), the
    alternatives grouped by their first letter (Python's engine then tries one group at each word, not
    every trigger)."""
    by_letter: dict = {}
    for trigger in triggers:
        by_letter.setdefault(trigger[0], set()).add(re.escape(trigger[1:]))
    groups = "|".join(re.escape(letter) + "(?:" + "|".join(sorted(rest, key=len, reverse=True)) + ")"
                      for letter, rest in sorted(by_letter.items()))
    return re.compile(rf"\b(?:\d+|(?:{groups})(?![^\W\d_]))")


# How far before its first digit or trigger word a date expression can start: "au début du mois de
# décembre 2019", "at the beginning of June".
WINDOW_BEFORE = 30


def second(regex: str) -> str:
    """A range's end: the same groups with "2" added to their names (day2, year2, juche2…)."""
    return re.sub(r"\(\?P<(\w+)>", lambda g: f"(?P<{g.group(1)}2>", regex)


def _alternation(names, group: str, insensitive: bool = True) -> str:
    spellings = sorted({re.escape(name) for name in names}, key=len, reverse=True)  # longest first
    body = "|".join(spellings)
    return f"(?P<{group}>(?i:{body}))" if insensitive else f"(?P<{group}>{body})"


DAY2, YEAR2 = second(DAY), second(YEAR)


def _relative_phrases(v: Vocabulary) -> str:
    """The relative phrases of a language ("hier", "last week"), with either apostrophe, as a whole word;
    weekdays with "dernier"/"next" are shapes of their own."""
    phrases = [p for p, (unit, _) in v.relative.items() if not unit.startswith("weekday")]
    phrases += [p.replace("'", "’") for p in phrases if "'" in p]
    return r"(?<![\w'’-])" + _alternation(phrases, "phrase") + END


def _french(v: Vocabulary) -> list[tuple[str, str]]:
    """French shapes, most specific first; repeated group names are numbered by `_numbered`."""
    m = lambda g="month": _alternation(v.months, g) + END  # noqa: E731 — a small pattern maker
    w = _alternation(v.weekdays, "weekday") + END
    d, d2, y2, sp = DAY, DAY2, YEAR2, SPACE
    rel = _alternation(PAST_WORDS["fr"] + FUTURE_WORDS["fr"], "rel") + END
    year_or_rel = rf"(?:\s+(?:{YEAR}|{rel}))?"
    approx = r"(?P<approx>(?i:mi-|à\s+la\s+mi-|vers\s+la\s+mi-|début|fin|au\s+début\s+de|à\s+la\s+fin\s+de|" \
             r"dès\s+le\s+début\s+de|au\s+début\s+du\s+mois\s+de|à\s+la\s+fin\s+du\s+mois\s+de|à\s+la\s+mi-))"
    lead = r"(?i:en|courant|depuis|dès|jusqu['’]en|jusqu['’]à|à\s+partir\s+de|avant|après|pour)"
    return [
        ("fr_range_days", rf"\b(?i:du){sp}(?:{w}{sp})?{d}(?:{sp}{m()}(?:{sp}{YEAR})?)?{sp}(?i:au){sp}(?:{w}{sp})?{d2}"
                          rf"{sp}{m('month2')}(?:{sp}{y2})?"),
        ("fr_pair_days", rf"\b(?i:les|des){sp}{d}{sp}(?i:et){sp}{d2}{sp}{m('month2')}(?:{sp}{y2})?"),
        ("fr_day", rf"(?:{w}{sp})?{d}{sp}{m()}{year_or_rel}"),
        ("fr_month_of", rf"\b(?:{approx}{sp})?(?:(?i:au){sp})?(?i:mois){sp}(?:(?i:de){sp}|(?i:d)['’]\s*){m()}"
                        rf"{year_or_rel}"),
        ("fr_month", rf"(?:\b{approx}(?:(?<=-)|{sp})|\b{lead}{sp})?{m()}{sp}(?:{YEAR}|{rel})"),
        ("fr_month_lead", rf"(?:\b{approx}(?:(?<=-)|{sp})|\b{lead}{sp}){m()}(?!{sp}\d)"),
        ("fr_range_years", rf"\b(?i:entre|de){sp}(?:(?i:l['’]an){sp})?{YEAR}{sp}(?i:et|à){sp}{y2}"),
        # A year after "de", "à", "pour" ("la loi de 2008", "par rapport à 2024"), not a quantity ("de 2000
        # personnes", "à 1500 m").
        ("fr_year_of", rf"\b(?i:de|à|pour|d['’]avant|contre){sp}(?P<year>(?:19|20)\d{{2}})(?![\d.%]|,\d)"
                       rf"(?!{sp}(?:\w+[sx]\b|m\b|km\b|kg\b|h\b|€|%|euros?\b|[A-Z]))"),
        ("fr_year", rf"\b(?:{approx}(?:(?<=-)|{sp})|{lead}{sp}|(?i:l['’]année|année|l['’]an|depuis{sp}l['’]an|"
                    rf"au{sp}cours{sp}de(?:{sp}l['’]année)?){sp}){YEAR}"),
        ("fr_weekday_rel", rf"(?:\b(?P<this>(?i:ce)){sp}{w}|{w}{sp}{rel})"),
        ("fr_relative", _relative_phrases(v)),
        # A weekday alone is one day ("mardi", "samedi dernier"), not a habit ("le mardi", "chaque mardi"),
        # a span ("du mardi au samedi"), a name ("le Journal du dimanche") or an ordinal ("le 8e samedi").
        ("fr_weekday", rf"(?<![Ll]e\s)(?<!chaque\s)(?<![dD]u\s)(?<![aA]u\s)(?<!\de\s)"
                       rf"(?<!premier\s)(?<!\w){w}(?!{sp}\d)"),
        ("fr_season", rf"\b(?:(?i:à{sp}l['’]|l['’]|au|en|dès{sp}l['’]|depuis{sp}l['’]|cet){sp}?)?"
                      rf"(?P<season>(?i:automne|été|hiver|printemps)){sp}(?:(?i:de){sp}|(?i:d)['’]\s*)?{YEAR}"),
        ("fr_new_year", rf"(?:(?P<new_year_day>\b(?i:le{sp}jour{sp}de{sp}l['’]an))|(?i:Nouvel{sp}An){sp}{YEAR}|"
                        rf"(?P<new_year>\b(?i:la{sp}nouvelle{sp}année))){END}"),
        ("fr_ago", rf"\b(?i:il{sp}y{sp}a){sp}(?P<ago>\d{{1,3}}){sp}(?P<ago_unit>(?i:ans|an|années|mois|jours|jour))"
                   rf"{END}"),
    ]


def _english(v: Vocabulary) -> list[tuple[str, str]]:
    """English shapes. Month and weekday names are capitalised in English ("may" and "march" are verbs)."""
    caps = {name.capitalize(): n for name, n in v.months.items() if name.isascii()}
    for name in v.abbreviations:  # "Sept." and "Jan." as well as "Sept" and "Jan"
        caps.setdefault(name.capitalize() + ".", v.months[name])
    # "May Day" is a holiday, not the month.
    m = lambda g="month": _alternation(caps, g, insensitive=False) + END + r"(?![\s\u00a0]+Day\b)"  # noqa: E731
    w = _alternation({n.capitalize(): i for n, i in v.weekdays.items()}, "weekday", insensitive=False) + END
    d, d2, y2, sp = DAY, DAY2, YEAR2, SPACE
    rely = rf"(?P<rely>(?i:last|this|next)){sp}(?i:year)"
    year_or_rel = rf"(?:,?{sp}(?:{YEAR}|{rely}))?"
    approx = r"(?P<approx>(?i:early|late|mid-|mid|in\s+early|in\s+late|in\s+mid-|in\s+mid|at\s+the\s+end\s+of|" \
             r"at\s+the\s+beginning\s+of|at\s+the\s+start\s+of|towards\s+the\s+end\s+of|in\s+the\s+middle\s+of|" \
             r"by\s+the\s+end\s+of|around))"
    lead = r"(?i:in|since|during|until|till|through|by|before|after|from|throughout)"
    rel = r"(?P<rel>(?i:last|next|this|past))"
    return [
        ("en_range_from", rf"\b(?i:from|between){sp}{m()}{sp}{d}{sp}(?i:to|until|till|through|and){sp}"
                          rf"(?:{m('month2')}{sp})?{d2}(?:,?{sp}{y2})?"),
        ("en_range_dash", rf"{m()}{sp}{d}\s*[-–]\s*(?:{m('month2')}{sp})?{d2}(?:,?{sp}{y2})?"),
        ("en_range_years", rf"\b(?i:from|between){sp}{YEAR}{sp}(?i:to|and|until|till){sp}{y2}"),
        ("en_day", rf"(?:{w},?{sp})?{m()}{sp}{d}{year_or_rel}"),
        ("en_day_first", rf"(?:{w},?{sp})?(?:(?i:the){sp})?{d}{sp}(?:(?i:of){sp})?{m()}{year_or_rel}"),
        ("en_month", rf"(?:\b{approx}{sp}|\b{lead}{sp}|\b{rel}{sp})?{m()},?{sp}(?:{YEAR}|{rely})"),
        ("en_month_lead", rf"(?:\b{approx}{sp}|\b{lead}{sp}|\b{rel}{sp}){m()}(?!{sp}\d)"),
        ("en_year", rf"\b(?:{approx}|{lead}|(?i:the{sp}year)){sp}{YEAR}"),
        ("en_juche", JUCHE),
        # "the new year" in lower case is the year; "the New Year" is mostly the holiday ("the New Year
        # celebration"), read only with its year or as the day ("on New Year's Day").
        ("en_new_year", rf"(?:(?i:on){sp}(?P<new_year_day>New{sp}Year['’]s{sp}Day)|New{sp}Year{sp}{YEAR}|"
                        rf"(?P<new_year>\b[Tt]he{sp}new{sp}year)){END}"),
        ("en_year_the", rf"\b(?i:the|of){sp}(?P<year>(?:19|20)\d{{2}})(?![\d,.%])(?=\s+[a-z]|\s*[,.;:)]|{sp}to\b)"),
        ("en_season", rf"\b(?:(?i:in{sp}the|in|the|during{sp}the|during|since{sp}the){sp})?"
                      rf"(?P<season>(?i:spring|summer|autumn|fall|winter)){sp}(?:(?i:of){sp})?{YEAR}"),
        ("en_ago", rf"\b(?P<ago>\d{{1,3}}){sp}(?P<ago_unit>(?i:years|year|months|month|days|day)){sp}(?i:ago)"
                   rf"{END}"),
        ("en_weekday_rel", rf"\b(?:{rel}{sp}|(?i:on){sp}){w}(?!,?{sp}(?:{m()}|\d))"),
        ("en_relative", _relative_phrases(v)),
    ]


def _common() -> list[tuple[str, str]]:
    """Numeric and ISO dates, and five-digit "years" (reported, never read)."""
    return [
        ("year_span", r"(?<![\d-])(?P<year>(?:19|20)\d{2})[-–](?P<year2>(?:19|20)\d{2})(?![\d-])"),
        ("iso_date", r"(?<![\d-])(?P<iso>\d{4}-\d{2}-\d{2})(?![\d-])"),
        ("numeric_short", r"(?<![\d/.,])(?P<n1>\d{2})(?P<sep>/)(?P<n2>\d{2})/(?P<n3>\d{2})(?![\d]|[/.,]\d)"),
        ("numeric_date", r"(?<![\d/.,])(?P<n1>\d{1,2})(?P<sep>[/.])(?P<n2>\d{1,2})[/.](?P<n3>\d{4})(?![\d]|[/.,]\d)"),
        ("long_number", r"\b(?i:en|in)\s+(?P<bad_year>\d{5,})(?=\s*[,.;:)]|\s*$)"),
    ]


def _generic(v: Vocabulary) -> list[tuple[str, str]]:
    """Other languages: day-month-year and month-year shapes over CLDR month names."""
    m = _alternation(v.months, "month") + END
    sp = SPACE
    return [
        ("xx_day", rf"{DAY}\.?{sp}{m}(?:{sp}{YEAR})?"),
        ("xx_day_after", rf"{m}{sp}{DAY}(?:,?{sp}{YEAR})?"),
        ("xx_month", rf"{m}{sp}{YEAR}"),
    ]


SHAPES = {"fr": _french, "en": _english}


GROUP = re.compile(r"\(\?P<(\w+)>")


def _numbered(alternatives: list[tuple[str, str]]) -> tuple[str, dict]:
    """One regular expression of every shape, each an alternative named after it. Python forbids repeated
    group names, so repeats are numbered (day, day_1, …) here, and each shape's map says which group of the
    whole pattern holds its day, month, year…"""
    seen: dict = {}
    groups: dict = {}
    bodies = []
    for shape, body in alternatives:
        names: dict = {}

        def rename(match: re.Match) -> str:
            name = match.group(1)
            count = seen.get(name, 0)
            seen[name] = count + 1
            unique = name if count == 0 else f"{name}_{count}"
            names.setdefault(name, []).append(unique)
            return f"(?P<{unique}>"

        bodies.append(f"(?P<{shape}>" + GROUP.sub(rename, body) + ")")
        groups[shape] = {name: tuple(found) for name, found in names.items()}
    return "|".join(bodies), groups


def base_language(language: str) -> str:
    return language.split("-")[0].split("_")[0].lower() or "en"


@lru_cache(maxsize=None)
def patterns_for(language: str) -> LanguagePatterns:
    """The pattern a document in `language` is read with: its language's shapes, then French and English
    (news in one language often quotes the other); codes Babel does not know are read as English."""
    base = base_language(language)
    try:
        vocabulary(base)
    except Exception:  # Babel raises UnknownLocaleError or ValueError for codes it does not know
        base = "en"
    languages = tuple(dict.fromkeys((base, "fr", "en")))
    alternatives, months, weekdays, relative = [], {}, {}, {}
    for lang in languages:
        words = vocabulary(lang)
        alternatives += SHAPES.get(lang, _generic)(words)
        for table, part in ((months, words.months), (weekdays, words.weekdays), (relative, words.relative)):
            for spelling, value in part.items():
                table.setdefault(spelling, value)
    alternatives += _common()
    regex, groups = _numbered(alternatives)
    digits, digit_groups = _numbered([(name, body) for name, body in alternatives if name in DIGIT_SHAPES])
    # Shapes that hold a digit are found from their digits; the others hold a month or weekday name, a
    # relative phrase (found by its last word: "semaine" of "la semaine dernière") or "the new year".
    triggers = set(months) | set(weekdays) | {"new year", "nouvelle année", "jour de l"}
    triggers |= {phrase.split()[-1].split("'")[-1] for phrase in relative}
    triggers = {t for t in triggers if len(t) >= 3}
    return LanguagePatterns(languages, re.compile(rf"\b(?:{regex})"), months, weekdays, relative,
                            vocabulary(base).day_first, _trigger_pattern(triggers),
                            _trigger_pattern(triggers | LEADS | {p.split()[0] for p in relative}), groups,
                            re.compile(rf"\b(?:{digits})"), digit_groups)

