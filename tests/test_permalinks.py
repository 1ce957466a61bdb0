"""Addresses that never change meaning: a published address keeps leading to the same document."""
import json
import posixpath
import random
import re
import shutil
from pathlib import Path

import pytest

from annals.cache import cache_dir
from annals.cli import main
from annals.permalinks import alias_path
from annals.pipeline import BuildOptions, build

from conftest import NBSP

PARAGRAPH = NBSP + "Le 19 juin 2024, le conseil s'est réuni.\n"


def text(title: str, section: str = "") -> str:
    """A plain-text source: its breadcrumb (the section) if any, title line and one dated paragraph."""
    return (f"/ {section}\n" if section else "") + f"{title}\n{PARAGRAPH}"


def options(root: Path, **more) -> BuildOptions:
    return BuildOptions(source=root / "seeds", output=root / "site", addresses=root / "addresses.json", **more)


def write(root: Path, files: dict) -> None:
    seeds = root / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (seeds / name).write_text(content, encoding="utf-8")


def page_of(site: Path, source: str) -> str:
    """The page address of the document made from `source`, as documents.json says."""
    documents = json.loads((site / "documents.json").read_text(encoding="utf-8"))
    return next(d["url"] for d in documents if d["source"] == source)


def lands_on(site: Path, address: str) -> str:
    """The page a visitor reaches from `address` (following redirect pages), or "" if there is none."""
    for _ in range(5):
        path = site / address
        if not path.is_file():
            return ""
        html = path.read_text(encoding="utf-8")
        moved = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
        if not moved:
            return address
        address = posixpath.normpath(posixpath.join(posixpath.dirname(address), moved.group(1)))
    raise AssertionError(f"redirects loop from {address}")


def test_a_slug_in_front_matter_or_a_sidecar_names_the_page(tmp_path):
    write(tmp_path, {"a.md": "---\ntitle: Un titre\nslug: mon-adresse\n---\n\nLe 19 juin 2024, une réunion.\n",
                     "b.txt": text("Autre titre")})
    (tmp_path / "seeds" / "b.yaml").write_text("slug: Adresse Choisie\n", encoding="utf-8")
    report = build(options(tmp_path))
    assert not report.problems, report.problems
    assert page_of(tmp_path / "site", "a.md") == "unsorted/mon-adresse.html"
    assert page_of(tmp_path / "site", "b.txt") == "unsorted/adresse-choisie.html"


def test_a_newcomer_with_the_same_title_takes_the_suffix(tmp_path):
    write(tmp_path, {"b.txt": text("Même titre")})
    build(options(tmp_path))
    site = tmp_path / "site"
    assert page_of(site, "b.txt") == "unsorted/meme-titre.html"
    write(tmp_path, {"a.txt": text("Même titre")})
    build(options(tmp_path))
    assert page_of(site, "b.txt") == "unsorted/meme-titre.html"
    assert page_of(site, "a.txt") == "unsorted/meme-titre-2.html"


def test_an_edited_title_leaves_a_redirect_at_the_old_address(tmp_path):
    write(tmp_path, {"a.txt": text("Titre avec une faute")})
    build(options(tmp_path, base_url="https://example.org/archive/"))
    site = tmp_path / "site"
    write(tmp_path, {"a.txt": text("Titre sans faute")})
    build(options(tmp_path, base_url="https://example.org/archive/"))
    assert page_of(site, "a.txt") == "unsorted/titre-sans-faute.html"
    old = (site / "unsorted/titre-avec-une-faute.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=titre-sans-faute.html">' in old
    assert '<a id="moved-to" href="titre-sans-faute.html">' in old
    assert '<link rel="canonical" href="https://example.org/archive/unsorted/titre-sans-faute.html">' in old
    assert 'src="../static/redirect.js"' in old
    assert "Titre sans faute" in old
    assert "titre-avec-une-faute" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    # Back to the first title: the page returns to its first address, the second one now redirects.
    write(tmp_path, {"a.txt": text("Titre avec une faute")})
    build(options(tmp_path))
    assert page_of(site, "a.txt") == "unsorted/titre-avec-une-faute.html"
    assert lands_on(site, "unsorted/titre-sans-faute.html") == "unsorted/titre-avec-une-faute.html"


def test_a_move_to_another_section_or_a_new_slug_redirects_too(tmp_path):
    write(tmp_path, {"a.txt": text("Titre")})
    build(options(tmp_path))
    site = tmp_path / "site"
    write(tmp_path, {"a.txt": text("Titre", "Politique")})
    build(options(tmp_path))
    assert page_of(site, "a.txt") == "politique/titre.html"
    write(tmp_path, {"a.yaml": "slug: ailleurs\n"})
    build(options(tmp_path))
    assert page_of(site, "a.txt") == "politique/ailleurs.html"
    for old in ("unsorted/titre.html", "politique/titre.html"):
        assert lands_on(site, old) == "politique/ailleurs.html"


def test_aliases_become_redirects_and_bad_ones_are_named(tmp_path):
    front = "aliases:\n  - /posts/ancienne-adresse/\n  - old/page.html\n  - ../../outside.html\n  - /search.html\n"
    write(tmp_path, {"a.md": f"---\ntitle: Titre\n{front}---\n\nLe 19 juin 2024, une réunion.\n"})
    report = build(options(tmp_path))
    site = tmp_path / "site"
    assert lands_on(site, "posts/ancienne-adresse/index.html") == "unsorted/titre.html"
    assert lands_on(site, "old/page.html") == "unsorted/titre.html"
    assert not (tmp_path / "outside.html").exists()
    assert (site / "search.html").is_file() and lands_on(site, "search.html") == "search.html"
    refused = [(p.path, p.line, p.message) for p in report.warnings]
    assert [(path, line) for path, line, _ in refused] == [("a.md", 6), ("a.md", 7)], refused
    assert "../../outside.html" in refused[0][2] and "/search.html" in refused[1][2]


def test_an_address_held_by_another_document_is_not_given_by_a_slug_or_an_alias(tmp_path):
    write(tmp_path, {"a.txt": text("Premier")})
    build(options(tmp_path))
    write(tmp_path, {"b.txt": text("Second"), "b.yaml": "slug: premier\naliases: [unsorted/premier.html]\n"})
    report = build(options(tmp_path))
    site = tmp_path / "site"
    assert page_of(site, "a.txt") == "unsorted/premier.html"
    assert page_of(site, "b.txt") == "unsorted/premier-2.html"
    assert any(p.path == "b.txt" and "unsorted/premier.html" in p.message and "a.txt" in p.message
               for p in report.warnings), report.warnings


def test_the_record_survives_deleting_the_cache_and_the_site(tmp_path):
    write(tmp_path, {"b.txt": text("Même titre")})
    build(options(tmp_path))
    write(tmp_path, {"a.txt": text("Même titre"), "b.txt": text("Titre corrigé")})
    build(options(tmp_path))
    shutil.rmtree(tmp_path / "site")
    shutil.rmtree(cache_dir(tmp_path / "site"))
    build(options(tmp_path))
    site = tmp_path / "site"
    assert page_of(site, "a.txt") == "unsorted/meme-titre-2.html"
    assert lands_on(site, "unsorted/meme-titre.html") == "unsorted/titre-corrige.html"
    record = json.loads((tmp_path / "addresses.json").read_text(encoding="utf-8"))
    assert record["documents"]["b.txt"]["address"] == "unsorted/titre-corrige.html"
    assert record["documents"]["b.txt"]["former"] == ["unsorted/meme-titre.html"]


def test_without_a_kept_record_the_published_site_is_the_record(tmp_path):
    write(tmp_path, {"b.txt": text("Même titre")})
    plain = BuildOptions(source=tmp_path / "seeds", output=tmp_path / "site")
    build(plain)
    write(tmp_path, {"a.txt": text("Même titre")})
    shutil.rmtree(cache_dir(tmp_path / "site"))
    build(plain)
    assert page_of(tmp_path / "site", "b.txt") == "unsorted/meme-titre.html"
    assert not (tmp_path / "addresses.json").exists()
    assert json.loads((tmp_path / "site" / "addresses.json").read_text(encoding="utf-8"))["documents"]


def test_a_renamed_source_keeps_its_address_and_a_deleted_ones_is_not_reused(tmp_path):
    write(tmp_path, {"a.txt": text("Titre"), "gone.txt": text("Disparu")})
    build(options(tmp_path))
    seeds, site = tmp_path / "seeds", tmp_path / "site"
    (seeds / "a.txt").rename(seeds / "renamed.txt")
    (seeds / "gone.txt").unlink()
    write(tmp_path, {"new.txt": text("Disparu") + NBSP + "Un autre texte.\n"})
    build(options(tmp_path))
    assert page_of(site, "renamed.txt") == "unsorted/titre.html"
    assert page_of(site, "new.txt") == "unsorted/disparu-2.html"
    assert not (site / "unsorted/disparu.html").exists()


def test_a_damaged_record_stops_the_build_naming_file_and_line(tmp_path, capsys):
    write(tmp_path, {"a.txt": text("Titre")})
    (tmp_path / "annals.yaml").write_text("language: fr\n", encoding="utf-8")
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 0
    record = tmp_path / "addresses.json"
    assert json.loads(record.read_text(encoding="utf-8"))["documents"]["a.txt"]["address"] == "unsorted/titre.html"
    before = (tmp_path / "site" / "index.html").read_bytes()
    record.write_text('{"format": 1,\n "documents": {\n  "a.txt": {"address": 7}\n }\n}\n', encoding="utf-8")
    write(tmp_path, {"a.txt": text("Autre titre")})
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "addresses.json:3:" in err and "a.txt" in err and "Traceback" not in err
    assert (tmp_path / "site" / "index.html").read_bytes() == before
    record.write_text("{ not json", encoding="utf-8")
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 2
    assert "addresses.json:1:" in capsys.readouterr().err


def test_the_record_can_be_turned_off(tmp_path):
    write(tmp_path, {"a.txt": text("Titre")})
    (tmp_path / "annals.yaml").write_text('addresses: ""\n', encoding="utf-8")
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 0
    assert not (tmp_path / "addresses.json").exists()


OPERATIONS = ("title", "slug", "section", "twin", "forget cache", "forget site", "delete", "restore")


def test_random_edits_never_leave_a_published_address_dead_or_taken(tmp_path):
    """Title edits, slugs, moves between sections, same-titled newcomers and lost caches in any order:
    every address once published for a document still leads to that document while it exists."""
    rng = random.Random(19)
    titles = ["Même titre", "Autre titre", "Troisième", "Même titre"]
    sources = {f"d{i}.txt": {"title": titles[i], "section": "", "slug": ""} for i in range(4)}
    deleted: dict = {}
    published: dict[str, str] = {}  # address → the source whose page it was
    site = tmp_path / "site"

    def write_all():
        for name, doc in sources.items():
            sidecar = f"slug: {doc['slug']}\n" if doc["slug"] else ""
            write(tmp_path, {name: text(doc["title"], doc["section"]), name[:-4] + ".yaml": sidecar})

    write_all()
    for step in range(40):
        operation = rng.choice(OPERATIONS)
        name = rng.choice(sorted(sources))
        if operation == "title":
            sources[name]["title"] = rng.choice(titles + [f"Titre {step}"])
        elif operation == "slug":
            sources[name]["slug"] = rng.choice(["", "choisi", f"slug-{step}", "meme-titre"])
        elif operation == "section":
            sources[name]["section"] = rng.choice(["", "Politique", "Économie"])
        elif operation == "twin":
            sources[f"n{step}.txt"] = {"title": rng.choice(titles), "section": "", "slug": ""}
        elif operation == "forget cache":
            shutil.rmtree(cache_dir(site), ignore_errors=True)
        elif operation == "forget site":
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(cache_dir(site), ignore_errors=True)
        elif operation == "delete" and len(sources) > 1:
            deleted[name] = sources.pop(name)
            (tmp_path / "seeds" / name).unlink()
            (tmp_path / "seeds" / (name[:-4] + ".yaml")).unlink()
        elif operation == "restore" and deleted:
            back = rng.choice(sorted(deleted))
            sources[back] = deleted.pop(back)
        write_all()
        report = build(options(tmp_path))
        assert report.published and not report.skipped, report.problems
        for source in sources:
            published[page_of(site, source)] = source
        for address, source in published.items():
            if source in sources:
                assert lands_on(site, address) == page_of(site, source), (step, operation, address, source)
            else:  # a deleted document's addresses are kept for it: nothing else is published there
                assert not (site / address).exists(), (step, operation, address, source)


@pytest.mark.parametrize("alias, path", [
    ("/posts/ancien-titre/", "posts/ancien-titre/index.html"),
    ("posts/ancien-titre", "posts/ancien-titre/index.html"),
    ("ancien/page.html", "ancien/page.html"),
    ("/2019.05/Décès.htm", "2019.05/Décès.htm"),
    ("../dehors.html", ""), ("/a/./b.html", ""), ("a//b.html", ""), (".cache/x.html", ""),
    ("search.html", ""), ("/static/x/", ""), ("entities/a.html", ""), ("index.html", ""),
    ("ancien.php", ""), ("a.html/b.html", ""), ("a\\b.html", ""), ("a?b=1", ""), ("a\ud800.html", ""), ("", ""),
])
def test_an_alias_is_a_page_inside_the_site_or_nothing(alias, path):
    assert alias_path(alias) == path


def test_an_events_old_anchor_still_lands_on_its_paragraph_when_its_date_is_read_anew(tmp_path):
    """The same text, its date read differently (a new Annals, a `published:` added): the anchor cited
    before still names the paragraph."""
    write(tmp_path, {"a.txt": text("Titre") + NBSP + "Le 20 juin, la séance a repris.\n"})
    build(options(tmp_path))
    site = tmp_path / "site"
    page = site / page_of(site, "a.txt")
    assert 'id="2024-06-20"' in page.read_text(encoding="utf-8")
    write(tmp_path, {"a.yaml": "published: 2023-07-01\n"})  # "Le 20 juin" is now June 2023
    build(options(tmp_path))
    html = page.read_text(encoding="utf-8")
    assert 'id="2023-06-20"' in html
    old = html.split('id="2024-06-20"', 1)[1]
    assert old.split('class="paragraph"', 1)[1].split("</p>", 1)[0].endswith("Le 20 juin, la séance a repris.")
    # Kept in the record: still there after the cache and the site are lost, not after the text changed.
    shutil.rmtree(site)
    shutil.rmtree(cache_dir(site))
    build(options(tmp_path))
    assert 'id="2024-06-20"' in page.read_text(encoding="utf-8")
    write(tmp_path, {"a.txt": text("Titre") + NBSP + "Le 20 juin, la séance a repris plus tard.\n"})
    build(options(tmp_path))
    assert 'id="2024-06-20"' not in page.read_text(encoding="utf-8")
