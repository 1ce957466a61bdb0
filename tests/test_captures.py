"""Web archives (.warc.gz, .wacz): each captured article a document, with its capture as provenance."""
import io
import json
import os
import random
import time
import tracemalloc

import pytest

from captures import CHROME, PAGES, REDIRECT, add_revisit, capture, package_wacz
from conftest import NBSP, build_sources

QUAI, FESTIVAL = "/fr/economie/2024/06/quai.html", "/fr/culture/2024/07/festival.html"
SEED_TEXT = f"/ Actualités\nUne note du port\n\n{NBSP}Le 2 août 2024, la note a été écrite à la main.\n"


def documents_of(output):
    return {d["source"]: d for d in json.loads((output / "documents.json").read_text(encoding="utf-8"))}


@pytest.fixture
def archive(tmp_path):
    """A folder with a .warc.gz (two articles, a redirect, an image, a 404, a second visit and a revisit),
    a .wacz of one article, a saved page and a seed-style text."""
    root = tmp_path / "seeds"
    (root / "captures").mkdir(parents=True)
    warc = root / "captures" / "gazette.warc.gz"
    origin = capture(warc, [QUAI, REDIRECT, "/img/port.png", "/absent.html", FESTIVAL, QUAI])
    add_revisit(warc, origin + FESTIVAL)
    single = tmp_path / "single.warc.gz"
    second = capture(single, [FESTIVAL, "/img/port.png"])
    package_wacz(root / "captures" / "festival.wacz", single, [second + FESTIVAL])
    (root / "saved.html").write_text(PAGES[FESTIVAL], encoding="utf-8")
    (root / "note.txt").write_text(SEED_TEXT, encoding="utf-8")
    return root, origin


def test_every_captured_article_is_a_document_with_its_capture(archive, tmp_path):
    root, origin = archive
    output = tmp_path / "site"
    report = build_sources(root, output)
    assert report.published and not report.skipped and not report.warnings, report.problems
    documents = documents_of(output)
    captured = {name: d for name, d in documents.items() if "#" in name}
    assert sorted(d["title"] for d in captured.values()) == [
        "Le festival des marins revient", "Le festival des marins revient", "Le nouveau quai ouvre ses portes"]
    assert {"note.txt", "saved.html"} <= set(documents)
    quai = next(d for d in captured.values() if d["title"].startswith("Le nouveau quai"))
    assert quai["source"].startswith("captures/gazette.warc.gz#")
    assert quai["provenance"]["url"] == origin + QUAI
    assert quai["provenance"]["retrieved"].endswith("Z")  # the WARC-Date of the capture
    assert quai["provenance"]["capture"]["archive"] == "captures/gazette.warc.gz"
    assert quai["provenance"]["capture"]["payload_digest"].startswith("sha1:")
    assert quai["provenance"]["published"] == "2024-06-21"
    assert quai["section"] == "Économie"  # from its breadcrumb
    from_wacz = next(d for name, d in captured.items() if name.startswith("captures/festival.wacz#"))
    assert from_wacz["provenance"]["capture"]["member"] == "archive/data.warc.gz"
    events = json.loads((output / "events.json").read_text(encoding="utf-8"))
    assert {"2024-06-19", "2024-07-12", "2024-08-02"} <= {e["date"] for e in events}
    notes = {p.path: p.message for p in report.notes}
    for reason in ("1 redirect,", "1 asset or other file", "1 response that is not 200", "1 revisit", "1 second copy"):
        assert reason in notes["captures/gazette.warc.gz"], notes
    assert notes["captures/gazette.warc.gz"].startswith("2 pages captured")
    assert notes["captures/festival.wacz"].startswith("1 page captured")
    data = json.loads((output / "build-report.json").read_text(encoding="utf-8"))
    assert {n["file"] for n in data["notes"]} == {"captures/gazette.warc.gz", "captures/festival.wacz"}


def test_a_captured_page_shows_its_text_its_original_address_and_when_it_was_captured(archive, tmp_path):
    root, origin = archive
    output = tmp_path / "site"
    build_sources(root, output)
    quai = next(d for d in documents_of(output).values() if d["title"].startswith("Le nouveau quai"))
    page = (output / quai["url"]).read_text(encoding="utf-8")
    assert f'<link rel="original" href="{origin}{QUAI}">' in page
    assert "Capturé le" in page and 'datetime="' + quai["provenance"]["retrieved"] + '"' in page
    assert quai["provenance"]["capture"]["payload_digest"] in page
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "la capitainerie a ouvert le nouveau quai" in article
    for chrome in CHROME:
        assert chrome not in page, chrome
    copy = (output / quai["source_copy"])
    assert copy.name.endswith(".source.html.txt")
    assert copy.read_bytes() == PAGES[QUAI].encode("utf-8")  # the captured payload, byte for byte


def test_a_rebuild_does_not_list_an_unchanged_archive_again(archive, tmp_path, monkeypatch):
    import annals.captures

    root, _ = archive
    for warc in (root / "captures").iterdir():  # written long before the build, as archives are
        os.utime(warc, (time.time() - 3600, time.time() - 3600))
    output = tmp_path / "site"
    first = build_sources(root, output)
    (root / "note.txt").write_text(SEED_TEXT + f"\n{NBSP}Une ligne de plus.\n", encoding="utf-8")

    def listed_again(path):
        raise AssertionError(f"{path} listed again")

    monkeypatch.setattr(annals.captures, "list_pages", listed_again)
    second = build_sources(root, output)
    assert second.published and second.documents == first.documents
    assert [str(n) for n in second.notes] == [str(n) for n in first.notes]


def test_a_damaged_archive_is_reported_and_the_rest_is_built(archive, tmp_path):
    root, _ = archive
    (root / "captures" / "broken.warc.gz").write_bytes(b"\x1f\x8b\x08\x00this is no gzip at all" * 10)
    (root / "captures" / "broken.wacz").write_bytes(b"PK\x03\x04 not a zip")
    report = build_sources(root, tmp_path / "site")
    errors = {p.path: p.message for p in report.skipped}
    assert "web archive" in errors["captures/broken.warc.gz"] and "left out" in errors["captures/broken.warc.gz"]
    assert "WACZ" in errors["captures/broken.wacz"]
    assert report.published and report.documents == 5


def test_a_wacz_keeps_only_the_pages_its_list_names(tmp_path):
    single = tmp_path / "visit.warc.gz"
    origin = capture(single, [QUAI, FESTIVAL])
    root = tmp_path / "seeds"
    root.mkdir()
    package_wacz(root / "visit.wacz", single, [origin + FESTIVAL + "#top"])
    report = build_sources(root, tmp_path / "site")
    assert [d["title"] for d in documents_of(tmp_path / "site").values()] == ["Le festival des marins revient"]
    assert "1 HTML page not listed in pages.jsonl" in report.notes[0].message


def test_listing_a_large_archive_streams_it(tmp_path):
    """Records of 20 MB are passed over, never held: the listing's memory stays small. (Text that
    compresses as web pages do; warcio inflates a block of the file at a time.)"""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from annals.captures import list_pages

    warc = tmp_path / "big.warc.gz"
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for number in range(2):
            body = b"<html><body><p>" + random.Random(number).randbytes(10_000_000).hex().encode() + b"</p>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"http://example.org/{number}", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))
    tracemalloc.start()
    listing = list_pages(warc)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(listing.pages) == 2
    assert peak < 4 * 1024 * 1024, peak
