"""The seed archive, built end to end: every paragraph, heading, media gap and event where it belongs."""
import hashlib
import json
from html.parser import HTMLParser

from markupsafe import escape

from annals.linkcheck import check_links, network_references
from annals.model import ELLIPSIS, EXCERPT, SLACK, excerpt_of

from conftest import SEED_FILE, SEEDS

DOC = "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice"

# Read off the seed by hand: (anchor, date, precision, how the paragraph starts).
EXPECTED_EVENTS = [
    ("2021-01", "2021-01", "month", "Au mois de janvier 2021, il y a eu le 8e Congrès"),
    ("2023-09", "2023-09", "month", "Au mois de septembre 2023, le respecté camarade"),
    ("2024-06", "2024-06", "month", "Au mois de juin 2024, il y a eu la rencontre"),
    ("2024-06-19", "2024-06-19", "day", "Le 19 juin, le respecté camarade Kim Jong Un a signé"),
    ("2025-09-03", "2025-09-03", "day", "Le 3 septembre 2025, le respecté camarade"),
    ("2025-10-10", "2025-10-10", "day", "Le respecté camarade Kim Jong Un a reçu en audience le 10 octobre"),
    ("2025", "2025", "year", "En 2025, le respecté camarade"),
    ("2025-06", "2025-06", "month", "Au mois de juin, il a rencontré la ministre"),
    ("2025-07", "2025-07", "month", "Au mois de juillet, il a reçu en audience Serguei Lavrov"),
    ("2025-08", "2025-08", "month", "Au mois d'août 2025, notre peuple"),
    ("2025-09-03-2", "2025-09-03", "day", "Le respecté camarade Kim Jong Un a pris part, le 3 septembre 2025"),
    ("2025-09-04", "2025-09-04", "day", "Et il a eu un entretien, le 4 septembre après-midi"),
    ("2025-10", "2025-10", "month", "Au mois d'octobre 2025, notre peuple"),
]
EXPECTED_HEADINGS = [
    "Les rapports du partenariat stratégique global",
    "L'occasion historique montrant l'invariabilité et l'invincibilité des relations d'amitié coréo-chinoise",
    "Commémoration significative du 80e anniversaire de la fondation du Parti du travail de Corée comme un "
    "événement commun et une fête commune",
]


class Page(HTMLParser):
    """Elements by id, paragraph texts in order, headings, and how many media markers."""

    def __init__(self, html):
        super().__init__()
        self.stack, self.by_id, self.paragraphs, self.h2, self.media = [], {}, [], [], 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append([tag, attrs, ""])
        if "media-gap" in (attrs.get("class") or ""):
            self.media += 1

    def handle_endtag(self, tag):
        while self.stack:
            name, attrs, text = self.stack.pop()
            if self.stack:
                self.stack[-1][2] += text
            if attrs.get("id"):
                self.by_id[attrs["id"]] = (name, attrs, text)
            if name == "p" and "paragraph" in (attrs.get("class") or ""):
                self.paragraphs.append(text)
            if name == "h2" and not attrs.get("id"):
                self.h2.append(text)
            if name == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2] += data


def seed_text():
    return (SEEDS / SEED_FILE).read_text(encoding="utf-8")


def document_page(site):
    return Page((site / f"{DOC}.html").read_text(encoding="utf-8"))


def test_every_paragraph_of_the_seed_in_order(seed_site):
    lines = seed_text().split("\n")[2:]
    expected = [line.strip() for line in lines if line.strip() and line[:1].isspace()]
    assert len(expected) == 34
    assert document_page(seed_site).paragraphs == expected


def test_paragraphs_carry_positional_ids(seed_site):
    page = document_page(seed_site)
    for number, text in enumerate(page.paragraphs, start=1):
        assert page.by_id[f"p-{number}"][2] == text


def test_headings_breadcrumb_and_title(seed_site):
    page = document_page(seed_site)
    assert page.h2 == EXPECTED_HEADINGS
    html = (seed_site / f"{DOC}.html").read_text(encoding="utf-8")
    assert "<h1>Pour l&#39;indépendance et la justice</h1>" in html
    assert 'href="../../le-monde-et-la-coree/index.html">Le monde et la Corée</a>' in html
    assert 'href="../../le-monde-et-la-coree/solidarite/index.html">Solidarité</a>' in html


def test_media_markers_where_blank_runs_stood(seed_site):
    # Seven runs of two or more blank or NBSP-only lines in the seed; single blank lines are not gaps.
    assert document_page(seed_site).media == 7


def test_events_json_is_exactly_the_dated_paragraphs(seed_site):
    events = json.loads((seed_site / "events.json").read_text(encoding="utf-8"))
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    by_anchor = {e["anchor"]: e for e in events}
    assert set(by_anchor) == {anchor for anchor, *_ in EXPECTED_EVENTS}
    for anchor, date, precision, start in EXPECTED_EVENTS:
        event = by_anchor[anchor]
        assert (event["date"], event["precision"]) == (date, precision)
        assert event["text"].startswith(start)
        assert event["url"] == f"{DOC}.html#{anchor}"
        assert event["document"] == DOC


def test_each_event_url_resolves_to_its_paragraph(seed_site):
    page = document_page(seed_site)
    events = json.loads((seed_site / "events.json").read_text(encoding="utf-8"))
    for event in events:
        tag, attrs, text = page.by_id[event["anchor"]]
        assert "event" in attrs["class"]
        assert event["text"] in text
        assert page.by_id[f"p-{event['paragraph']}"][2] == event["text"]


def test_event_paragraphs_have_time_and_permalink(seed_site):
    html = (seed_site / f"{DOC}.html").read_text(encoding="utf-8")
    assert '<time datetime="2024-06-19">19 juin 2024</time>' in html
    assert 'class="permalink" href="#2024-06-19"' in html
    assert 'aria-label="Lien permanent vers l’événement du 19 juin 2024"' in html


def test_the_timeline_shows_an_excerpt_of_each_event_and_the_exports_its_whole_text(seed_site):
    """A build holds excerpts of the dated paragraphs (what the timeline shows), not their text: the
    timeline shows a long paragraph's start, cut between words; events.json has it whole."""
    events = json.loads((seed_site / "events.json").read_text(encoding="utf-8"))
    html = "".join(p.read_text(encoding="utf-8") for p in (seed_site / "years").glob("*.html"))
    long = [e["text"] for e in events if len(e["text"]) > EXCERPT + SLACK]
    assert 0 < len(long) < len(events)  # the seed has both
    for text in (e["text"] for e in events):
        shown = excerpt_of(text)
        assert f'<p class="excerpt">{escape(shown)}</p>' in html
        if text in long:
            start = shown.removesuffix(ELLIPSIS)
            assert len(shown) <= EXCERPT and shown.endswith(ELLIPSIS) and text[len(start)] == " "
            assert text.startswith(start) and escape(text) not in html
        else:
            assert shown == text


def test_timeline_links_every_event_by_year_and_month(seed_site):
    """The timeline is an overview whose bars lead to each year and month; the year pages list every
    event, linked to its paragraph."""
    overview = (seed_site / "timeline.html").read_text(encoding="utf-8")
    assert overview.index('id="y2021"') < overview.index('id="y2023"') < overview.index('id="y2025"')
    assert '<a href="years/2024.html#m2024-06"><rect' in overview and 'href="years/2022.html"' not in overview
    assert "9 événements · 1 sur toute l’année" in overview  # 2025 has an event known only to its year
    years = {p.stem: p.read_text(encoding="utf-8") for p in (seed_site / "years").glob("*.html")}
    assert sorted(years) == ["2021", "2023", "2024", "2025"]
    for anchor, *_ in EXPECTED_EVENTS:
        assert f'href="../{DOC}.html#{anchor}"' in years[anchor[:4]]
    assert '<h3 id="m2024-06">juin 2024</h3>' in years["2024"] and ">19 juin 2024</time>" in years["2024"]


def test_verbatim_source_copy_and_provenance(seed_site):
    copy = seed_site / f"{DOC}.source.txt"
    original = (SEEDS / SEED_FILE).read_bytes()
    assert copy.read_bytes() == original
    html = (seed_site / f"{DOC}.html").read_text(encoding="utf-8")
    assert hashlib.sha256(original).hexdigest() in html
    assert 'href="pour-l-independance-et-la-justice.source.txt"' in html
    documents = json.loads((seed_site / "documents.json").read_text(encoding="utf-8"))
    assert documents == [documents[0]]
    assert documents[0]["sha256"] == hashlib.sha256(original).hexdigest()
    assert (documents[0]["events"], documents[0]["paragraphs"]) == (13, 34)


def test_pages_declare_french_and_load_only_local_files(seed_site):
    for page in seed_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert html.startswith('<!DOCTYPE html>\n<html lang="fr">'), page
    assert network_references(seed_site) == []


def test_document_page_has_schema_org_json_ld(seed_site):
    html = (seed_site / f"{DOC}.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(block)
    assert (data["@type"], data["headline"], data["inLanguage"]) == ("NewsArticle", "Pour l'indépendance et la justice", "fr")
    assert [m["startDate"] for m in data["mentions"]][:4] == ["2021-01", "2023-09", "2024-06", "2024-06-19"]
    assert {m["url"] for m in data["mentions"]} == {f"#{anchor}" for anchor, *_ in EXPECTED_EVENTS}


def test_no_broken_links_or_anchors(seed_site):
    assert check_links(seed_site) == []


def test_site_has_every_page_kind(seed_site):
    for name in ("index.html", "timeline.html", "404.html", "events.json", "events.csv", "documents.json",
                 "build-report.json", "le-monde-et-la-coree/index.html",
                 "le-monde-et-la-coree/solidarite/index.html", "years/2024.html", "static/annals.css"):
        assert (seed_site / name).is_file(), name
