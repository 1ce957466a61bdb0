"""Rebuilds with the build cache give exactly the site a clean build gives, and redo only what changed."""
import gc
import hashlib
import json
import os
import pickle
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jinja2 import Environment

import corpus
from dataclasses import replace

from annals import make, parallel, search
from annals.cache import BuildCache, Fragments, OutputRecord, SourceEntry, cache_dir
from annals.pipeline import BuildOptions, TemplateFailed, build
from annals.render import CompiledTemplates, Site, environment, template_digest
from annals.write import Output, Staging, scan_site

from conftest import NBSP, REPO

ENTITIES = "- name: Pyongyang\n  kind: city\n- name: Parti du Travail\n  kind: party\n  aliases: [PTC]\n"


def tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inodes(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


class Archive:
    """A source folder, a theme folder and build settings that a test changes step by step."""

    def __init__(self, root: Path, documents: int = 24):
        self.root = root
        self.source = corpus.write(root / "sources", documents, seed=7)
        self.theme = root / "theme"
        (self.theme / "templates").mkdir(parents=True)
        (self.theme / "static").mkdir()
        self.settings = {"title": "", "base_url": "", "language": "fr", "date_style": "long", "search": True}
        self.clock = time.time() - 10_000
        for path in self.source.iterdir():
            self.age(path)

    def age(self, path: Path) -> None:
        """Give a file an old, unique mtime, as a file saved before the last build had started."""
        self.clock += 1
        os.utime(path, (self.clock, self.clock))

    def write(self, relative: str, text: str, folder: Path | None = None) -> None:
        path = (folder or self.source) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.age(path)

    def options(self, output: Path) -> BuildOptions:
        # The record of addresses kept beside the sources, as `annals build` keeps it beside annals.yaml: a
        # clean build into another folder reads the same history of addresses.
        return BuildOptions(source=self.source, output=output, theme_root=self.theme,
                            addresses=self.root / "addresses.json", **self.settings)


def edit(archive: Archive, rng: random.Random, site: Path) -> str:
    """One random change an archivist (or an accident) makes between builds; returns what it did."""
    documents = sorted(p for p in archive.source.glob("*.txt"))
    kind = rng.choice(["append", "retitle", "move", "add", "delete", "touch", "sidecar", "gazetteer",
                       "template", "static", "setting", "tamper", "stray", "uncache", "same bytes"])
    target = rng.choice(documents)
    lines = target.read_text(encoding="utf-8").splitlines()
    if kind == "append":
        day = rng.randint(1, 28)
        archive.write(target.name, "\n".join(lines + [f"{NBSP}Le {day} mai 2003, à Pyongyang, le PTC."]) + "\n")
    elif kind == "retitle":
        archive.write(target.name, "\n".join([lines[0], rng.choice(["Un titre", "Document 3 paix"])] + lines[2:]))
    elif kind == "move":
        archive.write(target.name, "\n".join([rng.choice(["/ Culture - Arts", "/ Neuve", ""])] + lines[1:]))
    elif kind == "add":
        name = f"{rng.randint(0, 99):05d}b.txt"
        archive.write(name, corpus.document(rng, rng.randint(0, 99)))
    elif kind == "delete" and len(documents) > 2:
        target.unlink()
    elif kind == "touch":
        archive.age(target)
    elif kind == "sidecar":
        archive.write(target.with_suffix(".yaml").name, f"publisher: Agence {rng.randint(1, 3)}\n")
    elif kind == "gazetteer":
        archive.write("entities.yaml", rng.choice([ENTITIES, ENTITIES + "- name: Kim Il Sung\n  kind: person\n", ""]))
    elif kind == "template":
        name = rng.choice(["document.html", "base.html", "_macros.html", "_timeline_year.html", "section.html",
                           "entity.html"])
        base = (REPO / "templates" / name).read_text(encoding="utf-8")
        archive.write(f"templates/{name}", base + f"<!-- variant {rng.randint(1, 3)} -->\n", archive.theme)
    elif kind == "static":
        archive.write("static/extra.css", f"p {{ margin: {rng.randint(1, 3)}em }}\n", archive.theme)
    elif kind == "setting":
        key = rng.choice(["title", "base_url", "language", "date_style", "search"])
        archive.settings[key] = rng.choice({"title": ["", "Archives"], "base_url": ["", "https://example.org/a/"],
                                            "language": ["fr", "en"], "date_style": ["long", "short"],
                                            "search": [True, False]}[key])
    elif kind == "tamper" and site.exists():
        page = rng.choice(sorted(p for p in site.rglob("*.html")))
        page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>edited by hand</p></main>"))
    elif kind == "stray" and site.exists():
        (site / "stray.html").write_text("not built by Annals", encoding="utf-8")
    elif kind == "uncache":
        database = cache_dir(site) / "cache.sqlite"
        if database.exists():
            database.write_bytes(rng.choice([b"", b"not a database" * 100]))
    elif kind == "same bytes":
        archive.write(target.name, target.read_text(encoding="utf-8"))
    return f"{kind} {target.name}"


@pytest.mark.parametrize("seed", range(6))
def test_random_rebuilds_equal_a_clean_build(tmp_path, seed, monkeypatch):
    if seed % 2:  # the search index in blocks, as for a big archive: a change rewrites one block
        monkeypatch.setattr(search, "BLOCK_DOCUMENTS", 4)
    rng = random.Random(seed)
    archive = Archive(tmp_path)
    site = tmp_path / "site"
    build(archive.options(site))
    history = []
    for step in range(14):
        history.append(edit(archive, rng, site))
        for _ in range(rng.choice([1, 1, 2])):  # now and then a second rebuild with nothing changed
            report = build(archive.options(site))
        reference = tmp_path / f"reference-{step}"
        clean = build(archive.options(reference), clean=True)
        assert report == clean, history
        assert tree(site) == tree(reference), history


def rewritten_by_one_edit(tmp_path, documents: int, edited: int) -> tuple[list[str], dict]:
    """Build, add a paragraph to one document, rebuild: the files whose inode or mtime changed, and all."""
    archive = Archive(tmp_path, documents=documents)
    site = tmp_path / "site"
    build(archive.options(site))
    before = inodes(site)
    source = sorted(archive.source.glob("*.txt"))[edited]
    archive.write(source.name, source.read_text(encoding="utf-8") + NBSP + "Un paragraphe de plus.\n")
    build(archive.options(site))
    after = inodes(site)
    return sorted(p for p in after if after[p] != before.get(p)), after


def test_a_rebuild_after_one_edit_rewrites_only_what_changed(tmp_path):
    rewritten, after = rewritten_by_one_edit(tmp_path, documents=40, edited=5)
    documents = [p for p in rewritten if p.count("/") == 2 and p.endswith(".html")]
    assert len(documents) == 1, rewritten  # the edited document's page; no other document page
    assert any(p.endswith(".source.txt") for p in rewritten)
    assert len(rewritten) < len(after) / 4, rewritten
    assert "static/annals.css" not in rewritten


@pytest.mark.parametrize("pooled", [False, True])
def test_pages_rendered_again_to_the_same_bytes_are_not_rewritten(tmp_path, monkeypatch, pooled):
    """A change to the templates that renders every page again to the same bytes (a template comment)
    writes none of them: each keeps its file, inode and mtime — in this process, or in forked workers
    (which must report back what they wrote)."""
    if pooled:
        monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    archive = Archive(tmp_path, documents=30)
    site = tmp_path / "site"
    build(archive.options(site))
    before = inodes(site)
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    archive.write("templates/base.html", base + "{# a note for whoever edits this theme #}\n", archive.theme)
    build(archive.options(site))
    after = inodes(site)
    pages = [p for p in after if p.endswith(".html") and p[:-5] + ".source.txt" in after]  # documents'
    assert len(pages) == 30
    assert [p for p in pages if after[p] != before[p]] == []
    written_in_pieces = ["timeline.html", "events.json", "events.csv", "documents.json"]
    assert [p for p in written_in_pieces if after[p] != before[p]] == []  # made again, the same bytes


def test_a_template_change_renders_again_the_pages_made_from_it_only(tmp_path, rendered):
    """A page's key holds the templates it is made from (those it extends, includes or imports), not the
    whole theme: after editing one template, only the pages made from it are rendered again."""
    archive = Archive(tmp_path, documents=30)
    archive.write("entities.yaml", ENTITIES)
    site = tmp_path / "site"
    build(archive.options(site))
    kinds = {template for template, _ in rendered}
    assert {"document.html", "section.html", "entity.html"} <= kinds

    def edit_template(name: str) -> set[str]:
        rendered.clear()
        text = (REPO / "templates" / name).read_text(encoding="utf-8")
        archive.write(f"templates/{name}", text + "<!-- an archivist's note -->\n", archive.theme)
        build(archive.options(site))
        again = {template for template, _ in rendered}
        build(archive.options(tmp_path / "reference"), clean=True)
        assert tree(site) == tree(tmp_path / "reference")
        return again

    assert edit_template("entity.html") == {"entity.html", "entities.html", "home.html", "timeline.html",
                                            "404.html", "search.html"}  # the others are never kept
    assert "document.html" not in edit_template("_macros.html")
    assert "document.html" in edit_template("document.html")
    assert {"document.html", "section.html", "entity.html"} <= edit_template("base.html")


def test_a_gazetteer_change_renders_again_the_pages_that_show_the_entities_changed(tmp_path, rendered):
    """A document page's key holds the entities its paragraphs name, not the whole gazetteer."""
    archive = Archive(tmp_path, documents=30)
    sources = sorted(archive.source.glob("*.txt"))
    for source, words in ((sources[3], "à Pyongyang"), (sources[5], "le PTC")):
        archive.write(source.name, source.read_text(encoding="utf-8") + f"{NBSP}Le 2 mai 2020, {words}.\n")
    archive.write("entities.yaml", ENTITIES)
    site = tmp_path / "site"
    build(archive.options(site))
    pages = {json.loads(line)["source"]: json.loads(line)["url"] for line in
             (site / "documents.json").read_text(encoding="utf-8").strip("[]\n").split(",\n")}

    def change_gazetteer(text: str) -> list[tuple[str, str]]:
        rendered.clear()
        archive.write("entities.yaml", text)
        build(archive.options(site))
        again = sorted((t, p) for t, p in rendered if t in ("document.html", "entity.html"))
        build(archive.options(tmp_path / "reference"), clean=True)
        assert tree(site) == tree(tmp_path / "reference")
        return again

    assert change_gazetteer(ENTITIES + "- name: Kim Il Sung\n  kind: person\n") == \
        [("entity.html", "entities/kim-il-sung.html")]  # named nowhere: no document page again
    described = ENTITIES.replace("kind: city", "kind: city\n  description: La capitale.")
    assert change_gazetteer(described + "- name: Kim Il Sung\n  kind: person\n") == \
        [("document.html", pages[sources[3].name]), ("entity.html", "entities/pyongyang.html")]


def theme_fails(archive: Archive, tmp_path: Path, template: str, old: str, new: str, missing: str) -> None:
    """With the default `template` edited (its first `old` made `new`) in the archive's theme, the build
    fails naming the template, a line and what is `missing`, and publishes nothing; the edit is undone."""
    base = (REPO / "templates" / template).read_text(encoding="utf-8")
    archive.write(f"templates/{template}", base.replace(old, new, 1), archive.theme)
    with pytest.raises(TemplateFailed, match=rf"{template.replace('.', '[.]')}:\d+: UndefinedError: .*{missing}"):
        build(archive.options(tmp_path / "site"))
    assert not (tmp_path / "site").exists()
    (archive.theme / "templates" / template).unlink()


def test_a_document_template_cannot_show_other_documents_it_would_not_be_rendered_again_for(tmp_path):
    """A document page's key holds its own inputs only, so its template gets its section's name and page,
    not the section's documents: a theme that lists them fails loudly instead of going stale."""
    archive = Archive(tmp_path, documents=3)
    theme_fails(archive, tmp_path, "document.html", "{% endblock %}",
                "{% for d in section.documents %}{{ d.title }}{% endfor %}{% endblock %}", "documents")
    # the years, likewise: links, not events
    theme_fails(archive, tmp_path, "base.html", "</body>", "{{ years[0].event_count }}</body>", "event_count")
    # and a year's page (kept for its own year's events): the other years as links, not with their events
    theme_fails(archive, tmp_path, "timeline.html", "{% endblock %}", "{{ years[0].months }}{% endblock %}", "months")


def test_pages_listing_documents_get_their_summaries_and_a_theme_reaching_their_text_fails_loudly(tmp_path):
    """A build holds each document's summary (none of its text but excerpts of its dated paragraphs),
    not the whole document: the pages that list documents or events get summaries and excerpts, so a
    theme showing a listed document's paragraphs or an event's whole text fails with the template and
    line instead of showing a part of them."""
    archive = Archive(tmp_path, documents=3)
    theme_fails(archive, tmp_path, "section.html", "{% endblock %}",
                "{% for d in documents %}{{ d.blocks|length }}{% endfor %}{% endblock %}", "blocks")
    theme_fails(archive, tmp_path, "_macros.html", "{{ event.excerpt }}", "{{ event.text }}", "text")


def test_a_whole_document_not_in_the_cache_is_read_again_and_one_changed_since_stops_the_build(tmp_path):
    """The processes that render document pages and index their words take documents whole from the
    build cache; a document the cache does not have is read again from its source — and if the source changed since the
    build read it, nothing is published."""
    archive = Archive(tmp_path, documents=4)
    options = archive.options(tmp_path / "site")
    build(options)
    cache = BuildCache.open(options.output)
    try:
        (name, digest_, blob), = cache.db.execute(
            "SELECT name, digest, blob FROM sources ORDER BY name LIMIT 1").fetchall()
        summary = make.Summary.of(replace(pickle.loads(blob)[0], path="x/y.html"))
        whole = make.WholeDocuments(options, cache, {name: digest_})
        kept = whole(summary)
        assert kept.path == "x/y.html" and kept.blocks == pickle.loads(blob)[0].blocks
        cache.db.execute("DELETE FROM sources WHERE name = ?", (name,))
        assert make.WholeDocuments(options, cache, {name: digest_})(summary) == kept  # read again from its source
        source = archive.source / name
        source.write_text(source.read_text(encoding="utf-8") + NBSP + "Ajouté depuis.\n", encoding="utf-8")
        with pytest.raises(make.SourceChanged, match=name):
            make.WholeDocuments(options, cache, {name: digest_})(summary)
        whole.close()
    finally:
        cache.close()


def test_paragraphs_naming_entities_are_cut_once_for_each_gazetteer(tmp_path, monkeypatch):
    """The build cache keeps each document's paragraphs naming entities as the gazetteer cut them: a
    rebuild cuts again only the documents read again — all of them, from the cache, after the gazetteer
    changed."""
    archive = Archive(tmp_path, documents=6)
    archive.write("entities.yaml", ENTITIES)
    site = tmp_path / "site"
    build(archive.options(site))
    cut = []
    real = make.paragraph_cuts
    monkeypatch.setattr(make, "paragraph_cuts", lambda document, matcher: cut.append(document.source.name)
                        or real(document, matcher))
    archive.write("entities.yaml", ENTITIES + "- name: Kim Il Sung\n  kind: person\n")
    build(archive.options(site))
    assert sorted(cut) == sorted(p.name for p in archive.source.glob("*.txt"))
    cut.clear()
    target = sorted(archive.source.glob("*.txt"))[1]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 2 mai 2003, à Pyongyang.\n")
    build(archive.options(site))
    assert cut == [target.name]
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_a_strict_build_after_a_lenient_one_renders_no_page_again(tmp_path, rendered):
    """`strict` decides whether a build with warnings is published; no page shows it."""
    archive = Archive(tmp_path, documents=20)
    site = tmp_path / "site"
    build(archive.options(site))
    rendered.clear()
    report = build(replace(archive.options(site), strict=True))
    assert report.published and not report.problems
    assert [t for t, _ in rendered if t in ("document.html", "section.html", "entity.html")] == []


def test_what_a_template_depends_on(tmp_path):
    """The templates it extends, includes or imports, found as rendering finds them (an archive's own
    first); every template when one is named only at render time."""
    own, default = tmp_path / "own", tmp_path / "default"
    for folder, files in ((default, {"base.html": "B", "page.html": '{% extends "base.html" %}', "other.html": "O",
                                     "any.html": "{% include name %}"}), (own, {})):
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")

    kept = {}  # what each template names, kept between builds: the same digests as parsing each time

    def digests() -> dict:
        env = environment([own, default], Site())
        found = {name: template_digest(env, name) for name in ("page.html", "any.html")}
        assert {name: template_digest(env, name, kept) for name in found} == found
        return found

    before = digests()
    (default / "other.html").write_text("O2", encoding="utf-8")
    after = digests()
    assert after["page.html"] == before["page.html"] and after["any.html"] != before["any.html"]
    (own / "base.html").write_text("B2", encoding="utf-8")  # an archive's own base.html overrides the default
    assert digests()["page.html"] != after["page.html"]
    (default / "page.html").write_text('{% extends "base.html" %}{% include "other.html" %}', encoding="utf-8")
    assert digests()["page.html"] != before["page.html"]  # now names other.html too
    (default / "other.html").write_text("O3", encoding="utf-8")
    assert digests()["page.html"] != before["page.html"]


def test_a_rebuild_compiles_only_the_templates_changed_since_the_last_build(tmp_path, monkeypatch):
    """Templates compiled by a build are kept in the build cache: the next build loads them and compiles
    again only a template whose source changed, whose change then shows; --clean compiles them all."""
    archive = Archive(tmp_path, documents=6)
    site = tmp_path / "site"
    build(archive.options(site))
    compiled = []
    real = Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, source, name=None, *rest, **named:
                        compiled.append(name) or real(self, source, name, *rest, **named))
    target = sorted(archive.source.glob("*.txt"))[1]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 2 mai 2003, un ajout.\n")
    build(archive.options(site))
    assert compiled == []
    text = (REPO / "templates" / "document.html").read_text(encoding="utf-8")
    archive.write("templates/document.html",
                  text.replace("{% block main %}", "{% block main %}<!-- an archivist's note -->"), archive.theme)
    build(archive.options(site))
    assert compiled == ["document.html"]
    pages = [p for p in site.glob("*/*/*.html") if p.name != "index.html"]
    assert len(pages) == 6 and all("an archivist's note" in p.read_text(encoding="utf-8") for p in pages)
    compiled.clear()
    build(archive.options(tmp_path / "reference"), clean=True)
    assert {"base.html", "document.html", "section.html", "timeline.html"} <= set(compiled)
    assert tree(site) == tree(tmp_path / "reference")


def test_compiled_templates_are_kept_by_the_process_that_opened_the_cache_only():
    """A forked process must not use its parent's connection to the cache: there, the kept compiled
    templates are neither read nor added to."""
    from jinja2.bccache import Bucket

    kept = {}
    env = environment([REPO / "templates"], Site(), CompiledTemplates(kept))
    env.get_template("404.html")
    assert len(kept) == 1  # 404.html, compiled here (the base.html it extends is loaded when it renders)
    elsewhere = CompiledTemplates(AccessForbidden())
    elsewhere.pid = os.getpid() + 1  # as in a forked child
    bucket = Bucket(env, "404.html", "checksum")
    elsewhere.load_bytecode(bucket)
    elsewhere.dump_bytecode(bucket)
    assert bucket.code is None


class AccessForbidden(dict):
    def get(self, *args):
        raise AssertionError("read from another process")

    def __setitem__(self, *args):
        raise AssertionError("written from another process")


def test_a_file_written_in_pieces_takes_its_place_only_when_its_bytes_change(tmp_path):
    """Large files (the timeline, the data files) are written as they are made, beside their place in
    the staging tree: the published file is never written through, and no partial file is left."""
    site = tmp_path / "site"
    first = Staging(site)
    first.write([Output("data/big.json", pieces=iter([b"[1,", b"2]"]))])
    assert first.produced["data/big.json"] == hashlib.sha256(b"[1,2]").hexdigest()
    first.publish()
    first.settle()
    published = site / "data" / "big.json"
    kept = {"data/big.json": OutputRecord("", first.produced["data/big.json"], 5, 0, 0)}
    same = Staging(site, kept)
    same.write([Output("data/big.json", pieces=iter([b"[1", b",2]"]))])
    assert (same.root / "data" / "big.json").stat().st_ino == published.stat().st_ino  # still the link
    assert not same.written
    same.discard()
    other = Staging(site, kept)
    other.write([Output("data/big.json", pieces=iter([b"[3]"]))])
    assert published.read_bytes() == b"[1,2]"  # the published file is untouched until the swap
    assert other.written == {"data/big.json"}
    assert sorted(p.name for p in (other.root / "data").iterdir()) == ["big.json"]
    other.publish()
    other.settle()
    assert published.read_bytes() == b"[3]"


def test_a_staging_tree_linked_apart_is_whole_before_anything_is_written_and_the_old_tree_goes(tmp_path):
    """A rebuild's tree of links to the files it keeps is made by a process of its own while the sources
    load: writing waits for it; a tree given up before then goes whole; once published, the tree the site
    replaced is removed (settle() waits for it)."""
    site = tmp_path / "site"
    first = Staging(site)
    first.write([Output(f"d{n}/p{i}.html", f"{n}-{i}".encode()) for n in range(20) for i in range(50)])
    first.publish()
    first.settle()
    kept = {path: OutputRecord("", sha, 0, 0, 0) for path, sha in first.produced.items()}
    given_up = Staging(site, kept, link_apart=True)
    given_up.discard()
    assert not given_up.root.exists()
    second = Staging(site, kept, link_apart=True)
    second.write([Output("d0/p0.html", b"changed")])
    assert (site / "d0" / "p0.html").read_bytes() == b"0-0"  # a new file in the tree, not the link written through
    assert all((second.root / p).stat().st_ino == (site / p).stat().st_ino for p in kept if p != "d0/p0.html")
    second.produced.update((p, kept[p].sha256) for p in kept if p != "d0/p0.html")
    assert second.finish()
    second.publish()
    second.settle()
    assert (site / "d0" / "p0.html").read_bytes() == b"changed" and (site / "d19" / "p49.html").read_bytes() == b"19-49"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # neither the new tree's name nor the old tree


def test_an_edit_rewrites_the_search_files_of_one_block_only(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "BLOCK_DOCUMENTS", 4)  # 40 documents in 16 blocks
    rewritten, after = rewritten_by_one_edit(tmp_path, documents=40, edited=7)
    assert len({p.rsplit("-", 1)[1] for p in rewritten if p.startswith("search/t-")}) == 1, rewritten
    assert len({p.rsplit("-", 1)[1] for p in after if p.startswith("search/t-")}) == 16


def test_an_edit_encodes_the_data_file_lines_of_that_document_only(tmp_path, monkeypatch):
    """events.json, events.csv and documents.json are assembled from each document's lines, kept in the
    build cache: after one edit only that document's are encoded again; a deleted source's are dropped."""
    encoded = []
    real = make.document_lines
    monkeypatch.setattr(make, "document_lines",
                        lambda document, *rest: encoded.append(document.source.name) or real(document, *rest))
    archive = Archive(tmp_path, documents=12)
    site = tmp_path / "site"
    options = replace(archive.options(site), workers=1)  # the data files in this process, where it is seen
    build(options)
    assert len(encoded) == 12
    encoded.clear()
    target, gone = sorted(archive.source.glob("*.txt"))[3:5]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 2 mai 2020, un ajout.\n")
    build(options)
    assert encoded == [target.name]
    gone.unlink()
    build(options)
    assert encoded == [target.name]
    database = sqlite3.connect(cache_dir(site) / "cache.sqlite")
    assert sorted(name for (name,) in database.execute("SELECT name FROM lines")) == \
        sorted(p.name for p in archive.source.glob("*.txt"))
    assert {name for (name,) in database.execute("SELECT name FROM event_lines")} <= \
        {p.name for p in archive.source.glob("*.txt")}
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_the_data_files_stay_right_when_the_cache_of_their_lines_is_tampered_with_or_fails(tmp_path, monkeypatch):
    """The data files are read back from the lines the build cache keeps: lines missing from it, or a
    cache that fails while they are read, give the same files all the same."""
    archive = Archive(tmp_path, documents=12)
    site, reference = tmp_path / "site", tmp_path / "reference"
    options = replace(archive.options(site), workers=1)
    build(options)
    database = sqlite3.connect(cache_dir(site) / "cache.sqlite")
    with database:
        database.execute("DELETE FROM event_lines WHERE rowid IN (SELECT rowid FROM event_lines LIMIT 3)")
    database.close()
    target = sorted(archive.source.glob("*.txt"))[2]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 2 mai 2020, un ajout.\n")
    report = build(options)
    build(archive.options(reference), clean=True)
    assert tree(site) == tree(reference)
    database = sqlite3.connect(cache_dir(site) / "cache.sqlite")
    assert database.execute("SELECT count(*) FROM event_lines").fetchone()[0] == report.events  # made whole
    database.close()

    real, failures = BuildCache.event_lines, []

    def failing(self, column):  # the cache on disk fails once it has given the first line
        lines = real(self, column)
        yield next(lines)
        if str(self.path) != ":memory:":
            failures.append(column)
            raise sqlite3.OperationalError("disk I/O error")
        yield from lines

    monkeypatch.setattr(BuildCache, "event_lines", failing)
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 3 mai 2020, encore.\n")
    build(options)
    monkeypatch.undo()
    assert failures == ["json"]
    build(archive.options(reference), clean=True)
    assert tree(site) == tree(reference)


def test_search_terms_come_from_the_cache_or_are_found_anew(tmp_path, monkeypatch):
    """A block of the search index written again takes its documents' terms from the build cache (found
    when each source was read); terms the cache lacks are found again from the document."""
    monkeypatch.setattr(search, "BLOCK_DOCUMENTS", 4)  # 12 documents in 4 blocks
    found = []
    real = search.document_terms
    monkeypatch.setattr(search, "document_terms", lambda document: found.append(document.source.name) or real(document))
    archive = Archive(tmp_path, documents=12)
    site = tmp_path / "site"
    options = replace(archive.options(site), workers=1)  # the index in this process, where it is seen
    build(options)
    sources = sorted(archive.source.glob("*.txt"))
    archive.write(sources[2].name, sources[2].read_text(encoding="utf-8") + NBSP + "Un ajout.\n")
    build(options)
    assert found == []
    database = sqlite3.connect(cache_dir(site) / "cache.sqlite")
    with database:
        database.execute("UPDATE sources SET terms = NULL")
    database.close()
    archive.write(sources[5].name, sources[5].read_text(encoding="utf-8") + NBSP + "Un autre ajout.\n")
    build(options)
    block = search.block_of(sources[5].name, 4)
    assert sorted(found) == sorted(p.name for p in sources if p != sources[5] and search.block_of(p.name, 4) == block)
    assert found
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_a_build_reuses_what_the_last_build_in_its_process_loaded(tmp_path, monkeypatch):
    """`annals serve` builds again and again in one process: sources whose signature is unchanged are
    taken as the last build left them, not unpickled from the build cache again; --clean uses nothing."""
    archive = Archive(tmp_path, documents=8)
    site = tmp_path / "site"
    build(archive.options(site))
    unpickled = []
    real = make._loaded
    monkeypatch.setattr(make, "_loaded", lambda entry, *rest: unpickled.append(entry) or real(entry, *rest))
    target = sorted(archive.source.glob("*.txt"))[2]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Un ajout.\n")
    build(archive.options(site))
    assert len(unpickled) == 1  # the edited source, read again; none of the others
    unpickled.clear()
    build(archive.options(tmp_path / "reference"), clean=True)
    assert len(unpickled) == 8  # every source read again
    assert tree(site) == tree(tmp_path / "reference")


@pytest.fixture
def rendered(monkeypatch) -> list:
    """(template, path) of each page rendered from here on (not taken from the cache)."""
    from annals.render import Renderer

    pages = []
    real = Renderer.page
    monkeypatch.setattr(Renderer, "page", lambda self, template, path, **context:
                        pages.append((template, path)) or real(self, template, path, **context))
    return pages


def test_an_edit_renders_again_only_the_pages_of_the_documents_section(tmp_path, rendered):
    """A section's and its subsections' pages get the whole section: an edit renders those again, and no
    other section's."""
    archive = Archive(tmp_path, documents=40)
    site = tmp_path / "site"
    build(archive.options(site))
    sections = sorted(path for template, path in rendered if template == "section.html")
    assert len(sections) > 8
    rendered.clear()
    source = sorted(archive.source.glob("*.txt"))[5]
    text = source.read_text(encoding="utf-8")
    archive.write(source.name, text + NBSP + "Le 2 mai 2020, un ajout.\n")
    build(archive.options(site))
    again = sorted(path for template, path in rendered if template == "section.html")
    (url,) = [d["url"] for d in json.loads((site / "documents.json").read_text(encoding="utf-8"))
              if d["source"] == source.name]
    folder = url.split("/", 1)[0] + "/"
    assert again == [p for p in sections if p.startswith(folder)] and len(again) < len(sections) / 2
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_an_edit_renders_again_only_the_year_pages_of_the_documents_events(tmp_path, rendered):
    """A year's page is rendered again when the events of that year change (here: those of the edited
    document, before and after the edit); the others stay as published, not even rendered."""
    archive = Archive(tmp_path, documents=40)
    site = tmp_path / "site"
    build(archive.options(site))
    years = {path for template, path in rendered if template == "timeline.html"} - {"timeline.html"}
    assert len(years) > 5
    source = sorted(archive.source.glob("*.txt"))[5]

    def years_of_source() -> set[str]:
        (document,) = [d["id"] for d in json.loads((site / "documents.json").read_text(encoding="utf-8"))
                       if d["source"] == source.name]
        events = json.loads((site / "events.json").read_text(encoding="utf-8"))
        return {f"years/{e['date'][:4]}.html" for e in events if e["document"] == document}

    before = years_of_source()
    year = sorted(years - before)[0]  # a year already in the menu: adding one would change every year's page
    rendered.clear()
    archive.write(source.name, source.read_text(encoding="utf-8") + NBSP + f"Le 2 mai {year[6:10]}, un ajout.\n")
    build(archive.options(site))
    again = {path for template, path in rendered if template == "timeline.html"}
    assert years_of_source() == before | {year}
    assert again == {"timeline.html"} | before | {year} and len(again) < len(years) / 2
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_the_years_of_year_pages_kept_as_published_stay_in_the_cache(tmp_path, monkeypatch):
    """A year page kept as published does not read its year's part from the cache, which keeps it all the
    same: when every year's page is rendered again (here: their template changed), no year is."""
    from jinja2 import Template

    archive = Archive(tmp_path, documents=20)
    site = tmp_path / "site"
    build(archive.options(site))
    source = sorted(archive.source.glob("*.txt"))[3]
    archive.write(source.name, source.read_text(encoding="utf-8") + NBSP + "Un paragraphe sans date.\n")
    build(archive.options(site))  # every year's page kept as published
    years = []
    real = Template.render
    monkeypatch.setattr(Template, "render", lambda self, *args, **named:
                        years.append(self.name) or real(self, *args, **named))
    text = (REPO / "templates" / "timeline.html").read_text(encoding="utf-8")
    archive.write("templates/timeline.html", text.replace("{% block main %}", "{% block main %}<!-- note -->"),
                  archive.theme)
    build(archive.options(site))
    assert years.count("timeline.html") > 5 and "_timeline_year.html" not in years
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_an_edit_renders_again_only_the_entity_pages_that_mention_the_document(tmp_path, rendered):
    archive = Archive(tmp_path, documents=30)
    archive.write("entities.yaml", ENTITIES)
    site = tmp_path / "site"
    build(archive.options(site))
    assert len([path for template, path in rendered if template == "entity.html"]) == 2
    rendered.clear()
    source = sorted(archive.source.glob("*.txt"))[4]
    archive.write(source.name, source.read_text(encoding="utf-8") + NBSP + "À Pyongyang, le 2 mai 2020.\n")
    build(archive.options(site))
    again = {path for template, path in rendered if template == "entity.html"}
    (document,) = [d["id"] for d in json.loads((site / "documents.json").read_text(encoding="utf-8"))
                   if d["source"] == source.name]
    mentioning = {e["url"] for e in json.loads((site / "entities.json").read_text(encoding="utf-8"))
                  if any(m["document"] == document for m in e["mentions"])}
    assert "entities/pyongyang.html" in again
    assert again == mentioning, (again, mentioning)
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_the_cycle_collector_is_as_it_was_after_a_build(tmp_path):
    """Builds pause Python's cycle collector (it walked millions of objects for nothing) and put it back."""
    archive = Archive(tmp_path, documents=3)
    build(archive.options(tmp_path / "site"))
    assert gc.isenabled()
    gc.disable()
    try:
        build(archive.options(tmp_path / "other"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_rebuild_with_nothing_changed_writes_nothing(tmp_path):
    archive = Archive(tmp_path)
    site = tmp_path / "site"
    first = build(archive.options(site))
    before = inodes(site)
    second = build(archive.options(site))
    assert second == first and second.published
    assert inodes(site) == before


def test_a_rebuild_with_nothing_changed_loads_no_renderer_or_reader(tmp_path):
    """The no-op path stays light: a rebuild with nothing to do must not import Jinja, Babel, Markdown or
    the document readers (they were a third of its time at 10,000 documents)."""
    archive = Archive(tmp_path)
    site = tmp_path / "site"
    program = (
        "import sys\n"
        "from annals.cli import main\n"
        f"status = main(['build', '--quiet', '--source', {str(archive.source)!r}, '--output', {str(site)!r}])\n"
        "heavy = [m for m in ('jinja2', 'babel', 'markdown', 'annals.loader', 'annals.make') if m in sys.modules]\n"
        "print(status, heavy)\n")

    def loaded() -> str:
        result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert loaded() == "0 ['jinja2', 'babel', 'markdown', 'annals.loader', 'annals.make']"  # the first build
    assert loaded() == "0 []"  # nothing changed
    archive.write("added.txt", "Ajout\n" + NBSP + "Le 4 mai 2021, un ajout.\n")
    assert "annals.make" in loaded()


def test_new_fragments_go_into_the_cache_as_they_come_and_unused_ones_leave_it(tmp_path, monkeypatch):
    """Rendered parts of pages are written a batch at a time, not held until the build ends."""
    monkeypatch.setattr(Fragments, "BATCH", 10)
    cache = BuildCache.open(tmp_path / "site")
    cache.fragments["old"] = "<p>x</p>" * 2
    cache.fragments.save()
    cache.close()
    cache = BuildCache.open(tmp_path / "site")
    cache.fragments["a"] = "<p>a</p>"  # 8 characters: held
    other = BuildCache.open(tmp_path / "site")
    assert other.fragments.get("a") is None
    cache.fragments["b"] = "<p>b</p>"  # 16: both written
    assert other.fragments.get("a") == "<p>a</p>" and other.fragments.get("b") == "<p>b</p>"
    with cache.transaction():
        cache.fragments.save()
    assert other.fragments.get("old") is None  # not used by this build
    assert [cache.fragments.get(k) for k in "ab"] == ["<p>a</p>", "<p>b</p>"]
    other.close()
    cache.close()


def test_a_corrupt_cache_is_replaced_and_the_build_goes_on(tmp_path):
    archive = Archive(tmp_path, documents=6)
    site = tmp_path / "site"
    build(archive.options(site))
    database = cache_dir(site) / "cache.sqlite"
    database.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    report = build(archive.options(site))
    assert report.published
    assert sqlite3.connect(database).execute("SELECT count(*) FROM sources").fetchone()[0] == 6
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_damaged_entries_in_the_cache_are_read_again_from_their_sources(tmp_path):
    """A summary that cannot be unpickled makes its source be read again; so does a whole document that
    cannot be, when its page is rendered again."""
    archive = Archive(tmp_path, documents=6)
    site = tmp_path / "site"
    build(archive.options(site))
    names = sorted(p.name for p in archive.source.glob("*.txt"))
    database = sqlite3.connect(cache_dir(site) / "cache.sqlite")
    with database:
        database.execute("UPDATE sources SET blob = x'8004' WHERE name = ?", (names[1],))
        database.execute("UPDATE sources SET summary = x'8004' WHERE name = ?", (names[2],))
    database.close()
    base = (REPO / "templates" / "document.html").read_text(encoding="utf-8")
    archive.write("templates/document.html", base + "<!-- every document page again -->\n", archive.theme)
    assert build(archive.options(site)).published
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


def test_the_cache_records_every_file_of_the_site_after_a_rebuild_that_writes_only_what_changed(tmp_path):
    """A rebuild writes into the cache only the records of the files it changed, added or removed; the
    cache then describes the published site exactly, file by file."""
    archive = Archive(tmp_path, documents=8)
    site = tmp_path / "site"
    build(archive.options(site))
    target = sorted(archive.source.glob("*.txt"))[3]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 2 mai 2003, à Pyongyang.\n")
    sorted(archive.source.glob("*.txt"))[5].unlink()
    build(archive.options(site))
    cache = BuildCache.open(site)
    recorded = cache.outputs()
    cache.close()
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {".annals-site"}
    assert set(recorded) == files
    intact, others = scan_site(site, recorded)
    assert len(intact) == len(files) and others == 0
    assert all(recorded[p].sha256 == hashlib.sha256((site / p).read_bytes()).hexdigest() for p in files)


def test_the_cache_gives_the_sources_asked_for_as_a_full_scan_does(tmp_path):
    """A rebuild in `annals serve` asks the cache only for the sources the last build in its process did
    not leave; by name, in batches that SQLite accepts, as the full scan gives them."""
    cache = BuildCache.open(tmp_path / "site")
    entries = {f"{n:04d}.txt": SourceEntry.of(f"s{n}", b"d%d" % n, b"", pickle.dumps((None, ())), "k", b"")
               for n in range(1200)}
    cache.add_sources(entries)
    signatures = {name: e.signature for name, e in entries.items()}
    signatures["0007.txt"] = "changed"
    everything = dict(cache.sources(signatures))
    assert len(everything) == 1199 and "0007.txt" not in everything
    asked = [f"{n:04d}.txt" for n in range(0, 1200, 2)] + ["gone.txt"]
    assert dict(cache.sources(signatures, asked)) == {name: everything[name] for name in asked if name in everything}
    cache.close()


def test_a_cache_of_another_format_is_started_again_with_this_one(tmp_path):
    """Tables an older Annals made (another shape) are dropped and made anew, not half reused."""
    folder = cache_dir(tmp_path / "site")
    folder.mkdir()
    old = sqlite3.connect(folder / "cache.sqlite")
    old.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);"
                      "CREATE TABLE sources (name TEXT PRIMARY KEY, signature TEXT, digest TEXT, blob BLOB);"
                      "INSERT INTO meta VALUES ('format', '1'); INSERT INTO sources VALUES ('a.txt', 's', 'd', x'00');")
    old.close()
    cache = BuildCache.open(tmp_path / "site")
    assert list(cache.sources({"a.txt": "s"})) == []
    entry = SourceEntry.of("s", b"document", pickle.dumps("paix 1,1"), b"summary", "", b"")
    cache.add_sources({"b.txt": entry})
    assert list(cache.terms({"b.txt": entry.digest})) == [("b.txt", "paix 1,1")]
    cache.close()


def test_a_source_rewritten_with_the_same_size_and_mtime_is_read_again(tmp_path):
    """As a coarse file-system clock would leave it: the change time still tells."""
    archive = Archive(tmp_path, documents=3)
    site = tmp_path / "site"
    target = sorted(archive.source.glob("*.txt"))[0]
    os.utime(target, None)  # modified "now": during the build that follows
    build(archive.options(site))
    stat = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("Document", "Dokument", 1), encoding="utf-8")  # same size
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime, as a coarse clock would leave it
    build(archive.options(site))
    assert b"Dokument" in b"".join(tree(site).values())


def test_a_failed_build_in_between_does_not_fool_the_next_one(tmp_path):
    """Sources read by a build that then failed are in the cache; the next build must still publish them."""
    archive = Archive(tmp_path, documents=4)
    site = tmp_path / "site"
    build(archive.options(site))
    target = sorted(archive.source.glob("*.txt"))[0]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 30 février 2024, un ajout.\n")
    archive.settings["strict"] = True
    assert not build(archive.options(site)).published  # the warning fails the strict build
    archive.settings["strict"] = False
    build(archive.options(site))
    assert any(b"un ajout" in data for path, data in tree(site).items() if path.endswith(".html"))
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")


@pytest.mark.parametrize("damage", ["UPDATE fragments SET html = 12345",
                                    "UPDATE fragments SET html = html || '<p>altered</p>' WHERE typeof(html) = 'text'",
                                    "UPDATE fragments SET html = x'00ff'"])
def test_a_damaged_fragment_in_the_cache_is_made_again(tmp_path, damage):
    """Parts of pages are taken from the cache only as they were written there: one of another type, or
    altered, is rendered again, and the build after it stays right."""
    archive = Archive(tmp_path, documents=12)
    site = tmp_path / "site"
    build(archive.options(site))
    database = sqlite3.connect(cache_dir(site) / "cache.sqlite")
    with database:
        database.execute(damage)
    database.close()
    target = sorted(archive.source.glob("*.txt"))[3]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 2 mai 2020, un ajout.\n")
    assert build(archive.options(site)).published
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 3 mai 2020, encore.\n")
    assert build(archive.options(site)).published
    build(archive.options(tmp_path / "reference-2"), clean=True)
    assert tree(site) == tree(tmp_path / "reference-2")


@pytest.mark.parametrize("column, value", [
    ("summary", pickle.dumps(5)), ("summary", pickle.dumps(("not a summary", []))),
    ("cuts", pickle.dumps(["not", "cuts"])), ("terms", pickle.dumps(7)), ("terms", b"\x80\x04"),
    ("blob", None),  # the document altered, its digest kept
])
def test_a_source_entry_of_the_wrong_type_or_altered_is_read_again(tmp_path, column, value, monkeypatch):
    monkeypatch.setattr(search, "BLOCK_DOCUMENTS", 4)  # so that a change writes one block's terms again
    archive = Archive(tmp_path, documents=12)
    archive.write("entities.yaml", ENTITIES)
    site = tmp_path / "site"
    build(archive.options(site))
    database = sqlite3.connect(cache_dir(site) / "cache.sqlite")
    with database:
        if value is None:
            for name, blob in database.execute("SELECT name, blob FROM sources").fetchall():
                document, problems = pickle.loads(blob)
                if document is not None:
                    altered = replace(document, title="altered in the cache")
                    database.execute("UPDATE sources SET blob = ? WHERE name = ?",
                                     (pickle.dumps((altered, problems)), name))
        else:
            database.execute(f"UPDATE sources SET {column} = ?", (value,))
    database.close()
    target = sorted(archive.source.glob("*.txt"))[3]
    archive.write(target.name, target.read_text(encoding="utf-8") + NBSP + "Le 2 mai 2020, un ajout.\n")
    base = (REPO / "templates" / "document.html").read_text(encoding="utf-8")
    archive.write("templates/document.html", base + "<!-- every document page again -->\n", archive.theme)
    assert build(archive.options(site)).published
    build(archive.options(tmp_path / "reference"), clean=True)
    assert tree(site) == tree(tmp_path / "reference")
