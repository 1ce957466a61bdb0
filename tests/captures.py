"""Real web captures for the tests: news-like pages served on 127.0.0.1 and captured with warcio, as
wget --warc-file or ArchiveWeb.page would, written into a .warc.gz or packaged as a .wacz (by its spec)."""
from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from warcio.capture_http import capture_http
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{title} — La Gazette du Port</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="La Gazette du Port">
<meta property="article:published_time" content="{published}T07:30:00+01:00">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{title}", "datePublished": "{published}T07:30:00+01:00"}}</script>
<script>window.__pwned = 1</script>
</head><body onload="window.__pwned = 2">
<nav><a href="/">Accueil de la Gazette</a> <a href="/fr/economie/">Toutes les rubriques</a></nav>
<div class="cookie-banner">Ce site dépose des témoins. <button onclick="window.__pwned = 4">J’accepte</button></div>
<ol class="breadcrumb"><li><a href="/">Accueil</a></li><li><a href="/fr/economie/">Économie</a></li></ol>
<article>
<h1>{title}</h1>
{body}
<img src="/img/port.png" alt="Le port au matin">
</article>
<aside>À lire aussi : le classement des plages les plus propres de la côte, publié hier.</aside>
<footer>© La Gazette du Port — Mentions légales — Écrire à la rédaction</footer>
</body></html>
"""
CHROME = ("Accueil de la Gazette", "Toutes les rubriques", "dépose des témoins", "À lire aussi",
          "Mentions légales", "Écrire à la rédaction", "__pwned")

PAGES = {
    "/fr/economie/2024/06/quai.html": ARTICLE.format(lang="fr", title="Le nouveau quai ouvre ses portes",
                                                     published="2024-06-21", body="""
<p>Le 19 juin 2024, la capitainerie a ouvert le nouveau quai aux cargos venus du nord, après deux ans de
travaux menés par la chambre de commerce.</p>
<p>Les premiers navires ont accosté dès le lendemain matin, selon le directeur du port interrogé sur place
par notre rédaction.</p>"""),
    "/fr/culture/2024/07/festival.html": ARTICLE.format(lang="fr", title="Le festival des marins revient",
                                                        published="2024-07-02", body="""
<p>Le festival des chants de marins se tiendra du 12 au 14 juillet 2024 sur l’esplanade, comme chaque année
depuis sa création par l’association des anciens.</p>
<p>Les organisateurs attendent plus de dix mille visiteurs sur les trois jours de la fête, malgré la pluie
annoncée par les services météorologiques.</p>"""),
}
ASSETS = {"/img/port.png": (b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")}
REDIRECT = "/fr/quai"  # → the first page


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 — the name http.server calls
        if self.path in PAGES:
            self._send(200, PAGES[self.path].encode("utf-8"), "text/html; charset=utf-8")
        elif self.path in ASSETS:
            self._send(200, *ASSETS[self.path])
        elif self.path == REDIRECT:
            self.send_response(301)
            self.send_header("Location", "/fr/economie/2024/06/quai.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, b"<html><body><p>Page introuvable sur ce serveur.</p></body></html>",
                       "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Redirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # captured as the 301 it is, as a crawler records it


def capture(warc: Path, paths: list[str], pages: dict | None = None) -> str:
    """Serve the test pages (and `pages`, {path: html}) on 127.0.0.1 and capture a visit of each of
    `paths` into `warc`; returns the server's origin ("http://127.0.0.1:PORT")."""
    extra = pages or {}
    handler = type("Serving", (Handler,), {})
    if extra:
        def do_get(self, _base=Handler.do_GET):
            if self.path in extra:
                return self._send(200, extra[self.path].encode("utf-8"), "text/html; charset=utf-8")
            return _base(self)
        handler.do_GET = do_get
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    opener = urllib.request.build_opener(Redirects)
    try:
        with capture_http(str(warc)):
            for path in paths:
                try:
                    opener.open(origin + path).read()
                except urllib.error.HTTPError:
                    pass  # 301 and 404 are captured all the same
    finally:
        server.shutdown()
        server.server_close()
    return origin


def add_revisit(warc: Path, uri: str) -> None:
    """Append a revisit record (a page captured again, unchanged) to a .warc.gz."""
    with warc.open("ab") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_revisit_record(uri, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", uri,
                                                         "2024-06-22T10:00:00Z", http_headers=headers))


def package_wacz(wacz: Path, warc: Path, pages: list[str]) -> None:
    """A WACZ as its specification lays it out: the WARC stored under archive/, the pages listed in
    pages/pages.jsonl, and datapackage.json with each file's digest."""
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
    lines += [json.dumps({"url": url, "ts": "2024-06-22T10:00:00Z"}) for url in pages]
    files = {"archive/data.warc.gz": warc.read_bytes(), "pages/pages.jsonl": ("\n".join(lines) + "\n").encode()}
    resources = [{"name": Path(name).name, "path": name, "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                  "bytes": len(data)} for name, data in files.items()]
    files["datapackage.json"] = json.dumps({"profile": "data-package", "wacz_version": "1.1.1",
                                            "resources": resources}).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    wacz.write_bytes(buffer.getvalue())

