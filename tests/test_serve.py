"""`annals serve`: a save in the sources shows in the open page without a reload; errors show over it."""
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from annals.scaffold import create_archive

from conftest import NBSP, REPO
from test_browser import browser, page  # noqa: F401 — the Chromium fixtures

LIVE_TAG = '<script src="/__annals__/live.js" defer></script>'


@pytest.fixture
def served(tmp_path):
    """A new archive served by `annals serve` on a free port: (archive folder, base URL)."""
    archive = tmp_path / "archive"
    create_archive(archive)
    process = subprocess.Popen([sys.executable, "-m", "annals", "serve", "--port", "0"], cwd=archive,
                               env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = None
    for line in process.stdout:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            url = found.group(1)
            break
    assert url, "annals serve did not say where it serves"
    yield archive, url
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def source_of(archive: Path) -> Path:
    return next((archive / "seeds").glob("*.txt"))


def document_url(archive: Path, url: str) -> str:
    documents = json.loads((archive / "site" / "documents.json").read_text(encoding="utf-8"))
    return url + documents[0]["url"]


def test_served_pages_carry_the_live_script_and_the_files_on_disk_do_not(served):
    archive, url = served
    assert LIVE_TAG in fetch(url)
    assert LIVE_TAG in fetch(document_url(archive, url))
    assert fetch(url + "__annals__/state.js").startswith("annalsLive(1, ")
    assert all(LIVE_TAG not in p.read_text(encoding="utf-8") for p in (archive / "site").rglob("*.html"))


def test_a_saved_edit_rebuilds_and_a_second_build_is_announced(served):
    archive, url = served
    source = source_of(archive)
    source.write_text(source.read_text(encoding="utf-8") + NBSP + "Ajouté pendant l’aperçu.\n", encoding="utf-8")
    deadline = time.monotonic() + 20
    while "annalsLive(2, " not in fetch(url + "__annals__/state.js"):
        assert time.monotonic() < deadline, "no rebuild after the source was saved"
        time.sleep(0.1)
    assert "Ajouté pendant l’aperçu." in fetch(document_url(archive, url))


@pytest.mark.browser
def test_the_open_page_shows_an_edit_without_a_manual_reload(served, page):  # noqa: F811
    archive, url = served
    page.goto(document_url(archive, url))
    page.wait_for_function("typeof window.annalsLive === 'function'")
    page.evaluate("window.__notReloaded = true")  # gone if the page reloads
    source = source_of(archive)
    saved = time.monotonic()
    source.write_text(source.read_text(encoding="utf-8") + NBSP + "Le 2 mars 2026, une ligne ajoutée.\n",
                      encoding="utf-8")
    page.get_by_text("une ligne ajoutée").wait_for(timeout=20_000)
    print(f"edit visible {time.monotonic() - saved:.2f} s after the save")
    assert page.evaluate("window.__notReloaded === undefined")  # the live script reloaded it, not the test
    assert page.locator("[id='2026-03-02']").count() == 1  # and the new event has its anchor


@pytest.mark.browser
def test_a_failed_build_shows_over_the_page_and_the_last_good_site_stays(served, page):  # noqa: F811
    archive, url = served
    page.goto(document_url(archive, url))
    title = page.locator("h1").inner_text()
    broken = archive / "templates" / "document.html"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("{% extends 'base.html' %}{% block main %}{{ no_such_thing.at_all }}{% endblock %}",
                      encoding="utf-8")
    overlay = page.locator("#annals-live-error")
    overlay.wait_for(timeout=20_000)
    assert "document.html:1: UndefinedError: 'no_such_thing' is undefined" in overlay.inner_text()
    assert "la dernière génération du site a échoué" in overlay.inner_text()  # in the site's language
    assert page.locator("h1").inner_text() == title  # the previous page, still there
    assert title in fetch(document_url(archive, url))  # and still served
    broken.unlink()
    overlay.wait_for(state="detached", timeout=20_000)
    assert page.locator("h1").inner_text() == title


def test_a_taken_port_is_a_clear_error(served):
    archive, url = served
    port = url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run([sys.executable, "-m", "annals", "serve", "--port", port], cwd=archive,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


def raw_get(url: str, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    """GET `path` as it is (no quoting), with a Host header of our choosing."""
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or where.netloc)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_another_site_cannot_read_the_preview(served):
    # Issue 18, item 5: any web page could include the preview's scripts (search shards, state.js with
    # build errors) and read them; a rebinding DNS name was served like localhost.
    archive, url = served
    status, headers, _ = raw_get(url, "/__annals__/state.js")
    assert status == 200 and headers["cross-origin-resource-policy"] == "same-origin"
    assert raw_get(url, "/index.html", host="evil.example:80")[0] == 403
    status, _, _ = raw_get(url, "/index.html", host="localhost:" + url.rsplit(":", 1)[1].strip("/"))
    assert status == 200


def test_the_preview_serves_the_site_and_nothing_else(served):
    # Issue 18, item 12: GET /%00 printed a traceback and dropped the connection; /search/ and /static/
    # listed their folders; .annals-site was served; a missing page got Python's error page.
    archive, url = served
    assert raw_get(url, "/%00")[0] == 400
    for folder in ("/static/", "/search/"):
        status, _, body = raw_get(url, folder)
        assert status == 404 and b"Directory listing" not in body
    assert raw_get(url, "/.annals-site")[0] == 404
    status, headers, body = raw_get(url, "/no-such-page.html")
    assert status == 404 and "<html" in body.decode("utf-8") and b"Error response" not in body
    assert (archive / "site" / "404.html").read_bytes().split(b"</head>")[0] in body


def test_a_link_placed_in_the_site_is_not_followed_out_of_it(served, tmp_path):
    archive, url = served
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve me", encoding="utf-8")
    (archive / "site" / "leak.txt").symlink_to(secret)
    status, _, body = raw_get(url, "/leak.txt")
    assert status == 404 and b"do not serve me" not in body


def test_the_open_pages_are_told_errors_without_the_archives_absolute_paths():
    from annals.serve import LiveState

    state = LiveState(hide=("/home/someone/archive/",))
    state.failed("TemplateNotFound: /home/someone/archive/templates/x.html")
    assert b"/home/someone" not in state.script() and b"templates/x.html" in state.script()


@pytest.mark.browser
def test_the_open_page_follows_its_document_when_its_title_is_edited(served, page):  # noqa: F811
    archive, url = served
    before = document_url(archive, url)
    page.goto(before)
    page.wait_for_function("typeof window.annalsLive === 'function'")
    source = source_of(archive)
    title = json.loads((archive / "site" / "documents.json").read_text(encoding="utf-8"))[0]["title"]
    source.write_text(source.read_text(encoding="utf-8").replace(title, "Un titre corrigé", 1), encoding="utf-8")
    page.wait_for_url("**/un-titre-corrige.html", timeout=20_000)
    assert page.locator("h1").inner_text() == "Un titre corrigé"
    assert "Un titre corrigé" in fetch(before)  # the old address, over HTTP too, leads on to the page


@pytest.mark.browser
def test_a_served_page_asks_for_nothing_the_site_does_not_have(served, page):  # noqa: F811
    """No 404 in the console: the default theme has its icon (browsers ask for /favicon.ico otherwise)."""
    archive, url = served
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(document_url(archive, url))
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)  # the icon is asked for after the page has loaded
    assert failed == []
    assert page.evaluate("document.querySelector('link[rel=icon]').href").endswith("/static/favicon.svg")
