"""Check a built site's internal links: every href/src names a file, every fragment an id in it."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class BrokenLink:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class _PageScan(HTMLParser):
    """Collects the ids a page defines and the links it makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.links.append(value)


def scan(path: Path) -> _PageScan:
    parser = _PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def check_links(site: Path) -> list[BrokenLink]:
    """Every broken internal link of every HTML page under `site`; external URLs are reported too,
    since the archive must work offline."""
    pages = {p.relative_to(site).as_posix(): scan(p) for p in sorted(site.rglob("*.html"))}
    broken = []
    for page, found in pages.items():
        for link in found.links:
            reason = _check(site, page, link, pages)
            if reason:
                broken.append(BrokenLink(page, link, reason))
    return broken


def _check(site: Path, page: str, link: str, pages: dict) -> str:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return "points outside the archive (the site must work offline)"
    if not parts.path:
        target = page
    else:
        if parts.path.startswith("/"):
            return "absolute path: breaks when opened from disk or published under a sub-path"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if target.startswith("../"):
            return "leaves the site folder"
        if not (site / target).is_file():
            return "no such file" if not (site / target).is_dir() else "points at a folder, not a file"
    if parts.fragment:
        ids = pages[target].ids if target in pages else set()
        if unquote(parts.fragment) not in ids:
            return f"no element with id {parts.fragment!r} in {target}"
    return ""
