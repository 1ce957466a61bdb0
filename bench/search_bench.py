"""Search benchmark: time to first result and bytes loaded per query, in headless Chromium from file://.

usage: python bench/search_bench.py SITE [QUERY ...]
Each query runs in a fresh page (nothing cached): the time runs from typing the query to the first result
on screen; the bytes are the sizes of the index files the page loaded for it (meta, shards, text chunks).
A query may carry facets after a "|", as the address gives them: "paix|year=1990-2010&section=politique".
"""
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
QUERIES = ["Lavrov", "coopération", "anniversaire", "Kim Jong Un", "traite", "délégation chaleureux",
           "coopération|year=1990-2010", "paix|year=2000-2025&entity=kim-jong-un"]


def measure(browser, site: Path, asked: str) -> tuple[float, int, int]:
    query, _, facets = asked.partition("|")
    page = browser.new_page()
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto((site / "search.html").as_uri() + (f"?{facets}" if facets else ""))
    page.wait_for_function("() => window.annalsSearch")
    loaded.clear()
    # Timed inside the page: from the input event to the first result in the DOM.
    page.evaluate("""() => {
        const input = document.getElementById('search-query');
        input.addEventListener('input', () => { window.typedAt = performance.now(); }, {once: true});
        new MutationObserver((changes, observer) => {
            if (document.querySelector('#search-results li')) {
                window.shownAt = performance.now(); observer.disconnect();
            }
        }).observe(document.getElementById('search-results'), {childList: true});
    }""")
    page.fill("#search-query", query)
    page.wait_for_function("() => window.shownAt", timeout=60_000)
    elapsed = page.evaluate("() => window.shownAt - window.typedAt") / 1000
    count = page.locator("#search-results li").count()
    files = [Path(unquote(urlsplit(url).path)) for url in loaded if "/search/" in url]
    page.close()
    return elapsed, sum(f.stat().st_size for f in files), count


def main():
    site = Path(sys.argv[1]).resolve()
    queries = sys.argv[2:] or QUERIES
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        print("| query | first result (ms) | loaded (KB) | results shown |")
        print("| --- | ---: | ---: | ---: |")
        for query in queries:
            elapsed, size, count = measure(browser, site, query)
            print(f"| {query} | {elapsed * 1000:.0f} | {size / 1024:.0f} | {count} |")
        browser.close()


if __name__ == "__main__":
    main()
