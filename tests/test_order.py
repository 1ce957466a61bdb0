"""Order as a reader expects it: names by the Unicode collation, date ranges earliest to latest, a
document's list of dates chronological and without repeats."""
import json
import re

from conftest import NBSP, build_sources


def doc(section: str, title: str, *paragraphs: str) -> str:
    return f"/ {section}\n{title}\n" + "".join(f"{NBSP}{p}\n" for p in paragraphs)


def test_sections_and_entities_sort_as_french_readers_expect(tmp_path, make_sources):
    root = make_sources({
        "a.txt": doc("Tourisme", "Un", "Le 3 mai 2024, Émile Zola arriva."),
        "b.txt": doc("Économie", "Deux", "Le 4 mai 2024, Octave Mirbeau parla à Émile Zola."),
        "c.txt": doc("Actualités", "Trois", "Le 5 mai 2024, Édouard Manet peignit."),
        "d.txt": doc("État", "Quatre", "Le 6 mai 2024, un décret."),
        "e.txt": doc("Culture - Œuvres", "Cinq", "En 2024, une œuvre."),
        "f.txt": doc("Culture - Arts", "Six", "En 2024, un art."),
        "entities.yaml": "".join(f"- name: {n}\n  kind: person\n" for n in ("Octave Mirbeau", "Émile Zola",
                                                                         "Édouard Manet")),
    })
    output = tmp_path / "site"
    build_sources(root, output)
    home = (output / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<a href="[^"]+/index.html">([^<]+)</a> <span class="meta">\d+ documents?</span>', home)
    assert sections == ["Actualités", "Culture", "Arts", "Œuvres", "Économie", "État", "Tourisme"]
    entities = (output / "entities" / "index.html").read_text(encoding="utf-8")
    names = [n for n in re.findall(r">([^<>]+)</a>", entities) if n in ("Octave Mirbeau", "Émile Zola", "Édouard Manet")]
    assert names == ["Édouard Manet", "Émile Zola", "Octave Mirbeau"]


def test_a_documents_dates_read_earliest_to_latest_each_once(tmp_path, make_sources):
    root = make_sources({"a.txt": doc(
        "Monde", "Une année de rencontres",
        "Le 26 décembre 2026, la dernière rencontre eut lieu.",
        "Le 10 octobre 2025, une réunion préparatoire.",
        "En 2025, les contacts reprirent.",
        "Le 3 septembre 2025, un premier accord.",
        "Le 3 septembre 2025, un second texte fut signé le même jour.",
        "En février 2026, une visite.")})
    output = tmp_path / "site"
    build_sources(root, output)
    section = (output / "monde" / "index.html").read_text(encoding="utf-8")
    assert "6 événements · 2025 – 26 décembre 2026" in section
    (document,) = json.loads((output / "documents.json").read_text(encoding="utf-8"))
    page = (output / document["url"]).read_text(encoding="utf-8")
    listed = page.split('id="events-heading"', 1)[1].split("</ol>", 1)[0]
    items = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]
    assert items == ["2025", "3 septembre 2025 (2 passages)", "10 octobre 2025", "février 2026", "26 décembre 2026"]
