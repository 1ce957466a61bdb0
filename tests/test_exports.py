"""Data the site publishes beside its pages: fixity manifest, Atom feed, sitemap, CSV."""
import csv
import hashlib
import io
import xml.etree.ElementTree as ElementTree

import pytest

from annals.cli import main
from annals.fixity import MANIFEST, verify
from annals.pipeline import BuildOptions, build

from conftest import SEED_FILE, SEEDS

ATOM = "{http://www.w3.org/2005/Atom}"
DOC = "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    output = tmp_path_factory.mktemp("published") / "site"
    build(BuildOptions(source=SEEDS, output=output, base_url="https://archives.example.org/annals/"))
    return output


def test_manifest_lists_every_file_with_its_checksum(seed_site):
    lines = (seed_site / MANIFEST).read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    files = {p.relative_to(seed_site).as_posix() for p in seed_site.rglob("*") if p.is_file()}
    assert set(listed) == files - {MANIFEST, ".annals-site"}
    source = (SEEDS / SEED_FILE).read_bytes()
    assert listed[f"{DOC}.source.txt"] == hashlib.sha256(source).hexdigest()
    assert verify(seed_site).ok


def test_verify_finds_changed_missing_and_extra_files(seed_site, tmp_path, capsys):
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(seed_site, copy)
    (copy / "index.html").write_text("tampered", encoding="utf-8")
    (copy / "timeline.html").unlink()
    (copy / "extra.html").write_text("x", encoding="utf-8")
    result = verify(copy)
    assert (result.changed, result.missing, result.extra) == (("index.html",), ("timeline.html",), ("extra.html",))
    assert main(["verify", str(copy)]) == 1
    assert "NOT intact" in capsys.readouterr().out
    assert main(["verify", str(seed_site)]) == 0


def test_verify_reports_a_changed_marker_and_accepts_a_copy_without_it(seed_site, tmp_path):
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(seed_site, copy)
    (copy / ".annals-site").write_text("changed by hand\n", encoding="utf-8")
    assert verify(copy).changed == (".annals-site",)
    (copy / ".annals-site").unlink()  # a mirror that leaves out hidden files
    assert verify(copy).ok


def test_no_feed_or_sitemap_without_a_base_url(seed_site):
    assert not (seed_site / "feed.xml").exists() and not (seed_site / "sitemap.xml").exists()


def test_atom_feed_with_absolute_links(published):
    feed = ElementTree.parse(published / "feed.xml").getroot()
    assert feed.find(f"{ATOM}id").text == "https://archives.example.org/annals/"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Pour l'indépendance et la justice"
    assert entry.find(f"{ATOM}link").get("href") == f"https://archives.example.org/annals/{DOC}.html"
    # The newest date the source states, never the clock.
    assert entry.find(f"{ATOM}updated").text == "2025-10-10T00:00:00Z"
    assert feed.find(f"{ATOM}updated").text == "2025-10-10T00:00:00Z"


def test_source_date_epoch_sets_the_feed_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(BuildOptions(source=SEEDS, output=tmp_path / "site", base_url="https://example.org/"))
    feed = ElementTree.parse(tmp_path / "site" / "feed.xml").getroot()
    assert feed.find(f"{ATOM}updated").text == "2023-11-14T00:00:00Z"


def test_sitemap_lists_every_page_once(published):
    root = ElementTree.parse(published / "sitemap.xml").getroot()
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = {p.relative_to(published).as_posix() for p in published.rglob("*.html")} - {"404.html"}
    assert sorted(locations) == sorted(f"https://archives.example.org/annals/{p}" for p in pages)


def test_events_csv_matches_events_json(seed_site):
    import json
    rows = list(csv.DictReader(io.StringIO((seed_site / "events.csv").read_text(encoding="utf-8"))))
    events = json.loads((seed_site / "events.json").read_text(encoding="utf-8"))
    assert [(r["date"], r["precision"], r["url"], r["text"]) for r in rows] == \
        [(e["date"], e["precision"], e["url"], e["text"]) for e in events]


def test_data_files_follow_the_archives_order(tmp_path, make_sources):
    """events.json and events.csv list events as the timeline does (date, then page path, then paragraph;
    a year before its months, a month before its days), documents.json by page path — whatever order the
    build cache gives their lines back in."""
    import json

    from annals.index import build_archive
    from annals.loader import load_archive
    from conftest import NBSP
    same = f"{NBSP}Le 19 juin 2024, un fait.\n{NBSP}En 2024, un autre.\n{NBSP}En juin 2024, encore.\n"
    sources = {f"{name}.txt": f"/ S - T\nTitre {name}\n{same}{NBSP}Le 19 juin 2024, le même jour.\n"
               for name in ("zeta", "alpha", "mu")}
    sources["b/beta.txt"] = "/ R\nBeta\n" + same
    root = make_sources(sources)
    build(BuildOptions(source=root, output=tmp_path / "site"))
    archive = build_archive(load_archive(root).documents)
    events = json.loads((tmp_path / "site" / "events.json").read_text(encoding="utf-8"))
    assert [(e["date"], e["url"]) for e in events] == [(e.date, e.url) for e in archive.events]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "site" / "events.csv").read_text(encoding="utf-8"))))
    assert [r["url"] for r in rows] == [e.url for e in archive.events]
    documents = json.loads((tmp_path / "site" / "documents.json").read_text(encoding="utf-8"))
    assert [d["url"] for d in documents] == [d.path for d in archive.documents]
    assert [e.date for e in archive.events][:4] == ["2024"] * 4 and len({e.document_path for e in archive.events}) == 4


def test_a_new_version_of_annals_encodes_the_data_files_again(tmp_path, make_sources, monkeypatch):
    # The lines of events.json were kept by the document and its path alone: after an upgrade that adds a
    # field, a rebuild published the old lines (seen when events gained "edtf").
    import annals.exports as exports
    import annals.make as make
    from conftest import NBSP, build_sources

    root = make_sources({"a.txt": "Titre\n" + NBSP + "Le 19 juin 2024, une date.\n"})
    output = tmp_path / "site"
    build_sources(root, output)
    encode = exports.document_lines

    def with_a_new_field(document, events, source_copy):
        lines = encode(document, events, source_copy)
        renamed = tuple((date, number, item.replace(b'"date"', b'"day"'), row) for date, number, item, row in lines.events)
        return exports.DocumentLines(lines.path, lines.document, renamed)

    monkeypatch.setattr(make, "document_lines", with_a_new_field)
    monkeypatch.setattr(make, "code_version", lambda: "a newer Annals")
    build_sources(root, output)
    assert '"day": "2024-06-19"' in (output / "events.json").read_text(encoding="utf-8")


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(tmp_path, make_sources):
    # A paragraph opening with "=HYPERLINK(…)" was written as it is: a spreadsheet opening events.csv ran it.
    import csv
    import json

    from conftest import NBSP, build_sources

    root = make_sources({"a.txt": "Titre\n" + NBSP + '=HYPERLINK("http://evil.example/","clic") le 21 juin 2024\n'
                                  + NBSP + "+33 1 23 le 22 juin 2024\n" + NBSP + "-1 le 23 juin 2024\n"
                                  + NBSP + "@SUM(A1) le 24 juin 2024\n" + NBSP + "Le 25 juin 2024, rien à craindre.\n"})
    output = tmp_path / "site"
    build_sources(root, output)
    rows = list(csv.DictReader((output / "events.csv").open(encoding="utf-8")))
    assert [r["text"][:2] for r in rows] == ["'=", "'+", "'-", "'@", "Le"]
    events = json.loads((output / "events.json").read_text(encoding="utf-8"))
    assert events[0]["text"].startswith("=HYPERLINK")  # the data file keeps the words as written


def test_verify_refuses_a_damaged_manifest_and_checks_the_manifest_itself(seed_site, tmp_path, capsys):
    # Issue 18, item 13: a manifest with invalid UTF-8 crashed `annals verify`; a page edited together with
    # its manifest line passed (the manifest had no checksum of its own); an added empty folder went unseen.
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(seed_site, copy)
    manifest_sha256 = hashlib.sha256((copy / MANIFEST).read_bytes()).hexdigest()
    assert main(["verify", str(copy)]) == 0
    assert f"{MANIFEST}: SHA-256 {manifest_sha256}" in capsys.readouterr().out

    (copy / "index.html").write_text("tampered", encoding="utf-8")
    lines = (copy / MANIFEST).read_text(encoding="utf-8").splitlines()
    forged = [f"{hashlib.sha256(b'tampered').hexdigest()}  index.html" if line.endswith("  index.html") else line
              for line in lines]
    (copy / MANIFEST).write_text("\n".join(forged) + "\n", encoding="utf-8")
    assert main(["verify", str(copy)]) == 0  # consistent with itself…
    assert main(["verify", str(copy), "--manifest-sha256", manifest_sha256]) == 1  # …but not the one kept apart
    assert "the manifest itself has changed" in capsys.readouterr().out

    (copy / "empty" / "inner").mkdir(parents=True)
    assert verify(copy).empty_folders == ("empty", "empty/inner")

    (copy / MANIFEST).write_bytes(b"\xff\xfe not text\n")
    assert main(["verify", str(copy)]) == 2
    assert f"{MANIFEST}:1: not valid UTF-8" in capsys.readouterr().err
