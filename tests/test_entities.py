"""The gazetteer: people, places and organisations, their pages, and their mentions in the text."""
import json
import re

from annals.entities import Entity, Matcher, read_gazetteer, segments

from conftest import SEED_FILE, SEEDS

DOC = "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice"
PEOPLE = {  # canonical name → the spellings the seed uses
    "Kim Jong Un": ["Kim Jong Un"], "Vladimir Poutine": ["Poutine"], "Dmitri Medvedev": ["Dmitri Medvedev"],
    "Serguei Choigu": ["Serguei Choigu"], "Serguei Lavrov": ["Serguei Lavrov"], "Olga Lyubimova": ["Olga Lyubimova"],
    "Biatcheslav Volodine": ["Biatcheslav Volodine"], "Xi Jinping": ["Xi Jinping"], "Li Qiang": ["Li Qiang"],
    "Thonglun Sisoulith": ["Thonglun Sisoulith"], "To Lam": ["To Lam"],
}


def seed_paragraphs():
    lines = (SEEDS / SEED_FILE).read_text(encoding="utf-8").split("\n")[2:]
    return [line.strip() for line in lines if line.strip() and line[:1].isspace()]


def entities_json(site):
    return {e["name"]: e for e in json.loads((site / "entities.json").read_text(encoding="utf-8"))}


def test_every_person_of_the_seed_with_each_paragraph_that_names_them(seed_site):
    entities = entities_json(seed_site)
    paragraphs = seed_paragraphs()
    for name, spellings in PEOPLE.items():
        assert entities[name]["kind"] == "person"
        expected = [i + 1 for i, p in enumerate(paragraphs) if any(s in p for s in spellings)]
        assert sorted(m["paragraph"] for m in entities[name]["mentions"]) == expected, name
    people = {name for name, e in entities.items() if e["kind"] == "person"}
    assert people == set(PEOPLE)


def test_mentions_carry_the_event_date_and_anchor(seed_site):
    (lavrov,) = entities_json(seed_site)["Serguei Lavrov"]["mentions"]
    assert (lavrov["date"], lavrov["precision"], lavrov["url"]) == ("2025-07", "month", f"{DOC}.html#2025-07")
    medvedev = entities_json(seed_site)["Dmitri Medvedev"]["mentions"]
    assert [m["url"].split("#")[1] for m in medvedev] == ["2025-10-10", "p-28"]  # dated first, then undated


def test_entity_pages_and_index(seed_site):
    page = (seed_site / "entities/serguei-lavrov.html").read_text(encoding="utf-8")
    assert f'href="../{DOC}.html#2025-07"><time datetime="2025-07">juillet 2025</time>' in page
    index = (seed_site / "entities/index.html").read_text(encoding="utf-8")
    assert index.index("Personnes") < index.index("Pays") < index.index("Villes") < index.index("Partis")
    assert 'href="../entities/kim-jong-un.html">Kim Jong Un</a> <span class="meta">13 mentions' in index


def test_names_are_linked_in_the_text_which_stays_unchanged(seed_site):
    html = (seed_site / f"{DOC}.html").read_text(encoding="utf-8")
    assert '<a class="mention" href="../../entities/serguei-lavrov.html">Serguei Lavrov</a>' in html
    assert '<a class="mention" href="../../entities/vladimir-poutine.html">Vladimir Vladimirovich Poutine</a>' in html


def test_whole_words_longest_first_and_either_apostrophe():
    korea = Entity("Corée", "country", ("Corée",))
    party = Entity("Parti du travail de Corée", "party", ("Parti du travail de Corée",))
    duma = Entity("Douma d’État", "institution", ("Douma d’Etat",))
    matcher = Matcher((korea, party, duma))
    sentence = "La Corée, le peuple coréen, l'amitié coréo-russe, le Parti du travail de Corée et la Douma d'Etat."
    found = [(sentence[start:end], e.name) for start, end, e in matcher.find(sentence)]
    assert found == [("Corée", "Corée"), ("Parti du travail de Corée", "Parti du travail de Corée"),
                     ("Douma d'Etat", "Douma d’État")]
    text = "Vers la Corée."
    assert "".join(s.text for s in segments(text, matcher)) == text


def test_gazetteer_errors_name_the_entry_and_line(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text("- name: Bon\n  kind: person\n- name: Mauvais\n  kind: planet\n- name: Extra\n  kind: city\n"
                    "  colour: blue\n", encoding="utf-8")
    entities, problems = read_gazetteer(path)
    assert [e.name for e in entities] == ["Bon", "Extra"]
    assert (problems[0].line, problems[0].severity) == (3, "error") and "planet" in problems[0].message
    assert "colour" in problems[1].message and problems[1].severity == "warning"
    path.write_text("name: not a list\n", encoding="utf-8")
    assert "list" in read_gazetteer(path)[1][0].message


def test_gazetteer_links_are_http_https_or_mailto_only(tmp_path):
    # javascript:, data: and vbscript: links were written as href on the entity page (only the CSP stopped
    # them), padded or mixed-case variants included.
    gazetteer = tmp_path / "entities.yaml"
    gazetteer.write_text('- name: Paul\n  kind: person\n  links:\n'
                         '    - "javascript:alert(1)"\n    - " JaVaScRiPt:alert(1)"\n    - "java\\tscript:alert(1)"\n'
                         '    - "\\u0001javascript:alert(1)"\n    - "data:text/html,<b>x</b>"\n    - "vbscript:msgbox(1)"\n'
                         '    - "https://ok.example/paul"\n    - "mailto:paul@example.org"\n    - "annuaire/paul"\n',
                         encoding="utf-8")
    (entity,), problems = read_gazetteer(gazetteer)
    assert entity.links == ("https://ok.example/paul", "mailto:paul@example.org")
    assert len(problems) == 7 and all(p.line == 1 and "http, https or mailto" in p.message for p in problems)
    assert all(p.severity == "warning" and "Paul" in p.message for p in problems)


def test_the_names_found_in_one_pass_are_those_trying_each_name_longest_first_finds():
    # The gazetteer's names are matched in one pass by an automaton (10,000 entities took 445 s over 2,000
    # documents when every name was tried at every position): same matches as the plain alternation.
    import random
    import re

    from annals.entities import Matcher

    rng = random.Random(7)
    words = ["Kim", "Jong", "Un", "Il", "Sung", "l'État", "Corée", "du", "Sud", "Nord", "Parti", "Pa", "K"]
    for round_ in range(60):
        names = {" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 90))}
        entities = tuple(Entity(n, "person", (n,)) for n in sorted(names))
        matcher = Matcher(entities)
        plain = re.compile("(?<!\\w)(?:" + "|".join(re.escape(n).replace("'", "['’]")
                                                     for n in sorted(names, key=len, reverse=True)) + ")(?!\\w)")
        for _ in range(20):
            text = " ".join(rng.choice(words + ["la", "l’État", "Kimono", ","]) for _ in range(12))
            assert [(s, e) for s, e, _ in matcher.find(text)] == [m.span() for m in plain.finditer(text)], (names, text)


def test_an_entity_page_reads_each_mention_in_its_words_by_year(tmp_path, make_sources):
    """Every mention with the words around the name (cut between words), grouped by year with a count,
    a bar per year, and the entities most often named beside it."""
    from conftest import NBSP, build_sources

    long_before = " ".join(["avant"] * 40)
    root = make_sources({
        "a.txt": f"/ Monde\nUn\n{NBSP}Le 3 mai 2021, {long_before} Octave Mirbeau parla à Émile Zola de la presse.\n"
                 f"{NBSP}Le 4 mai 2023, Émile Zola écrivit à Octave Mirbeau.\n"
                 f"{NBSP}Sans date, Émile Zola et Édouard Manet se virent.\n",
        "b.txt": f"/ Monde\nDeux\n{NBSP}Le 5 juin 2023, Émile Zola parla seul.\n",
        "entities.yaml": "".join(f"- name: {n}\n  kind: person\n" for n in ("Octave Mirbeau", "Émile Zola",
                                                                         "Édouard Manet")),
    })
    site = tmp_path / "site"
    build_sources(root, site)
    page = (site / "entities" / "emile-zola.html").read_text(encoding="utf-8")
    assert "<mark>Émile Zola</mark> écrivit à Octave Mirbeau." in page
    assert "…avant avant" in page and f"{long_before[:200]}" not in page  # cut between words, marked as cut
    years = re.findall(r'<h3 id="y(\w+)">([^<]+?) <span class="meta">(\d+) mentions?</span>', page)
    assert years == [("2021", "2021", "1"), ("2023", "2023", "2"), ("undated", "non daté", "1")]
    bars = re.findall(r'<a href="#y(\d+)"><rect [^>]*height="(\d+)"', page)
    assert [year for year, _ in bars] == ["2021", "2023"] and int(bars[1][1]) == 2 * int(bars[0][1])
    chart = page.split('id="mentions-chart"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("<rect ") == 2 and ">2021</text>" in chart and ">2023</text>" in chart  # 2022: a gap
    companions = page.split('id="companions-heading"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<>]+)</a> <span class=\"meta\">(\d) paragraph", companions) == [
        ("Octave Mirbeau", "2"), ("Édouard Manet", "1")]
