"""A real Chromium opens the built site from disk (file://) and follows a citation from the timeline."""
import json
import os
import re
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def missing(what: str):
    """Outside CI a missing browser skips; in CI it fails, so a green run always drove Chromium."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: .ci/run installs it")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        missing("Debian's chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright (pip install -e '.[test]')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_timeline_link_lands_on_the_highlighted_paragraph(seed_site, page):
    page.goto((seed_site / "years" / "2024.html").as_uri())
    assert page.title().startswith("Événements de 2024")
    page.get_by_role("link", name="19 juin 2024").click()
    page.wait_for_url("**/pour-l-independance-et-la-justice.html#2024-06-19")
    target = page.locator(":target")
    assert target.get_attribute("id") == "2024-06-19"
    assert target.locator("p.paragraph").inner_text().startswith("Le 19 juin, le respecté camarade")
    # The paragraph is on screen and highlighted (its background differs from the page's).
    box = target.bounding_box()
    assert 0 <= box["y"] < 900
    background = target.evaluate("e => getComputedStyle(e).backgroundColor")
    body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background not in (body, "rgba(0, 0, 0, 0)")


def test_permalink_appears_on_keyboard_focus(seed_site, page):
    page.goto((seed_site / "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice.html").as_uri())
    link = page.locator('a.permalink[href="#2024-06-19"]')
    assert link.evaluate("e => getComputedStyle(e).opacity") == "0"
    link.focus()
    page.wait_for_function("e => getComputedStyle(e).opacity === '1'", arg=link.element_handle())
    link.press("Enter")
    page.wait_for_url("**#2024-06-19")


def test_home_leads_to_the_document_through_its_section(seed_site, page):
    page.goto((seed_site / "index.html").as_uri())
    page.get_by_role("link", name="Solidarité").first.click()
    page.get_by_role("link", name="Pour l'indépendance et la justice").click()
    assert page.locator("h1").inner_text() == "Pour l'indépendance et la justice"
    assert page.locator(".media-gap").count() == 7


def test_content_security_policy_blocks_inline_script(tmp_path, page):
    """Even a theme that slips an inline script into a page cannot run it: the CSP forbids inline code."""
    from annals.pipeline import BuildOptions, build
    from conftest import SEEDS

    theme = tmp_path / "theme" / "templates"
    theme.mkdir(parents=True)
    base = (SEEDS.parent / "templates" / "404.html").read_text(encoding="utf-8")
    theme.joinpath("404.html").write_text(
        base.replace("{% block main %}", "{% block main %}<script>document.title = 'ran';</script>"),
        encoding="utf-8")
    build(BuildOptions(source=SEEDS, output=tmp_path / "site", theme_root=tmp_path / "theme"))
    page.goto((tmp_path / "site" / "404.html").as_uri())
    assert page.title() != "ran"
    assert "Charter" in page.evaluate("() => getComputedStyle(document.body).fontFamily")


def test_search_from_disk_finds_lavrov_and_follows_to_the_paragraph(seed_site, page):
    page.goto((seed_site / "index.html").as_uri())
    page.fill("#site-search", "Lavrov")
    page.press("#site-search", "Enter")
    first = page.locator("#search-results li").first
    first.wait_for()
    assert page.locator("#search-status").inner_text() == "1 paragraphe trouvé"  # its plural form: below
    assert first.locator("mark").inner_text() == "Lavrov"
    first.locator("a").click()
    page.wait_for_url("**/pour-l-independance-et-la-justice.html#2025-07")
    assert page.locator(":target p.paragraph").inner_text().startswith("Au mois de juillet, il a reçu")


def test_search_folds_accents_case_and_apostrophes(seed_site, page):
    page.goto((seed_site / "search.html").as_uri())
    counts = {}
    for query in ("coree", "CORÉE", "Corée", "assemblee", "l’Assemblée", "l'assemblée", "dialo", "zzzz"):
        page.fill("#search-query", query)
        page.wait_for_function("q => document.getElementById('search-query').value === q", arg=query)
        page.wait_for_timeout(200)
        counts[query] = page.locator("#search-results li").count()
    assert counts["coree"] == counts["CORÉE"] == counts["Corée"] > 5
    page.fill("#search-query", "Corée")
    page.wait_for_function("() => /paragraphes/.test(document.getElementById('search-status').textContent)")
    found = re.fullmatch(r"(\d+) paragraphes trouvés", page.locator("#search-status").inner_text())
    assert found and int(found.group(1)) >= counts["Corée"]  # all of them, of which the first ten are shown
    page.fill("#search-query", "zzzz")
    page.wait_for_function("() => /Aucun/.test(document.getElementById('search-status').textContent)")
    assert counts["assemblee"] == counts["l’Assemblée"] == counts["l'assemblée"] == 1
    assert counts["dialo"] == 1  # the last word is matched as a prefix while typing
    assert counts["zzzz"] == 0
    assert page.locator("#search-status").inner_text() == "Aucun paragraphe ne contient tous ces mots."


def test_python_and_javascript_fold_alike(page, seed_site):
    from annals.folding import fold
    from annals.search import terms
    samples = ["Corée", "ÉTAT d’Été", "Œuvre", "Ça déjà", "Fédération de Russie", "naïve façon", "Łódź 2025", "हिन्दी", "Ǆemal ﬁn"]
    page.goto((seed_site / "search.html").as_uri())
    page.wait_for_function("() => window.annalsSearch")
    folded = page.evaluate("s => s.map(t => t.toLowerCase().normalize('NFD').replace(/\\p{M}/gu, ''))", samples)
    assert folded == [fold(s) for s in samples]
    assert [t for s in samples for t in terms(s)]  # sanity: the samples do yield index terms


def test_timeline_filter_by_entity(seed_site, page):
    page.goto((seed_site / "years" / "2025.html").as_uri())
    events = page.locator(".timeline-event")
    total = events.count()
    assert total == 9
    kinds = page.locator("#filter-entity optgroup").evaluate_all("groups => groups.map(g => g.label)")
    assert kinds[:2] == ["Personnes", "Pays"]  # the choices grouped by kind
    page.select_option("#filter-entity", "xi-jinping")
    visible = page.locator(".timeline-event:visible")
    assert visible.count() == 1 and "4 septembre 2025" in visible.inner_text()
    assert page.locator("#filter-count").inner_text() == "1 événement affiché"
    assert page.url.endswith("#entity=xi-jinping")
    page.select_option("#filter-entity", "kim-jong-un")
    shown = page.locator(".timeline-event:visible").count()
    assert shown > 1 and page.locator("#filter-count").inner_text() == f"{shown} événements affichés"
    page.select_option("#filter-entity", "")
    assert page.locator(".timeline-event:visible").count() == total


def test_search_across_blocks_finds_every_paragraph_and_its_page(tmp_path, page):
    """A big archive's index is split in blocks; the browser must merge them and find each paragraph."""
    import corpus
    from annals import search
    from annals.pipeline import BuildOptions, build
    from annals.loader import load_archive

    source = corpus.write(tmp_path / "sources", 60)
    search.BLOCK_DOCUMENTS = 8  # 60 documents in 8 blocks, as 15,000 would be
    try:
        build(BuildOptions(source=source, output=tmp_path / "site", workers=1))
    finally:
        search.BLOCK_DOCUMENTS = 2048
    (meta,) = json.loads("[" + (tmp_path / "site/search/meta.js").read_text(encoding="utf-8")[len("annalsSearch.meta("):-3] + "]")
    assert max(len(blocks) for blocks in meta["shards"].values()) == 8
    documents = load_archive(source).documents
    page.goto((tmp_path / "site" / "search.html").as_uri())
    page.wait_for_function("() => window.annalsSearch")
    for word in ("traité", "coopération paix", "anniversaire"):
        wanted = [set(search.terms(word)) <= set(search.terms(b.text)) for d in documents for b in d.paragraphs]
        wanted += [set(search.terms(word)) <= set(search.terms(search.heading_text(d))) for d in documents]
        found = page.evaluate("q => annalsSearch.query(q, 1000)", word)
        assert found["total"] == sum(wanted) > 0, word
        for result in found["results"]:
            if result["anchor"]:
                assert set(search.terms(word)) <= set(search.terms(result["text"]))
                assert result["url"].split("#")[1] == result["anchor"]
            else:  # a match in a title, breadcrumb or heading: the document's page itself
                assert "#" not in result["url"] and result["text"]


def test_an_old_address_leads_to_the_same_paragraph_from_disk(tmp_path, page):
    from annals.pipeline import BuildOptions, build

    seeds, site = tmp_path / "seeds", tmp_path / "site"
    seeds.mkdir()
    body = "\u00a0\u00a0 Le 19 juin 2024, le conseil s'est réuni.\n"
    (seeds / "a.txt").write_text("Titre avec une faute\n" + body, encoding="utf-8")
    build(BuildOptions(source=seeds, output=site))
    (seeds / "a.txt").write_text("Titre corrigé\n" + body, encoding="utf-8")
    build(BuildOptions(source=seeds, output=site))
    page.goto((site / "unsorted/titre-avec-une-faute.html").as_uri() + "#2024-06-19")
    page.wait_for_url("**/unsorted/titre-corrige.html#2024-06-19")
    assert page.locator(":target").get_attribute("id") == "2024-06-19"


def test_permalinks_are_there_on_a_touch_screen(seed_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((seed_site / "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice.html").as_uri())
    link = page.locator('a.permalink[href="#2024-06-19"]')
    assert link.evaluate("e => getComputedStyle(e).opacity") == "1"
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 24  # room for a finger
    link.tap()
    page.wait_for_url("**#2024-06-19")
    context.close()


def test_a_printed_page_shows_each_paragraphs_id_and_the_pages_address(seed_site, page):
    page.emulate_media(media="print")
    page.goto((seed_site / "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice.html").as_uri())
    marker = page.evaluate("() => getComputedStyle(document.getElementById('p-2'), '::before').content")
    assert marker.replace(" ", "") in ('"#"attr(id)', '"#p-2"'), marker
    anchor = page.evaluate("() => getComputedStyle(document.querySelector('a.permalink'), '::after').content")
    assert "attr(href)" in anchor.replace(" ", "") or anchor.startswith('"#'), anchor
    address = page.locator(".document-facts .print-only")
    assert address.is_visible() and "pour-l-independance-et-la-justice.html" in address.inner_text()
    page.emulate_media(media="screen")
    assert not address.is_visible()


def test_the_cite_box_copies_and_downloads_with_the_readers_date(tmp_path, browser):
    import datetime

    import bibtexparser
    import rispy

    from annals.pipeline import BuildOptions, build

    seeds, site = tmp_path / "seeds", tmp_path / "site"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Un titre\n\u00a0\u00a0 Le 19 juin 2024, une réunion.\n", encoding="utf-8")
    (seeds / "a.yaml").write_text("publisher: Agence\npublished: 2024-06-20\n", encoding="utf-8")
    build(BuildOptions(source=seeds, output=site, base_url="https://example.org/archive/"))
    context = browser.new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto((site / "unsorted/un-titre.html").as_uri())
    today = datetime.date.today()
    page.locator("#cite > summary").click()
    page.locator("#cite [data-copy]").click()
    page.locator("#cite .cite-status").get_by_text("Citation copiée.").wait_for()
    copied = " ".join(page.evaluate("navigator.clipboard.readText()").split())  # no-break spaces as spaces
    assert copied.startswith("AGENCE, 2024. Un titre. Agence [en ligne]. 20 juin 2024.")
    assert f"[Consulté le {today.day} " in copied and f"{today.year}]" in copied and "@today@" not in copied
    with page.expect_download() as bib:
        page.locator("#cite [data-download$='.bib']").click()
    assert bib.value.suggested_filename == "un-titre.bib"
    (entry,) = bibtexparser.parse_file(bib.value.path()).entries
    assert entry["urldate"] == today.isoformat() and entry["url"] == "https://example.org/archive/unsorted/un-titre.html"
    with page.expect_download() as record:
        page.locator("#cite [data-download$='.ris']").click()
    (ris,) = rispy.load(record.value.path())
    assert ris["access_date"] == today.strftime("%Y/%m/%d") and ris["title"] == "Un titre"
    with page.expect_download() as data:
        page.locator("#cite [data-download$='.json']").click()
    (item,) = json.loads(open(data.value.path(), encoding="utf-8").read())
    assert item["accessed"] == {"raw": today.isoformat()}
    context.close()


def test_no_script_of_a_saved_page_runs_in_the_archive(tmp_path, page):
    from annals.pipeline import BuildOptions, build
    from test_webpages import PAGE

    seeds, site = tmp_path / "seeds", tmp_path / "site"
    seeds.mkdir()
    (seeds / "conseil.html").write_text(PAGE, encoding="utf-8")
    build(BuildOptions(source=seeds, output=site))
    (document,) = json.loads((site / "documents.json").read_text(encoding="utf-8"))
    for address in (document["url"], document["source_copy"]):
        page.goto((site / address).as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", address
    assert "window.__pwned = 1" in page.locator("body").inner_text()  # the copy shows the markup as text


def test_no_script_of_a_captured_page_runs_in_the_archive(tmp_path, page):
    from annals.pipeline import BuildOptions, build
    from captures import capture

    seeds, site = tmp_path / "seeds", tmp_path / "site"
    seeds.mkdir()
    capture(seeds / "gazette.warc.gz", ["/fr/economie/2024/06/quai.html"])
    build(BuildOptions(source=seeds, output=site))
    (document,) = json.loads((site / "documents.json").read_text(encoding="utf-8"))
    assert document["provenance"]["capture"]
    for address in (document["url"], document["source_copy"]):
        page.goto((site / address).as_uri())
        page.wait_for_load_state("load")
        page.mouse.click(5, 5)
        assert page.evaluate("typeof window.__pwned") == "undefined", address
    assert "window.__pwned = 1" in page.locator("body").inner_text()  # the copy shows the markup as text


DOCUMENT_PAGE = "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice.html"


@pytest.mark.parametrize("width", [1280, 1920])
def test_pages_keep_a_date_gutter_only_where_they_have_dates(seed_site, browser, width):
    """Home, search and entity pages start their text where the header starts; a dated document keeps
    its dates in a gutter left of its text, and on a wide screen its list of dates beside the text."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()

    def left(selector: str) -> float:
        return page.locator(selector).first.bounding_box()["x"]

    for address in ("index.html", "search.html", "entities/index.html", "timeline.html"):
        page.goto((seed_site / address).as_uri())
        assert abs(left("main h1") - left(".site-title")) < 2, address
    page.goto((seed_site / DOCUMENT_PAGE).as_uri())
    text, date = left(".document h1"), page.locator(".event-date").first.bounding_box()
    assert date["x"] + date["width"] < text and date["x"] >= left(".site-title") - 2
    events, article = page.locator(".document-events").bounding_box(), page.locator(".document").bounding_box()
    if width >= 1700:  # 100rem: the list of dates beside the text, at its top
        assert events["x"] > article["x"] + article["width"] and events["y"] < article["y"] + 200
    else:
        assert events["y"] > article["y"] + article["height"]
    context.close()


def test_an_entity_page_highlights_the_name_in_each_excerpt(seed_site, page):
    page.goto((seed_site / "entities" / "serguei-lavrov.html").as_uri())
    marks = page.locator(".excerpt mark")
    assert marks.count() == 1 and marks.first.inner_text() == "Serguei Lavrov"
    shade = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert shade != paper and shade != "rgba(0, 0, 0, 0)"
    excerpt = page.locator(".excerpt").first.inner_text()
    assert len(excerpt) > len("Serguei Lavrov") + 40  # the words around the name, not the name alone
    page.locator(".chart a").first.click()  # the year's bar leads to the year's mentions
    assert page.evaluate("location.hash") == "#y2025"


def test_the_timeline_bars_lead_to_their_year_and_month(seed_site, page):
    page.goto((seed_site / "timeline.html").as_uri())
    assert page.locator(".timeline-event").count() == 0  # an overview: the events are on the year pages
    page.locator("#years-chart a").nth(3).click()  # 2021, 2023, 2024, 2025: the fourth bar
    page.wait_for_url("**/years/2025.html")
    assert page.locator("h1").inner_text() == "Événements de 2025"
    page.goto((seed_site / "timeline.html").as_uri())
    page.locator("#months-2024 a").first.click()  # 2024 has events in June only
    page.wait_for_url("**/years/2024.html#m2024-06")
    assert page.locator(":target").inner_text() == "juin 2024"
    page.goto((seed_site / "timeline.html").as_uri())
    table = page.locator("table.visually-hidden")  # the same counts for a screen reader
    rows = table.locator("tbody tr")
    assert rows.count() == 4 and rows.first.locator("th").inner_text() == "2021"
    assert rows.first.locator("td").evaluate_all("cells => cells.map(c => c.textContent)") == (
        ["1"] + [""] * 11 + ["", "1"])  # January 2021, nothing else; no whole-year event; 1 in all


def test_every_search_result_is_reachable_and_the_address_says_what_was_asked(tmp_path, page):
    import corpus
    from annals.pipeline import BuildOptions, build

    build(BuildOptions(source=corpus.write(tmp_path / "sources", 60), output=tmp_path / "site"))
    page.goto((tmp_path / "site" / "search.html").as_uri())
    assert page.locator("input[type=search]").count() == 1  # the page's own box, not the header's too
    page.fill("#search-query", "rencontre")
    page.wait_for_function("() => /trouvés/.test(document.getElementById('search-status').textContent)")
    total = int(re.sub(r"\D", "", page.locator("#search-status").inner_text()))
    assert total >= 200
    assert page.evaluate("new URL(location.href).searchParams.get('q')") == "rencontre"
    while page.locator("#search-more").is_visible():
        shown = page.locator("#search-results li").count()
        page.locator("#search-more").click()
        page.wait_for_function("n => document.querySelectorAll('#search-results li').length > n", arg=shown)
    assert page.locator("#search-results li").count() == total  # paged 20 at a time to the last one
    links = page.locator("#search-results li > a").evaluate_all("links => links.map(a => a.href)")
    assert len(set(links)) == total
    dated = page.locator("#search-results li", has=page.locator("a[href*='#1'], a[href*='#2']")).first
    place = dated.locator(".result-place").inner_text()
    assert re.match(r"^(Politique|Culture|Économie|Société) › \w+ · \d{1,2} \w+ \d{4}$", place), place
    excerpts = page.locator("#search-results .excerpt").evaluate_all("ps => ps.map(p => p.textContent)")
    for text in excerpts:  # cut between words: a cut ends with a whole word, then the ellipsis
        assert not text.endswith(" …") or re.search(r"\w …$", text)
    page.reload()
    page.wait_for_function("() => /trouvés/.test(document.getElementById('search-status').textContent)")
    assert page.locator("#search-query").input_value() == "rencontre"  # the address gives the search back


def test_a_section_name_finds_its_documents_first(seed_site, page):
    page.goto((seed_site / "search.html").as_uri() + "?q=coree")
    first = page.locator("#search-results li").first
    first.wait_for()
    assert first.locator("a").get_attribute("href").endswith("pour-l-independance-et-la-justice.html")
    assert first.locator(".excerpt mark").first.inner_text() == "Corée"  # in its breadcrumb


def test_search_facets_combine_and_come_back_from_the_address(tmp_path, page):
    """A query kept to a section, a range of years and the paragraphs naming an entity finds exactly the
    paragraphs that are all of these; the address holds the facets and gives them back."""
    import corpus
    from annals.pipeline import BuildOptions, build

    source = corpus.write(tmp_path / "sources", 60)
    (source / "entities.yaml").write_text("- name: délégation\n  kind: organisation\n", encoding="utf-8")
    build(BuildOptions(source=source, output=tmp_path / "site"))
    site = tmp_path / "site"
    events = json.loads((site / "events.json").read_text(encoding="utf-8"))
    documents = {d["url"]: d for d in json.loads((site / "documents.json").read_text(encoding="utf-8"))}
    from annals.search import terms
    wanted = {e["url"] for e in events if documents[e["url"].split("#")[0]]["section"] == "Politique"
              and 1980 <= int(e["date"][:4]) <= 2010 and "délégation" in e["text"] and "paix" in terms(e["text"])}
    assert len(wanted) > 3
    page.goto(site.joinpath("search.html").as_uri() + "?q=paix&section=politique&year=1980-2010&entity=delegation")
    page.wait_for_function("() => /trouvés?/.test(document.getElementById('search-status').textContent)")
    assert page.locator("#facet-section").input_value() == "politique"
    assert (page.locator("#facet-from").input_value(), page.locator("#facet-to").input_value()) == ("1980", "2010")
    assert page.locator("#facet-entity").input_value() == "delegation"
    found = page.evaluate("() => annalsSearch.query('paix', 1000, 0, {section: 'politique', from: 1980, to: 2010, "
                          "entity: 'delegation'})")
    root = site.as_uri() + "/"
    assert {r["url"][len(root):] for r in found["results"]} == wanted and found["total"] == len(wanted)
    assert page.locator("#search-results li").count() == min(len(wanted), 20)
    page.select_option("#facet-section", "")  # a facet changed: the address follows
    page.wait_for_function("() => !new URL(location.href).searchParams.has('section')")
    assert page.evaluate("new URL(location.href).searchParams.get('year')") == "1980-2010"


def stem_groups_agree(page, site):
    """The terms the page finds for each term of the index are those of its Snowball stem (Python's)."""
    import snowballstemmer

    from annals.search import shard_key

    stem = snowballstemmer.stemmer("french").stemWord
    files = sorted(p.name for p in (site / "search").glob("t-*.js"))
    page.goto((site / "search.html").as_uri())
    page.wait_for_function("() => window.annalsSearch")
    page.evaluate("""files => Promise.all(files.map(f => new Promise(done => {
        const s = document.createElement('script'); s.src = 'search/' + f; s.onload = done;
        document.head.appendChild(s); }))).then(() => new Promise(done => {
        const s = document.createElement('script'); s.src = 'search/meta.js'; s.onload = done;
        document.head.appendChild(s); }))""", files)
    terms = page.evaluate("() => [].concat(...Object.values(annalsSearch.shards).map(blocks => "
                          "[].concat(...Object.values(blocks).map(Object.keys))))")
    terms = sorted({t for t in terms if t[:1] not in "§#@"})
    found = page.evaluate("terms => terms.map(t => annalsSearch.sameStem(t).sort())", terms)
    for term, forms in zip(terms, found):
        expected = sorted(u for u in terms if stem(u) == stem(term) and shard_key(u) == shard_key(term))
        assert forms == expected, term
    return len(terms)


def test_page_and_index_agree_on_every_words_stem(seed_site, tmp_path, page):
    import corpus
    from annals.pipeline import BuildOptions, build

    assert stem_groups_agree(page, seed_site) > 300
    build(BuildOptions(source=corpus.write(tmp_path / "sources", 40), output=tmp_path / "site"))
    assert stem_groups_agree(page, tmp_path / "site") > 30


def test_a_word_finds_its_other_forms(seed_site, page):
    page.goto((seed_site / "search.html").as_uri() + "?q=coopérations")
    page.wait_for_function("() => /trouvés?/.test(document.getElementById('search-status').textContent)")
    marks = page.locator("#search-results mark").evaluate_all("ms => ms.map(m => m.textContent.toLowerCase())")
    assert "coopération" in marks  # the singular, which the query does not spell


def test_sections_read_in_french_order_in_the_browser(tmp_path, page):
    from annals.pipeline import BuildOptions, build

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number, section in enumerate(["Tourisme", "Économie", "Actualités", "État", "Échanges", "Culture"]):
        (seeds / f"{number}.txt").write_text(f"/ {section}\nTitre {number}\n\u00a0\u00a0 En 2024, un fait.\n",
                                             encoding="utf-8")
    build(BuildOptions(source=seeds, output=tmp_path / "site"))
    page.goto((tmp_path / "site" / "index.html").as_uri())
    shown = page.locator(".section-list > li > a").evaluate_all("links => links.map(a => a.textContent)")
    assert shown == ["Actualités", "Culture", "Échanges", "Économie", "État", "Tourisme"]
