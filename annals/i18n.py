"""Interface strings and date display per language: the one place that formats a date for a reader."""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from .config import base_language, catalogues



class Strings(Mapping):
    """A catalogue of interface strings, read as `t.home` or `t["home"]` (a count's entry holds its text
    for each plural form: `count_label` picks one). Each string is an attribute of
    its own, so that a template finds it at once: Jinja looks for an attribute before an entry, and the
    failed look-up that a dict's entries cost was a tenth of the time a document page takes to render."""

    def __init__(self, entries: dict[str, str]):
        self.__dict__.update(entries)

    def __getitem__(self, key: str) -> str:
        return self.__dict__[key]

    def __iter__(self):
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)


@lru_cache(maxsize=None)
def strings(language: str) -> Strings:
    """The interface catalogue for `language`, falling back to English for unknown languages."""
    code = base_language(language)
    name = code if code in catalogues() else "en"
    text = resources.files("annals.locales").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return Strings(yaml.safe_load(text))


@lru_cache(maxsize=None)
def babel_locale(language: str) -> Locale:
    # English dates read "19 June 2024" in an archive; en_GB gives that order.
    code = language.replace("-", "_") or "en"
    try:
        return Locale.parse("en_GB" if code == "en" else code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


@lru_cache(maxsize=65536)  # every day of 180 years: a large archive's dates are formatted once each
def format_iso(iso: str, precision: str, language: str, style: str = "long") -> str:
    """"2024-06-19"/day → "19 juin 2024"; "2025-06"/month → "juin 2025"; "2025"/year → "2025"."""
    locale = babel_locale(language)
    if precision == "year":
        return iso[:4]
    if precision == "month":
        year, month = int(iso[:4]), int(iso[5:7])
        return format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale)
    return format_date(datetime.date.fromisoformat(iso), style, locale=locale)


@lru_cache(maxsize=8192)  # a few counts, asked for on every page: Babel's plural rule and number format once each
def count_label(key: str, n: int, language: str) -> str:
    """A count as the catalogue words it (`key`: "document_count"…) in the plural form that `language`
    gives `n` (CLDR's rules, through Babel: "0 document" and "1 document" in French, "0 documents" and
    "1 document" in English), with the number written as the language writes it ("10 000" in French)."""
    forms, locale = strings(language)[key], babel_locale(language)
    return forms.get(locale.plural_form(n), forms["other"]).format(n=format_decimal(n, locale=locale))
