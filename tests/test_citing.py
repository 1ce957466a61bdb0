"""What a document page says of itself, for a reader and for the tools that cite it."""
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NBSP, build_sources

TEXT = ("/ Monde - Asie\nUn titre\n" + NBSP + "Le 19 juin 2024, une réunion.\n"
        + NBSP + "Le 20 juin 2024, une autre réunion.\n")
SIDECAR = ("url: https://example.org/articles/123\nretrieved: 2025-01-15\npublisher: Agence\n"
           "published: 2024-06-20\n")


def built_page(tmp_path, make_sources, sidecar: str = SIDECAR, **options) -> str:
    root = make_sources({"a.txt": TEXT, "a.yaml": sidecar})
    output = tmp_path / "site"
    report = build_sources(root, output, **options)
    assert report.published and not report.problems, report.problems
    (document,) = json.loads((output / "documents.json").read_text(encoding="utf-8"))
    return (output / document["url"]).read_text(encoding="utf-8")


def header_of(page: str) -> str:
    """What stands between the title and the first paragraph."""
    return page.split("<h1>", 1)[1].split('class="paragraph"', 1)[0]


def test_the_header_under_the_title_says_where_and_when_the_document_was_published(tmp_path, make_sources):
    page = built_page(tmp_path, make_sources)
    header = header_of(page)
    assert '<time datetime="2024-06-20">20 juin 2024</time>' in header
    assert "Agence" in header
    assert '<a href="https://example.org/articles/123">https://example.org/articles/123</a>' in header
    assert '<time datetime="2025-01-15">15 janvier 2025</time>' in header
    assert "2 événements" in header


def test_the_provenance_box_words_its_codes_for_people(tmp_path, make_sources):
    provenance = built_page(tmp_path, make_sources).split('class="provenance"', 1)[1]
    assert "texte brut" in provenance and "français" in provenance and "UTF-8" in provenance
    assert '<time datetime="2024-06-20">20 juin 2024</time>' in provenance
    assert '<a href="https://example.org/articles/123">' in provenance
    for code in (">fr<", "Format text", " text<", "utf-8", ">2024-06-20<"):
        assert code not in provenance, code


def test_the_header_speaks_the_sites_language(tmp_path, make_sources):
    page = built_page(tmp_path, make_sources, SIDECAR + "language: fr\n", language="en")
    header, provenance = header_of(page), page.split('class="provenance"', 1)[1]
    assert '<time datetime="2024-06-20">20 June 2024</time>' in header and "2 events" in header
    assert "plain text" in provenance and "French" in provenance


def test_a_source_address_that_is_not_a_web_address_is_shown_not_linked(tmp_path, make_sources):
    sidecar = "url: javascript:alert(1)\npublished: printemps 2024\n"
    page = built_page(tmp_path, make_sources, sidecar)
    assert "javascript:alert(1)" in header_of(page) and 'href="javascript' not in page
    assert "printemps 2024" in header_of(page)


def test_reference_managers_find_title_date_publisher_and_address(tmp_path, make_sources):
    """What Zotero's "Embedded Metadata" reads, as extruct (a real extractor) finds it on the built page."""
    import extruct

    page = built_page(tmp_path, make_sources, base_url="https://example.org/archive/")
    address = "https://example.org/archive/monde/asie/un-titre.html"
    found = extruct.extract(page, base_url=address, syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True)
    dublin = {e["name"].lower(): e["content"] for e in found["dublincore"][0]["elements"]}
    assert (dublin["dc.title"], dublin["dc.date"], dublin["dc.publisher"], dublin["dc.identifier"]) == (
        "Un titre", "2024-06-20", "Agence", address)
    assert dublin["dc.source"] == "https://example.org/articles/123" and dublin["dc.language"] == "fr"
    graph = found["opengraph"][0]
    assert (graph["og:title"], graph["og:url"], graph["@type"]) == ("Un titre", address, "article")
    (article,) = found["json-ld"]
    assert article["@type"] == "NewsArticle" and article["datePublished"] == "2024-06-20"
    assert article["publisher"]["name"] == "Agence" and article["url"] == "https://example.org/articles/123"
    assert article["archivedAt"]["url"] == address and article["archivedAt"]["dateCreated"] == "2025-01-15"
    highwire = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', page))
    assert highwire == {"citation_title": "Un titre", "citation_publication_date": "2024-06-20",
                        "citation_date": "2024-06-20", "citation_publisher": "Agence", "citation_language": "fr",
                        "citation_public_url": address, "citation_fulltext_html_url": address}
    assert f'<link rel="canonical" href="{address}">' in page


def test_without_a_public_address_the_page_still_names_title_date_and_publisher(tmp_path, make_sources):
    page = built_page(tmp_path, make_sources, "publisher: Agence\n")
    tags = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', page))
    assert tags["citation_title"] == "Un titre" and tags["citation_publisher"] == "Agence"
    assert "citation_public_url" not in tags and "og:url" not in tags and 'rel="canonical"' not in page


def test_the_cite_box_formats_the_citation_in_the_sites_style(tmp_path, make_sources):
    page = built_page(tmp_path, make_sources, base_url="https://example.org/archive/")
    box = page.split('<details class="cite-box"', 1)[1].split("</details>", 1)[0]
    text = " ".join(box.split('<p class="citation-text">', 1)[1].split("</p>", 1)[0].split())  # no-break spaces too
    address = "https://example.org/archive/monde/asie/un-titre.html"
    assert text == ("AGENCE, 2024. Un titre. <i>Agence</i> [en ligne]. 20 juin 2024. Disponible à l&#39;adresse : "
                    f'{address} [Consulté le <span class="today">…</span>]. Archives'), text
    assert 'data-download="un-titre.bib"' in box and "@today@" in box
    passage = page.split('<details class="cite-event"', 1)[1].split("</details>", 1)[0]
    assert f"{address}#2024-06-19 [Consulté le" in " ".join(passage.split())


def test_another_citation_style_and_language(tmp_path, make_sources):
    page = built_page(tmp_path, make_sources, base_url="https://example.org/archive/", language="en",
                      citation_style="apa")
    text = page.split('<p class="citation-text">', 1)[1].split("</p>", 1)[0]
    assert text.startswith("Agence. (2024, June 20). Un titre. <i>Agence</i>."), text


def test_source_text_in_a_citation_is_escaped(tmp_path, make_sources):
    root = make_sources({"a.txt": TEXT.replace("Un titre", "Un <script>alert(1)</script> & titre"),
                         "a.yaml": "publisher: <img src=x onerror=alert(2)>\n"})
    build_sources(root, tmp_path / "site")
    (page,) = (tmp_path / "site").rglob("un-script*.html")
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Un &lt;script&gt;alert(1)&lt;/script&gt; &amp; titre" in html.split('class="citation-text">', 1)[1]


CSL_SCHEMA = {  # the parts of CSL-JSON (citationstyles.org, csl-data.json) these files use
    "type": "array",
    "items": {"type": "object", "required": ["id", "type"], "additionalProperties": False, "properties": {
        "id": {"type": "string"}, "type": {"enum": ["article-newspaper"]}, "title": {"type": "string"},
        "author": {"type": "array", "items": {"type": "object", "properties": {"literal": {"type": "string"}},
                                              "required": ["literal"], "additionalProperties": False}},
        "container-title": {"type": "string"}, "URL": {"type": "string"}, "language": {"type": "string"},
        "archive": {"type": "string"}, "note": {"type": "string"},
        "issued": {"$ref": "#/$defs/date"}, "accessed": {"$ref": "#/$defs/date"}}},
    "$defs": {"date": {"type": "object", "additionalProperties": False, "properties": {
        "date-parts": {"type": "array", "minItems": 1, "maxItems": 2, "items": {
            "type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}}},
        "raw": {"type": "string"}}}},
}


def test_the_archives_citation_files_parse_and_agree(tmp_path, make_sources):
    import bibtexparser
    import jsonschema
    import rispy

    root = make_sources({"a.txt": TEXT, "a.yaml": SIDECAR,
                         "b.txt": "Un {autre} titre à 50 % & $\n" + NBSP + "En 2019, un fait.\n"})
    site = tmp_path / "site"
    build_sources(root, site, base_url="https://example.org/archive/")
    library = bibtexparser.parse_string((site / "citations.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    records = rispy.loads((site / "citations.ris").read_text(encoding="utf-8"))
    items = json.loads((site / "citations.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, CSL_SCHEMA)
    entries = {e.key: {f.key: f.value for f in e.fields} for e in library.entries}
    assert len(entries) == len(records) == len(items) == 2
    a = next(i for i in items if i["title"] == "Un titre")
    ris_a = next(r for r in records if r["title"] == "Un titre")
    bib_a = entries["monde:asie:un-titre"]
    url = "https://example.org/archive/monde/asie/un-titre.html"
    assert (a["URL"], ris_a["urls"], bib_a["url"]) == (url, [url], url)
    assert (a["issued"], ris_a["date"], bib_a["date"]) == ({"date-parts": [[2024, 6, 20]]}, "2024/06/20", "2024-06-20")
    assert (a["container-title"], ris_a["secondary_title"], bib_a["journal"]) == ("Agence", "Agence", "Agence")
    assert "accessed" not in a and "access_date" not in ris_a and "urldate" not in bib_a
    odd = next(e for key, e in entries.items() if key != "monde:asie:un-titre")
    assert odd["title"] == "Un \\{autre\\} titre à 50 \\% \\& \\$"


WORDS = ["about", "between", "Kim", "of", "the", "Party", "la", "Corée", "USA", "iPhone", "e-mail", "2024", "N°",
         "l’État", "d'amitié", "and", "über", "Touching", "story", "x"]


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=7),
       style=st.sampled_from([("iso690-author-date-fr", "fr"), ("apa", "en"), ("chicago-author-date", "en"),
                              ("modern-language-association", "fr"), ("iso690-author-date-en", "en")]),
       publisher=st.sampled_from(["", "KCNA", "Agence"]), date=st.sampled_from(["", "2024", "2024-06", "2024-06-20"]))
def test_a_citation_made_from_its_shape_is_the_one_citeproc_writes(words, style, publisher, date):
    """Citations made from one rendered with a mark for the title and address equal citeproc-py's own."""
    from annals import citation

    item = citation.Cited(id="a/b", title=" ".join(words), date=date, publisher=publisher, author="",
                          language=style[1],
                          section="", archive_url="https://example.org/a/b.html", original_url="", retrieved="",
                          site="Archives")
    data = citation.to_format(item)
    shaped = citation._through_shape(data, *style)
    if shaped is not None:
        assert shaped == citation._rendered(json.dumps(data, sort_keys=True), *style)


def test_the_default_style_makes_plain_titles_from_their_shape():
    """The comparison above is not empty: ISO 690 writes titles verbatim, so they go through the shape."""
    from annals import citation

    item = citation.Cited(id="a/b", title="Le conseil se réunit", date="2024-06-20", publisher="Agence",
                          author="", language="fr", section="", archive_url="https://example.org/a/b.html", original_url="",
                          retrieved="", site="Archives")
    data = citation.to_format(item)
    assert citation._through_shape(data, "iso690-author-date-fr", "fr") == citation._rendered(
        json.dumps(data, sort_keys=True), "iso690-author-date-fr", "fr")


def test_a_named_author_is_who_the_citations_name(tmp_path, make_sources):
    """A saved page's author (or `author:` in a sidecar) is cited as the author, the site as publisher."""
    import bibtexparser
    import rispy

    from test_webpages import PAGE

    root = make_sources({"conseil.html": PAGE, "depeche.txt": f"/ Monde\nUne dépêche\n{NBSP}Le 3 mai 2024, un fait.\n",
                         "depeche.yaml": "publisher: Agence du Nord\n"})
    site = tmp_path / "site"
    build_sources(root, site)
    documents = {d["source"]: d for d in json.loads((site / "documents.json").read_text(encoding="utf-8"))}
    page = (site / documents["conseil.html"]["url"]).read_text(encoding="utf-8")
    assert '<meta name="citation_author" content="Jean Dupont">' in page
    assert "<dt>Auteur</dt><dd>Jean Dupont</dd>" in page
    items = {i["title"]: i for i in json.loads((site / "citations.json").read_text(encoding="utf-8"))}
    assert items["Le conseil se réunit à Pyongyang"]["author"] == [{"literal": "Jean Dupont"}]
    assert items["Une dépêche"]["author"] == [{"literal": "Agence du Nord"}]  # no author: the agency
    records = {r["title"]: r for r in rispy.loads((site / "citations.ris").read_text(encoding="utf-8"))}
    assert records["Le conseil se réunit à Pyongyang"]["authors"] == ["Jean Dupont"]
    library = bibtexparser.parse_string((site / "citations.bib").read_text(encoding="utf-8"))
    assert {e.fields_dict["author"].value for e in library.entries} == {"{Jean Dupont}", "{Agence du Nord}"}
