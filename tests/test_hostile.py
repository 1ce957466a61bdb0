"""Bad and hostile sources: each gets its message, the rest of the archive builds, nothing reaches readers."""
import json
import re
from html.parser import HTMLParser

import pytest

from annals.linkcheck import check_links

from conftest import SEEDS, SEED_FILE, build_sources
from hostile import write_corpus


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    sources = root / "sources"
    expected = write_corpus(sources)
    (sources / SEED_FILE).write_bytes((SEEDS / SEED_FILE).read_bytes())
    before = {p.name: p.read_bytes() for p in sources.iterdir() if p.is_file() and not p.is_symlink()}
    output = root / "site"
    report = build_sources(sources, output)
    after = {p.name: p.read_bytes() for p in sources.iterdir() if p.is_file() and not p.is_symlink()}
    assert before == after, "a source was modified"
    return expected, report, output


def messages_for(report, name):
    return [p for p in report.problems if p.path == name or p.path == name.rsplit(".", 1)[0] + ".yaml"]


def test_every_bad_input_gets_its_message(hostile_build):
    expected, report, output = hostile_build
    built = {d["source"] for d in json.loads((output / "documents.json").read_text(encoding="utf-8"))}
    for name, expect in expected.items():
        problems = messages_for(report, name)
        if expect.outcome == "built":
            assert name in built and not problems, (name, [str(p) for p in problems])
            continue
        assert problems, f"{name}: no message"
        problem = problems[0]
        assert expect.says.lower() in problem.message.lower(), (name, str(problem))
        if expect.line:
            assert problem.line == expect.line, (name, str(problem))
        if expect.outcome == "skipped":
            assert name not in built and problem.severity == "error", name
        else:
            assert name in built and problem.severity == "warning", name


def test_the_report_lists_every_skipped_file(hostile_build):
    expected, report, output = hostile_build
    on_disk = json.loads((output / "build-report.json").read_text(encoding="utf-8"))
    skipped = {name for name, e in expected.items() if e.outcome == "skipped"}
    assert {s["file"] for s in on_disk["skipped"]} == skipped
    assert all(s["message"] for s in on_disk["skipped"])


def test_the_rest_of_the_archive_builds_and_links_resolve(hostile_build):
    _, report, output = hostile_build
    assert report.published
    assert (output / "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice.html").is_file()
    assert check_links(output) == []


OWN_REDIRECT = re.compile(r"^0; url=(\.\./)*[\w./-]+\.html$")  # a moved page's, to a page of the site
OWN_SCRIPT = re.compile(r"^(\.\./)*static/(search|timeline|cite|redirect)\.js$")
OWN_FORM = re.compile(r"^(\.\./)*search\.html$")
OWN_CHART = re.compile(r"^(mentions-chart|years-chart|months-\d{4})-title$")


class Dangerous(HTMLParser):
    """Collects what a browser would run or follow: scripts, handlers, javascript: URLs, refreshes."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.data_block = None  # text of the JSON-LD block being read

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json" and not self.data_block:
            self.data_block = []  # data, not code: it must parse as JSON, checked at its end tag
            return
        if tag == "script" and OWN_SCRIPT.match(dict(attrs).get("src") or ""):
            return  # the site's own code, a file in static/
        if tag == "form" and OWN_FORM.match(dict(attrs).get("action") or ""):
            return  # the site's search box
        if tag == "svg" and OWN_CHART.match(dict(attrs).get("aria-labelledby") or ""):
            return  # the site's own bar charts (made at build time from counts, never from source text)
        if tag in ("script", "iframe", "object", "embed", "style", "svg", "img", "base", "form"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")
            if tag == "meta" and name == "http-equiv" and value == "refresh" and not OWN_REDIRECT.match(
                    dict(attrs).get("content") or ""):
                self.found.append("meta refresh")

    def handle_data(self, data):
        if self.data_block is not None:
            self.data_block.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.data_block is not None:
            json.loads("".join(self.data_block))
            self.data_block = None


def test_no_script_handler_or_dangerous_url_reaches_a_page(hostile_build):
    _, _, output = hostile_build
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        parser = Dangerous()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], (page.name, parser.found)


def test_template_syntax_in_sources_is_shown_not_run(hostile_build):
    _, _, output = hostile_build
    text = "".join(p.read_text(encoding="utf-8") for p in output.rglob("*.html"))
    assert "{{ 7*7 }}" in text


def test_output_stays_inside_the_site_folder(hostile_build):
    _, _, output = hostile_build
    siblings = {p.name for p in output.parent.iterdir()}
    assert siblings == {"sources", "site", ".site.annals-cache", "outside-secret.txt", "outside-sidecar.yaml"}
    for path in output.rglob("*"):
        assert path.resolve().is_relative_to(output.resolve())


GOOD = "/ Rubrique\nUn titre\n\u00a0\u00a0 Le 21 juin 2024, un paragraphe daté.\n"


def test_a_sidecar_linked_outside_the_source_folder_is_not_read(tmp_path, make_sources):
    # Issue 18, item 1: the report said "not followed", yet the sidecar's title was published everywhere.
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: Titre venu d'ailleurs\n", encoding="utf-8")
    root = make_sources({"good.txt": GOOD})
    (root / "good.yaml").symlink_to(outside)
    report = build_sources(root, tmp_path / "site")
    site = tmp_path / "site"
    assert "venu d" not in (site / "index.html").read_text(encoding="utf-8")
    assert "venu d" not in (site / "documents.json").read_text(encoding="utf-8")
    assert any(p.path == "good.yaml" and "outside the source folder" in p.message for p in report.problems)


def test_pipes_in_the_source_folder_are_refused_not_waited_on(tmp_path, make_sources):
    # Issue 18, item 2: `mkfifo seeds/pipe.txt` hung the build forever; a pipe named entities.yaml or as a
    # sidecar was silently ignored.
    import os
    import subprocess
    import sys

    root = make_sources({"good.txt": GOOD, "other.txt": GOOD.replace("Un titre", "Autre titre")})
    os.mkfifo(root / "pipe.txt")
    os.mkfifo(root / "other.yaml")
    os.mkfifo(root / "entities.yaml")
    done = subprocess.run([sys.executable, "-m", "annals", "build", "--source", str(root), "--output",
                           str(tmp_path / "site")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "pipe.txt: error: pipe.txt is not a regular file" in done.stderr
    assert "other.yaml: warning: other.yaml is not a regular file" in done.stderr
    assert "entities.yaml: error: entities.yaml is not a regular file" in done.stderr
    built = {d["source"] for d in json.loads((tmp_path / "site" / "documents.json").read_text(encoding="utf-8"))}
    assert built == {"good.txt", "other.txt"}


def test_a_file_over_the_size_limit_is_refused_with_its_size(tmp_path):
    """The limit is a setting (`max_file_size`, in MiB); sources, sidecars and the gazetteer over it are
    named in the report and left out."""
    from annals.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    big = GOOD + "\u00a0\u00a0 " + "mot " * 300_000 + "\n"  # 1.2 MB
    (seeds / "good.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "big.txt").write_text(big, encoding="utf-8")
    (seeds / "other.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "other.yaml").write_text("publisher: " + "x" * 1_200_000 + "\n", encoding="utf-8")
    (seeds / "entities.yaml").write_text("- name: Corée\n  kind: country\n  description: " + "x" * 1_200_000
                                         + "\n", encoding="utf-8")
    (tmp_path / "annals.yaml").write_text("max_file_size: 1\n", encoding="utf-8")
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 1
    report = json.loads((tmp_path / "site" / "build-report.json").read_text(encoding="utf-8"))
    problems = {p["file"]: p["message"] for p in report["skipped"] + report["warnings"]}
    assert f"larger than 1 MiB ({len(big.encode())} bytes)" in problems["big.txt"], problems
    assert "larger than 1 MiB" in problems["other.yaml"] and "larger than 1 MiB" in problems["entities.yaml"]
    (tmp_path / "annals.yaml").write_text("max_file_size: 2\n", encoding="utf-8")
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 0
    (tmp_path / "annals.yaml").write_text("max_file_size: 0\n", encoding="utf-8")
    assert main(["build", "--root", str(tmp_path), "--quiet"]) == 2


def test_control_characters_and_lone_surrogates_from_yaml_are_shown_as_replacement_and_warned(tmp_path,
                                                                                             make_sources):
    # Issue 18, items 3 and 7: "\ud800" in a title stopped the whole archive with a UnicodeEncodeError
    # traceback; "\u0001" in a publisher reached 17 pages and made feed.xml invalid, without a warning.
    import xml.etree.ElementTree as ElementTree

    from annals.cli import main

    root = make_sources({"a.md": '---\ntitle: "Surrogate \\ud800 here"\n---\nLe 21 juin 2024, un texte.\n',
                         "b.txt": GOOD, "b.yaml": 'publisher: "Agence \\u0001 X"\n',
                         "entities.yaml": '- name: Paul\n  kind: person\n  description: "Un \\u0002 homme"\n'})
    output = tmp_path / "site"
    assert main(["build", "--source", str(root), "--output", str(output), "--base-url", "https://e.example/"]) == 0
    ElementTree.parse(output / "feed.xml")  # well-formed
    documents = json.loads((output / "documents.json").read_text(encoding="utf-8"))
    assert {d["title"] for d in documents} == {"Surrogate \ufffd here", "Un titre"}
    warnings = json.loads((output / "build-report.json").read_text(encoding="utf-8"))["warnings"]
    said = {(w["file"], w["message"].split(" holds")[0]) for w in warnings if "cannot show" in w["message"]}
    assert said == {("a.md", "metadata key 'title'"), ("b.yaml", "metadata key 'publisher'"),
                    ("entities.yaml", "entry 'Paul': description")}


def test_a_lone_surrogate_in_annals_yaml_stops_with_file_line_and_key(tmp_path, make_sources, capsys):
    from annals.cli import main

    make_sources({"good.txt": GOOD})
    (tmp_path / "annals.yaml").write_text('source: sources\ntitle: "Archive \\ud800"\n', encoding="utf-8")
    assert main(["build", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "annals.yaml:2: title:" in err and "cannot show" in err and "Traceback" not in err


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"


def test_yaml_aliases_are_refused_where_a_few_lines_could_expand_to_gigabytes(tmp_path, make_sources, capsys):
    # Issue 18, item 4: an alias bomb in annals.yaml or entities.yaml took minutes and gigabytes, as the
    # error messages printed the expanded value.
    from annals.cli import main
    from annals.entities import read_gazetteer

    root = make_sources({"good.txt": GOOD, "bad.txt": GOOD, "bad.yaml": BOMB})
    (tmp_path / "annals.yaml").write_text("source: sources\n" + BOMB, encoding="utf-8")
    assert main(["build", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "annals.yaml:3" in err and "aliases" in err
    (tmp_path / "annals.yaml").write_text("source: sources\ntitle: &t Archive\ndescription: *t\n", encoding="utf-8")
    assert main(["build", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "annals.yaml:3" in err and "aliases" in err

    (tmp_path / "annals.yaml").write_text("source: sources\n", encoding="utf-8")
    (root / "entities.yaml").write_text("- name: &n Paul\n  kind: person\n- name: *n\n  kind: person\n", encoding="utf-8")
    _, problems = read_gazetteer(root / "entities.yaml")
    assert problems[0].line == 3 and "aliases" in problems[0].message
    assert main(["build", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:2: error:" in err and "aliases" in err and "x, x" not in err


@pytest.mark.parametrize("text, refused", [
    ("a: &x [1, 2]\nb: *x\n", True), ("a: &x 1\nb: [*x, *x]\n", True), ("a: &x 1\nb: {c: *x}\n", True),
    ("- &x 1\n- *x\n", True), ("a: &x 1\nb:\n  - *x\n", True),
    ("title: 5 * 3 = 15\n", False), ("title: '*star*'\n", False), ("note: a*b\n", False),
])
def test_aliases_are_refused_wherever_they_stand_and_stars_elsewhere_are_text(text, refused):
    import yaml

    from annals import yamlsafe

    if refused:
        with pytest.raises(yaml.YAMLError, match="aliases"):
            yamlsafe.load(text)
    else:
        assert yamlsafe.load(text) == yaml.safe_load(text)


def _nested(depth: int, flow: bool, indent: int = 0) -> str:
    """A value of lists inside lists `depth` levels down, in flow style or, under a key indented by
    `indent`, one level per line."""
    if flow:
        return "[" * depth + "]" * depth
    return "".join("\n" + " " * (indent + 2 + 2 * level) + "-" for level in range(depth)) + " x"


@pytest.mark.parametrize("flow", [True, False])
def test_yaml_nested_too_deeply_is_refused_with_its_line_not_a_traceback(tmp_path, make_sources, capsys, flow):
    # Lists nested a few thousand levels deep in a sidecar, front matter, the gazetteer or annals.yaml
    # raised RecursionError out of PyYAML: a traceback, nothing published.
    from annals.cli import main
    from annals.entities import read_gazetteer

    from annals.yamlsafe import MAX_DEPTH

    deep = _nested(1500, flow)
    root = make_sources({"good.txt": GOOD, "bad.txt": GOOD, "bad.yaml": f"title: Un titre\nsubject: {deep}\n",
                         "front.md": f"---\nsubject: {deep}\n---\nLe 21 juin 2024, un texte.\n",
                         "entities.yaml": f"- name: Paul\n  kind: person\n  description: {_nested(1500, flow, 2)}\n"})
    # The line of the first list too deep: on the key's line in flow style, a level a line below it else.
    line = (lambda key_line: key_line if flow else MAX_DEPTH + 2)
    entities, problems = read_gazetteer(root / "entities.yaml")
    assert entities == () and problems[0].line == line(3) and "nested" in problems[0].message
    assert main(["build", "--root", str(tmp_path), "--source", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RecursionError" not in err
    assert f"bad.yaml:{line(2)}: error:" in err and "nested" in err
    assert f"front.md:{line(2)}: error:" in err and "entities.yaml" in err
    assert (tmp_path / "site" / "index.html").is_file()
    (tmp_path / "annals.yaml").write_text(f"source: sources\ntitle: {deep}\n", encoding="utf-8")
    assert main(["build", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"annals.yaml:{line(2)}:" in err and "nested" in err and "Traceback" not in err


def test_yaml_nested_as_deep_as_an_archive_needs_is_read():
    from annals import yamlsafe

    assert yamlsafe.load(f"a: {_nested(40, True)}\n") == {"a": json.loads(_nested(40, True))}


def test_markdown_nested_too_deeply_keeps_its_text_and_names_its_line(tmp_path, make_sources, capsys):
    # A Markdown list nested 400 levels deep raised RecursionError out of Python-Markdown, in the worker
    # reading the file: a traceback, and the whole build stopped.
    from annals.cli import main

    deep = "".join("    " * level + f"- niveau {level}\n" for level in range(400))
    root = make_sources({"good.txt": GOOD, "deep.md": f"# Une liste profonde\n\nLe 21 juin 2024, un paragraphe.\n\n{deep}"})
    assert main(["build", "--source", str(root), "--output", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "deep.md:5: warning:" in err and "nested" in err
    documents = json.loads((tmp_path / "site" / "documents.json").read_text(encoding="utf-8"))
    assert {d["title"] for d in documents} == {"Un titre", "Une liste profonde"}
    page = next(tmp_path.glob("site/**/une-liste-profonde.html")).read_text(encoding="utf-8")
    assert "niveau 0" in page and "niveau 399" in page and "21 juin 2024" in page


@pytest.mark.parametrize("tangle", ["[" * 300, "[x](" * 300, "[x][" * 300, "<a " * 300, "<http://" * 300, "[^" * 300])
def test_a_paragraph_markdown_would_take_minutes_over_is_shown_as_written(monkeypatch, tangle):
    # Python-Markdown matches brackets, link targets and tags left open by scanning the rest of the
    # paragraph from each: 20,000 "[" took 14 s, four times as long for each doubling (its issue #798).
    # A paragraph with hundreds left open is shown as written, never given to it.
    from annals.loader import markdown as reader

    given = []
    convert = reader.markdown_lib.markdown
    monkeypatch.setattr(reader.markdown_lib, "markdown", lambda text: given.append(text) or convert(text))
    parts = reader.read_markdown(f"# Titre\n\nUn *paragraphe* [lié](https://e.example/).\n\n{tangle} fin\n")
    first, second = parts.blocks
    assert "<em>paragraphe</em>" in first.html and given == ["Un *paragraphe* [lié](https://e.example/)."]
    assert second.text == f"{tangle} fin" and not second.html
    assert [line for line, note in parts.notes if "left open" in note] == [5]


def test_brackets_closed_as_they_go_are_markdown_however_many():
    from annals.loader.markdown import read_markdown

    many = " ".join(f"[{n}](https://e.example/{n}) (voir <https://e.example/>)" for n in range(400))
    (block,) = read_markdown(f"{many}\n").blocks
    assert block.html.count("<a ") == 800


def test_a_web_page_block_with_thousands_of_inline_elements_is_read_as_plain_text(monkeypatch):
    # trafilatura gathers a block's text through an XPath whose cost is quadratic in the block's inline
    # elements: one paragraph of 8,000 links took 5.3 s, of 8,000 <b> 3.6 s, four times as long for each
    # doubling. Such a block reaches it as plain text; a page without one reaches it as it is.
    import trafilatura

    from annals.loader.webpage import read_html

    links = "".join(f'<a href="/n/{n}">lien {n}</a> <b>et</b> ' for n in range(1500))
    page = ("<html><head><title>T</title></head><body><article><h1>Un titre</h1>\n<p>Le 21 juin 2024, un texte "
            f"assez long pour être gardé comme article.</p>\n<p>Voici {links} fin.</p>\n</article></body></html>")
    given = []
    extract = trafilatura.extract
    monkeypatch.setattr(trafilatura, "extract", lambda text, **options: given.append(text) or extract(text, **options))
    parts = read_html(page)
    assert "<a " not in given[0] and "<b>" not in given[0] and "lien 1499 et  fin" in given[0]
    assert any("lien 0 et lien 1 et" in b.text for b in parts.blocks)
    assert [line for line, note in parts.notes if "3,000 inline elements" in note] == [3]
    few = page.replace(links, links[:2000])
    read_html(few)
    assert given[-1] == few
    read_html(page.replace(links, "<span>" + "<b>mot</b> " * 1200 + "</span>"))  # inline inside inline
    assert "<b>" not in given[-1] and given[-1].count("mot") == 1200
