"""Pages saved from the browser (.html): the article's text and metadata, never the page's scripts."""
import json

from conftest import build_sources

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Le conseil se réunit à Pyongyang — Journal du Nord</title>
<link rel="canonical" href="https://news.example.org/fr/politique/2024/06/conseil.html">
<meta property="og:title" content="Le conseil se réunit à Pyongyang">
<meta property="og:site_name" content="Journal du Nord">
<meta property="article:published_time" content="2024-06-20T08:00:00+09:00">
<meta name="author" content="Jean Dupont">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Le conseil se réunit à Pyongyang", "datePublished": "2024-06-20T08:00:00+09:00",
"articleSection": "Politique"}</script>
<script>window.__pwned = 1</script>
</head><body onload="window.__pwned = 2">
<nav><a href="/">Accueil du site</a> <a href="/fr/politique/">Rubrique politique</a></nav>
<div class="cookie-banner">Nous déposons des témoins de connexion. <button>Accepter</button></div>
<article>
<h1>Le conseil se réunit à Pyongyang</h1>
<p class="byline">Par Jean Dupont, le 20 juin 2024</p>
<p>Le 19 juin 2024, le conseil s'est réuni pour examiner le rapport annuel sur la coopération économique
entre les deux pays voisins.</p>
<h2>Les décisions</h2>
<p>Les membres ont adopté trois résolutions, dont une sur les échanges culturels prévus pour l'automne,
après une longue discussion.</p>
<p onclick="window.__pwned = 3">La prochaine séance aura lieu le 3 juillet 2024 dans la capitale, selon le
communiqué publié mercredi par le secrétariat.</p>
</article>
<aside>Lire aussi : un autre article sans rapport avec celui-ci, sur un tout autre sujet.</aside>
<footer>© Journal du Nord 2024 — Mentions légales — Nous contacter</footer>
</body></html>
"""
CHROME = ("Accueil du site", "Rubrique politique", "témoins de connexion", "Lire aussi", "Mentions légales",
          "Nous contacter", "__pwned")


def built(tmp_path, make_sources, files: dict):
    root = make_sources(files)
    output = tmp_path / "site"
    report = build_sources(root, output)
    documents = {d["source"]: d for d in json.loads((output / "documents.json").read_text(encoding="utf-8"))}
    return report, output, documents


def test_a_saved_page_gives_its_article_and_its_metadata(tmp_path, make_sources):
    report, output, documents = built(tmp_path, make_sources, {"conseil.html": PAGE})
    assert not report.problems, report.problems
    document = documents["conseil.html"]
    assert (document["title"], document["section"], document["language"]) == (
        "Le conseil se réunit à Pyongyang", "Politique", "fr")
    assert document["provenance"] == {"url": "https://news.example.org/fr/politique/2024/06/conseil.html",
                                      "retrieved": "", "publisher": "Journal du Nord", "published": "2024-06-20",
                                      "author": "Jean Dupont"}
    assert document["paragraphs"] == 3
    events = json.loads((output / "events.json").read_text(encoding="utf-8"))
    assert [e["date"] for e in events] == ["2024-06-19", "2024-07-03"]
    page = (output / document["url"]).read_text(encoding="utf-8")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<h2>Les décisions</h2>" in article and "trois résolutions" in article
    for words in CHROME:
        assert words not in article, words


def test_a_sidecar_wins_over_the_pages_own_metadata(tmp_path, make_sources):
    _, _, documents = built(tmp_path, make_sources, {"conseil.html": PAGE,
                                                     "conseil.yaml": "publisher: Agence\nsection: Monde\n"})
    assert documents["conseil.html"]["provenance"]["publisher"] == "Agence"
    assert documents["conseil.html"]["section"] == "Monde"


def test_the_verbatim_copy_of_a_page_is_kept_as_text_never_as_a_page(tmp_path, make_sources):
    _, output, documents = built(tmp_path, make_sources, {"conseil.html": PAGE})
    copy = output / documents["conseil.html"]["source_copy"]
    assert copy.name.endswith(".source.html.txt") and copy.read_bytes() == PAGE.encode("utf-8")
    assert not list(output.rglob("*.source.html"))


def test_a_page_without_an_article_is_reported(tmp_path, make_sources):
    report, _, documents = built(tmp_path, make_sources, {"vide.html": "<html><body><nav>Menu</nav></body></html>"})
    assert "vide.html" not in documents
    (problem,) = [p for p in report.problems if p.path == "vide.html"]
    assert problem.severity == "error" and "no article text" in problem.message


BARE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Une visite à Séoul</title>
<link rel="canonical" href="https://news.example.org/fr/monde/asie/2024/06/visite.html"></head>
<body><article><h1>Une visite à Séoul</h1>
<p>Le 18 juin 2024, la délégation a été reçue par le ministre pour une visite de trois jours dans la ville.</p>
<p>Les entretiens ont porté sur les échanges commerciaux et sur la coopération entre les universités.</p>
</article></body></html>"""
LISTED = BARE.replace("</head>", """<script type="application/ld+json">{"@context": "https://schema.org",
"@type": "BreadcrumbList", "itemListElement": [
{"@type": "ListItem", "position": 2, "name": "International", "item": "https://news.example.org/fr/monde/"},
{"@type": "ListItem", "position": 1, "name": "Accueil", "item": "https://news.example.org/"},
{"@type": "ListItem", "position": 3, "name": "Asie", "item": "https://news.example.org/fr/monde/asie/"},
{"@type": "ListItem", "position": 4, "name": "Une visite à Séoul"}]}</script></head>""")


def test_a_pages_section_comes_from_its_breadcrumb_else_from_its_address(tmp_path, make_sources):
    from captures import PAGES

    report, output, documents = built(tmp_path, make_sources, {
        "quai.html": PAGES["/fr/economie/2024/06/quai.html"], "visite.html": BARE, "listee.html": LISTED})
    assert not report.problems, report.problems
    sections = {name: (d["section"], d["subsection"]) for name, d in documents.items()}
    assert sections == {"quai.html": ("Économie", ""), "visite.html": ("Monde", ""),
                        "listee.html": ("International", "Asie")}
    build_sources(output.parent / "sources", output, url_sections=2)
    documents = {d["source"]: d for d in json.loads((output / "documents.json").read_text(encoding="utf-8"))}
    assert (documents["visite.html"]["section"], documents["visite.html"]["subsection"]) == ("Monde", "Asie")
    build_sources(output.parent / "sources", output, url_sections=0)
    documents = {d["source"]: d for d in json.loads((output / "documents.json").read_text(encoding="utf-8"))}
    assert documents["visite.html"]["section"] == ""


def test_an_address_names_sections_by_its_folders_before_a_date():
    from annals.loader.webpage import url_sections

    assert url_sections("https://news.example.org/fr/politique-etrangere/2024/06/a.html", 1) == (
        "Politique etrangere", "")
    assert url_sections("https://news.example.org/en-gb/world/asia/a.html", 2) == ("World", "Asia")
    assert url_sections("https://news.example.org/article/12345/a.html", 2) == ("Article", "")
    assert url_sections("https://news.example.org/a.html", 2) == ("", "")
    assert url_sections("not an address", 1) == ("", "")
