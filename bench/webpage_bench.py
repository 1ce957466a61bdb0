"""Reading saved web pages and web archives: the same documents as seed-style .txt, as .html pages with a
site's chrome, and captured in a .warc.gz.

usage: python bench/webpage_bench.py [--documents 1000] [--runs 3] [--large-mb 400] [--work DIR]

Each generated document (make_corpus.py) is written once as it is, once as a page such as a browser saves
(head metadata, a navigation bar, a cookie banner, the article, an aside and a footer), once as a response
record of a WARC (with a request record and an image of 20 KB, as a crawl holds them), and once more in a
large WARC: the same records and `--large-mb` MB of images besides. The folders are built cold, in turn,
`--runs` times; prints the medians of wall and CPU seconds, documents per second and peak memory, and the
ratios. Memory stays flat in the archive's size when the large WARC's peak is the small one's.
"""
from __future__ import annotations

import argparse
import html
import io
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import SHARED, annals_build  # noqa: E402

CHROME_TOP = ("<nav><a href='/'>Accueil</a> <a href='/monde/'>Monde</a> <a href='/sport/'>Sport</a></nav>"
              "<div class='cookies'>Ce site dépose des témoins. <button>Accepter</button></div>")
CHROME_BOTTOM = ("<aside>Lire aussi : les autres articles de la rubrique.</aside>"
                 "<footer>Tous droits réservés — Mentions légales — Contact</footer>")


def as_page(text: str, number: int) -> str:
    """A seed-style document as a saved page: its title, section and paragraphs in an <article>."""
    lines = text.split("\n")
    crumb = lines[0].lstrip("/ ").split(" - ")[0] if lines[0].startswith("/") else ""
    title, body = (lines[1], lines[2:]) if crumb else (lines[0], lines[1:])
    paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in body if line.strip())
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<link rel='canonical' href='https://news.example.org/a/{number}.html'>"
            f"<meta property='article:section' content='{html.escape(crumb)}'></head><body>{CHROME_TOP}"
            f"<article><h1>{html.escape(title)}</h1>\n{paragraphs}</article>{CHROME_BOTTOM}</body></html>\n")


def write_warc(path: Path, pages: list[tuple[str, str]], extra_mb: int) -> None:
    """Capture `pages` ((url, html)) in a .warc.gz, each with its request and an image, and `extra_mb` MB
    of further images."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    noise = random.Random(7)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)

        def record(url: str, body: bytes, kind: str) -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))

        for url, page in pages:
            request = StatusAndHeaders("GET " + url + " HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            record(url, page.encode("utf-8"), "text/html; charset=utf-8")
            record(url.replace(".html", ".jpg"), noise.randbytes(20_000), "image/jpeg")
        for number in range(extra_mb):
            record(f"https://news.example.org/img/{number}.jpg", noise.randbytes(1_000_000), "image/jpeg")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-mb", type=int, default=400)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="annals-webpages-"))
    text = work / "text"
    subprocess.run([sys.executable, str(SHARED / "make_corpus.py"), str(text), "-n", str(args.documents),
                    "--lang", "fr"], check=True, stdout=subprocess.DEVNULL)
    pages = work / "pages"
    pages.mkdir(exist_ok=True)
    for number, path in enumerate(sorted(text.glob("*.txt"))):
        data = path.read_bytes()
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # the corpus holds a few Windows-1252 files, as real folders do
            source = data.decode("cp1252")
        (pages / f"{path.stem}.html").write_text(as_page(source, number), encoding="utf-8")
    captured = [(f"https://news.example.org/a/{n}.html", p.read_text(encoding="utf-8"))
                for n, p in enumerate(sorted(pages.glob("*.html")))]
    folders = {"text": text, "pages": pages, "warc": work / "warc", "warc-large": work / "warc-large"}
    for kind, extra in (("warc", 0), ("warc-large", args.large_mb)):
        folders[kind].mkdir(exist_ok=True)
        write_warc(folders[kind] / "crawl.warc.gz", captured, extra)
        print(f"{kind}: {(folders[kind] / 'crawl.warc.gz').stat().st_size / 1e6:.0f} MB")
    results = {kind: [] for kind in folders}
    for _ in range(args.runs):
        for kind, folder in folders.items():
            output = work / f"site-{kind}"
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(work / f".site-{kind}.annals-cache", ignore_errors=True)
            results[kind].append(annals_build(folder, output))
    for kind, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        rss = max(r["rss"] for r in runs)
        print(f"{kind:10} {args.documents} documents: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
              f"{args.documents / wall:6.0f} documents/s, peak {rss:.0f} MiB")
    wall = {kind: statistics.median(r["wall"] for r in runs) for kind, runs in results.items()}
    rss = {kind: max(r["rss"] for r in runs) for kind, runs in results.items()}
    print(f"pages / text: {wall['pages'] / wall['text']:.2f}× wall; warc / pages: {wall['warc'] / wall['pages']:.2f}× "
          f"wall; warc-large / warc: {wall['warc-large'] / wall['warc']:.2f}× wall, "
          f"{rss['warc-large'] / rss['warc']:.2f}× peak memory")


if __name__ == "__main__":
    main()
