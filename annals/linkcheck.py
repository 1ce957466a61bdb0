"""Check a built site's internal links: every href/src names a file, every fragment an id in it.

Also lists what a page would load from the network (scripts, styles, images, frames, CSS url()),
which an archive that must work offline may not do; outbound hyperlinks (<a href="https://…">) are fine.
"""
from __future__ import annotations

import posixpath
import re
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


RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background"}
# The kinds of <link> a browser fetches; the others (canonical, alternate, author…) only name an address.
LOADING_LINKS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon",
                 "mask-icon", "dns-prefetch", "preconnect", "import"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


class _PageScan(HTMLParser):
    """Collects the ids a page defines, the links it makes and the resources it loads."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.links.append(value)
            if value and (name in RESOURCE_ATTRIBUTES or (tag == "link" and name == "href" and _loads(attributes))):
                self.resources.append(value)
            if value and name == "style":
                self.resources += [a or b for a, b in CSS_URL.findall(value)]
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.resources.append(attributes.get("content") or "")


def _loads(link: dict) -> bool:
    """Whether a browser fetches what a <link> names (a stylesheet, an icon…; a link with no rel, too)."""
    kinds = set((link.get("rel") or "").lower().split())
    return not kinds or bool(kinds & LOADING_LINKS)


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


def network_references(site: Path) -> list[BrokenLink]:
    """Every resource a page or stylesheet would fetch from outside the site folder."""
    found = []
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        for resource in scan(path).resources:
            if _is_remote(resource):
                found.append(BrokenLink(page, resource, "loads a resource from the network"))
    for path in sorted(site.rglob("*.css")):
        for a, b in CSS_URL.findall(path.read_text(encoding="utf-8", errors="replace")):
            if _is_remote(a or b):
                found.append(BrokenLink(path.relative_to(site).as_posix(), a or b, "loads from the network"))
    return found


def _is_remote(reference: str) -> bool:
    parts = urlsplit(reference.strip().split(";url=")[-1] if "url=" in reference.lower() else reference.strip())
    return bool(parts.netloc) or parts.scheme in ("http", "https", "ftp", "ws", "wss")


def _check(site: Path, page: str, link: str, pages: dict) -> str:
    parts = urlsplit(link)
    if parts.scheme in ("http", "https", "mailto"):
        return ""  # an outbound hyperlink; resources from the network are network_references()' job
    if parts.scheme or parts.netloc:
        return f"a {parts.scheme or 'protocol-relative'} link: not a file of the archive"
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
