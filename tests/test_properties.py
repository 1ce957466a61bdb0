"""Property tests: any input gives a document or a clear error, and no source text goes missing."""
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from annals.dates import find_dates
from annals.index import build_archive
from annals.loader import load_document
from annals.loader.decode import Undecodable, decode
from annals.loader.text import parse_breadcrumb
from annals.render import Renderer, Site
from annals.theme import default_dir

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
LENGTH = {"day": 10, "month": 7, "year": 4}

# Control characters and noncharacters are replaced (with a warning): test_loader covers them.
line_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=60)
indent = st.sampled_from(["", " ", "\u00a0\u00a0 ", "\t", "/ "])  # "/ " makes breadcrumbs
source_lines = st.lists(st.tuples(indent, line_text), max_size=25)
date_words = st.lists(st.sampled_from(["le", "1er", "19", "31", "juin", "août", "Au mois de", "d'", "2024",
                                       "En", "9999", "June", "May", "may", "2025-02-30", "8e", "Congrès", ","]),
                      max_size=12).map(" ".join)


@given(st.binary(max_size=400))
@settings(max_examples=300)
def test_any_bytes_decode_or_raise_a_clear_error(data):
    try:
        decoded = decode(data)
    except Undecodable as error:
        assert str(error)
        return
    assert "\r" not in decoded.text


@given(st.one_of(st.text(max_size=200), date_words), st.one_of(st.none(), st.integers(1000, 2999)))
@settings(max_examples=400)
def test_dates_are_valid_iso_at_their_precision(text, year):
    found = find_dates(text, "fr", year)
    for mention in found.mentions:
        assert ISO.match(mention.iso) and len(mention.iso) == LENGTH[mention.precision]
        assert mention.expression in text
    for rejected in found.rejected:
        assert rejected.reason and rejected.expression in text


@given(source_lines)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_non_blank_line_reaches_the_document_page(tmp_path, lines):
    text = "\n".join(prefix + body for prefix, body in lines)
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    document, problems = load_document(path, "doc.txt")
    if document is None:
        assert not text.strip() and problems and problems[0].severity == "error"
        return
    archive = build_archive((document,))
    renderer = Renderer(archive, Site(), [default_dir("templates")])
    (page,) = list(renderer.documents())
    html = page.data.decode("utf-8")
    first = _first(text)
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        crumb = parse_breadcrumb(line) if number == first else None
        if crumb is not None:
            # The breadcrumb line's words are the section and subsection names ("/" alone names nothing).
            for part in crumb:
                assert str(escape(part)) in html, (number, line)
            continue
        assert str(escape(stripped)) in html, (number, line)


def _first(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            return number
    return 0


spaced = st.lists(st.sampled_from(["le", "1er", "19", "3", "31", "juin", "Juin", "AOÛT", "aout", "septembre", "mois",
                                   "au", "de", "d'", "d’", "2024", "1789", "En", "en", "depuis", "l'an", "June", "May",
                                   "may", "of", "the", "3rd", "2025-02-28", "8e", "x", "İ", ",", ".",
                                   "du", "les", "et", "mi-", "début", "fin", "dernier", "prochain", "mardi",
                                   "samedi", "hier", "l'année", "dernière", "la", "semaine", "on", "Tuesday",
                                   "last", "next", "year", "Juche", "113", "(2024)", "entre", "from", "to",
                                   "New", "Year's", "Day", "il", "y", "a", "ans", "ago", "été", "l'automne",
                                   "03/09/2025", "Sept.", "janv.", "2019-2023", "new"]),
                  max_size=30).flatmap(lambda words: st.lists(st.sampled_from([" ", "  ", "\u00a0", "\t", ""]),
                                                              min_size=len(words), max_size=len(words))
                                       .map(lambda gaps: "".join(w + g for w, g in zip(words, gaps))))


@given(spaced)
@settings(max_examples=1500)
def test_windowed_search_finds_exactly_what_a_full_scan_finds(text):
    from annals.dates.patterns import patterns_for
    for language in ("fr", "en", "de"):
        patterns = patterns_for(language)
        assert [m.span() for m in patterns.finditer(text)] == [m.span() for m in patterns.pattern.finditer(text)]
