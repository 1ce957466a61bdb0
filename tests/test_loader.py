"""The loader: the seed's text format, Markdown with front matter, sidecars, decoding."""
import codecs
import os
import pickle

from annals.loader import find_sources, load_archive, load_document
from annals.loader.decode import decode
from annals.loader.text import read_text
from annals.model import HEADING, MEDIA_GAP, PARAGRAPH

from conftest import NBSP

TINY = "\n".join([
    "/ Politique - Parti",
    "Un titre",
    NBSP + "Premier paragraphe.",
    "",
    "Un intertitre",
    "",
    NBSP + "Le 19 juin 2024, deuxième paragraphe.",
    "\u00a0\u00a0",
    "",
    NBSP + "Le 20 juin, troisième.",
])


def kinds(parts):
    return [(b.kind, b.text) for b in parts.blocks]


def test_breadcrumb_title_paragraphs_headings_and_media_gap():
    parts = read_text(TINY)
    assert (parts.section, parts.subsection, parts.title) == ("Politique", "Parti", "Un titre")
    assert kinds(parts) == [
        (PARAGRAPH, "Premier paragraphe."), (HEADING, "Un intertitre"),
        (PARAGRAPH, "Le 19 juin 2024, deuxième paragraphe."), (MEDIA_GAP, ""), (PARAGRAPH, "Le 20 juin, troisième."),
    ]
    assert [b.line for b in parts.blocks] == [3, 5, 7, 8, 10]


def test_single_blank_line_is_not_a_media_gap():
    parts = read_text("/ A - B\nT\n" + NBSP + "un\n\n" + NBSP + "deux")
    assert [b.kind for b in parts.blocks] == [PARAGRAPH, PARAGRAPH]


def test_breadcrumb_parts_may_be_missing():
    assert (read_text("/ Culture\nT\n" + NBSP + "p").section, read_text("/ Culture\nT").subsection) == ("Culture", "")
    parts = read_text("Titre sans fil\n" + NBSP + "p")
    assert (parts.section, parts.title) == ("", "Titre sans fil")


def test_a_long_unindented_line_stays_a_paragraph():
    long_line = "mot " * 80
    assert read_text("T\n" + long_line).blocks[0].kind == PARAGRAPH


def test_only_a_title_is_noted():
    parts = read_text("/ A - B\nSeulement un titre\n")
    assert parts.title == "Seulement un titre" and not parts.blocks
    assert "no paragraphs" in parts.notes[0][1]


def test_decoding_boms_legacy_and_line_endings():
    assert decode(codecs.BOM_UTF8 + "é".encode()).text == "é"
    assert decode("é\r\nb\rc".encode("utf-16")).text == "é\nb\nc"
    legacy = decode("Août – l’été".encode("cp1252"))
    assert legacy.text == "Août – l’été" and legacy.encoding == "cp1252" and "UTF-8" in legacy.warning


def test_document_keeps_checksum_dates_and_numbering(make_sources):
    root = make_sources({"a.txt": TINY})
    document, problems = load_document(root / "a.txt", "a.txt")
    assert not problems
    assert len(document.source.sha256) == 64 and document.source.size == len(TINY.encode())
    assert [b.number for b in document.paragraphs] == [1, 2, 3]
    assert [d.iso for b in document.paragraphs for d in b.dates] == ["2024-06-19", "2024-06-20"]


def test_a_document_comes_back_whole_from_its_pickled_form(make_sources):
    """The build cache keeps documents pickled; their classes pickle as field values, in field order."""
    root = make_sources({"a.md": "---\ntitle: T\nurl: https://example.org/a\n---\nLe 19 juin 2024, **x**.\n"})
    document, problems = load_document(root / "a.md", "a.md")
    again = pickle.loads(pickle.dumps((document, tuple(problems)), pickle.HIGHEST_PROTOCOL))
    assert again == (document, tuple(problems))
    assert again[0].provenance.url == "https://example.org/a" and again[0].blocks[0].dates[0].iso == "2024-06-19"
    assert not hasattr(again[0].blocks[0], "__dict__")  # slots: no dict per block


def test_markdown_front_matter_and_sanitised_html(make_sources):
    root = make_sources({"m.md": "---\ntitle: Titre MD\nsection: Culture\nsubsection: Arts\nlanguage: en\n"
                                 "url: https://example.org/a\n---\n\n# Heading\n\nOn June 19, 2024, *met*."
                                 "<script>alert(1)</script>\n"})
    document, problems = load_document(root / "m.md", "m.md")
    assert not problems
    assert (document.title, document.section, document.subsection, document.language) == \
        ("Titre MD", "Culture", "Arts", "en")
    assert document.provenance.url == "https://example.org/a"
    heading, paragraph = document.blocks
    assert heading.kind == HEADING and heading.text == "Heading"
    assert "<em>met</em>" in paragraph.html and "<script" not in paragraph.html
    assert paragraph.dates[0].iso == "2024-06-19"


def test_sidecar_metadata_and_unknown_keys(make_sources):
    root = make_sources({"a.txt": TINY, "a.yaml": "url: https://example.org/x\nretrieved: 2025-01-02\n"
                                                  "publisher: Agence\ncolour: blue\n"})
    document, problems = load_document(root / "a.txt", "a.txt")
    assert (document.provenance.url, document.provenance.retrieved, document.provenance.publisher) == \
        ("https://example.org/x", "2025-01-02", "Agence")
    assert len(problems) == 1 and "colour" in problems[0].message and problems[0].path == "a.yaml"


def test_malformed_front_matter_skips_the_document_naming_the_line(make_sources):
    root = make_sources({"bad.md": "---\ntitle: [unclosed\n---\nbody\n", "good.txt": TINY})
    loaded = load_archive(root)
    assert [d.source.name for d in loaded.documents] == ["good.txt"]
    (problem,) = loaded.problems
    assert problem.path == "bad.md" and problem.line >= 2 and problem.severity == "error"


def test_empty_and_binary_files_are_reported_and_the_rest_loads(make_sources):
    root = make_sources({"empty.txt": "", "blank.txt": " \n\u00a0\n", "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
                         "photo.png": b"\x89PNG", "ok.txt": TINY})
    loaded = load_archive(root)
    assert [d.source.name for d in loaded.documents] == ["ok.txt"]
    reported = {p.path: p.message for p in loaded.problems}
    assert set(reported) == {"empty.txt", "blank.txt", "image.txt", "photo.png"}
    assert "binary" in reported["image.txt"]


def test_symlink_out_of_the_source_folder_is_not_followed(tmp_path, make_sources):
    outside = tmp_path / "secret.txt"
    outside.write_text("T\n" + NBSP + "secret", encoding="utf-8")
    root = make_sources({"ok.txt": TINY})
    (root / "link.txt").symlink_to(outside)
    paths, problems = find_sources(root)
    assert [p.name for p in paths] == ["ok.txt"]
    assert problems[0].path == "link.txt" and "outside" in problems[0].message


def test_sources_are_found_folder_by_folder_in_name_order(tmp_path, make_sources):
    root = make_sources({"b.txt": TINY, "a.md": TINY, "z/y.txt": TINY, "c/x.txt": TINY, "c/d/w.txt": TINY,
                         ".hidden/h.txt": TINY, ".dot.txt": TINY, "c/x.yaml": "url: u\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "e.txt").write_text(TINY, encoding="utf-8")
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    paths, problems = find_sources(root)
    assert [p.relative_to(root).as_posix() for p in paths] == ["a.md", "b.txt", "c/x.txt", "c/d/w.txt", "z/y.txt"]
    assert problems == []


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_is_found(make_sources, monkeypatch):
    import annals.sources

    root = make_sources({"a.txt": TINY, "locked/b.txt": TINY, "open/c.txt": TINY})
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(annals.sources.os, "scandir", scandir)
    paths, problems = find_sources(root)
    assert [p.relative_to(root).as_posix() for p in paths] == ["a.txt", "open/c.txt"]
    assert [(p.path, p.severity) for p in problems] == [("locked", "error")]
    assert "could not be read (Permission denied)" in problems[0].message


def test_invalid_dates_are_reported_with_file_and_line(make_sources):
    root = make_sources({"d.txt": "T\n" + NBSP + "Le 30 février 2024, rien.\n"})
    document, problems = load_document(root / "d.txt", "d.txt")
    assert not document.paragraphs[0].dates
    assert (problems[0].path, problems[0].line) == ("d.txt", 2)


def test_published_date_gives_the_year_to_dates_before_any_other(make_sources):
    root = make_sources({"a.txt": "T\n" + NBSP + "Le 19 juin, la visite.\n", "a.yaml": "published: 2024-06-20\n"})
    document, problems = load_document(root / "a.txt", "a.txt")
    assert not problems
    assert document.paragraphs[0].dates[0].iso == "2024-06-19"


def test_legacy_encoding_warning_names_the_first_bad_line(make_sources):
    root = make_sources({"w.txt": "T\n".encode() + NBSP.encode() + "Août".encode("cp1252")})
    _, problems = load_document(root / "w.txt", "w.txt")
    assert (problems[0].line, problems[0].severity) == (2, "warning") and "cp1252" in problems[0].message


def test_nul_bytes_anywhere_mean_a_binary_file(make_sources):
    root = make_sources({"n.txt": ("T\n" + "x" * 10000).encode() + b"\x00"})
    document, problems = load_document(root / "n.txt", "n.txt")
    assert document is None and "binary" in problems[0].message


def test_a_document_dated_by_its_title_reads_its_dates_against_it(tmp_path, make_sources):
    import json

    from annals.cli import main

    root = make_sources({"seance.txt": "/ Assemblée - Séances\nDeuxième séance du samedi 2 février 2013\n"
                                       + NBSP + "Le vote du texte est prévu le 12 février, après la navette.\n"
                                       + NBSP + "Hier, la commission a siégé jusqu'à 16H30.\n"
                                       + NBSP + "L'amendement n° 4815 à l'article 433-21 est retiré.\n"})
    output = tmp_path / "site"
    assert main(["build", "--source", str(root), "--output", str(output), "--quiet"]) == 0
    events = json.loads((output / "events.json").read_text(encoding="utf-8"))
    assert [(e["date"], e["edtf"], e["how"]) for e in events] == [("2013-02-01", "2013-02-01", "relative"),
                                                                  ("2013-02-12", "2013-02-12", "document")]
    (document,) = json.loads((output / "documents.json").read_text(encoding="utf-8"))
    assert document["date"] == {"date": "2013-02-02", "precision": "day", "from": "title",
                                "expression": "samedi 2 février 2013"}
    page = (output / document["url"]).read_text(encoding="utf-8")
    assert "Date du document" in page and "2 février 2013" in page and "d’après le titre" in page
    assert "compté depuis la date du document" in page and "année tirée de la date du document" in page
    (entry,) = json.loads((output / "build-report.json").read_text(encoding="utf-8"))["dates"]
    assert [(r["expression"], r["edtf"], r["how"]) for r in entry["read"]] == [
        ("12 février", "2013-02-12", "document"), ("Hier", "2013-02-01", "relative")]


def test_verbose_prints_the_date_report(tmp_path, make_sources, capsys):
    from annals.cli import main

    root = make_sources({"a.txt": "Titre\n" + NBSP + "Le 19 juin 2024, puis hier, sans date du document.\n"})
    assert main(["build", "--source", str(root), "--output", str(tmp_path / "site"), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "a.txt: no date of its own" in out
    assert "'19 juin 2024' → 2024-06-19 (stated)" in out
    assert "'hier' refused: relative to a date the document does not give" in out
