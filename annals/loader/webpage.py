"""A page saved from the browser (.html, .htm) → its article's parts, as trafilatura finds them.

trafilatura keeps the article's title, headings and paragraphs and leaves out navigation, banners, asides,
comments and footers; its metadata (canonical address, publication date, site name, section) become the
document's, under the sidecar's (which wins, as over front matter). The page's own markup never reaches the
site: paragraphs are kept as text, escaped when shown, and the verbatim copy is published as text.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from ..model import HEADING, PARAGRAPH
from .metadata import checked
from .parts import Parts, RawBlock

HTML_LANGUAGE = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.I)


class NoArticle(ValueError):
    """The page has no article text trafilatura can find."""


def read_html(text: str) -> Parts:
    """Split a saved web page into its parts (title, headings, paragraphs, metadata)."""
    import trafilatura

    found = trafilatura.extract(text, output_format="xml", with_metadata=True, include_comments=False,
                                include_tables=False, include_images=False, favor_precision=True)
    if not found:
        raise NoArticle("has no article text that could be found (a page of links, or an empty page); skipped")
    root = ElementTree.fromstring(found)
    title = " ".join((root.get("title") or "").split())
    blocks = []
    for element in root.iter():
        if element.tag not in ("head", "p"):
            continue
        words = " ".join("".join(element.itertext()).split())
        if not words or (element.tag == "head" and words == title and not blocks):
            continue
        blocks.append(RawBlock(HEADING if element.tag == "head" else PARAGRAPH, words, _line_of(text, words)))
    if not any(b.kind == PARAGRAPH for b in blocks):
        raise NoArticle("has no article text that could be found (a page of links, or an empty page); skipped")
    metadata, notes = checked(_metadata(root, text))
    return Parts(title=title, section=metadata.pop("section", ""), blocks=tuple(blocks), metadata=metadata,
                 notes=tuple(notes))


def _metadata(root, text: str) -> dict:
    language = HTML_LANGUAGE.search(text[:4096])
    categories = [c.strip() for c in (root.get("categories") or "").split(",") if c.strip()]
    values = {"url": root.get("url") or "", "published": root.get("date") or "",
              "publisher": root.get("sitename") or "", "section": categories[0] if categories else "",
              "language": language.group(1).replace("_", "-") if language else ""}
    return {key: value for key, value in values.items() if value}


def _line_of(text: str, words: str) -> int:
    """The line of the page where a paragraph starts, when its first words are found as written."""
    start = text.find(words[:40])
    return text.count("\n", 0, start) + 1 if start >= 0 else 0
