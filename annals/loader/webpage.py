"""A page saved from the browser (.html, .htm) → its article's parts, as trafilatura finds them.

trafilatura keeps the article's title, headings and paragraphs and leaves out navigation, banners, asides,
comments and footers; its metadata (canonical address, publication date, site name, section) become the
document's, under the sidecar's (which wins, as over front matter). The page's own markup never reaches the
site: paragraphs are kept as text, escaped when shown, and the verbatim copy is published as text.
"""
from __future__ import annotations

import json
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

    given, flattened = _flattened(text)
    found = trafilatura.extract(given, output_format="xml", with_metadata=True, include_comments=False,
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
                 notes=tuple(flattened) + tuple(notes))


# Inline elements a block may hold before it reaches trafilatura as plain text: it gathers a block's text by
# an XPath whose cost is quadratic in them (one paragraph of 8,000 links: 5.3 s; of 1,000: 0.08 s).
MAX_INLINE = 1000
INLINE = frozenset("a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong sub sup "
                   "time tt u var".split())
FLATTENED = ("a block of {count:,} inline elements (links, emphasis…) was read as plain text: the article "
             "extractor's time grows with the square of their number (8,000 took it 5 s)")


def _flattened(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The page as trafilatura is given it: as it is, or — where a block holds more than MAX_INLINE inline
    elements — with those blocks' inline markup taken out (their text kept), and a note of each. Annals
    keeps only the text of a page's paragraphs, so nothing it shows is lost."""
    if text.count("<") <= MAX_INLINE:  # too few tags for any block to hold that many
        return text, []
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return text, []  # trafilatura says what it makes of it
    crowded = [(block, count) for block, count in _inline_counts(tree).items() if count > MAX_INLINE]
    if not crowded:
        return text, []
    for block, _ in crowded:
        _plain(block)
    notes = sorted((block.sourceline or 0, FLATTENED.format(count=count)) for block, count in crowded)
    return lxml.html.tostring(tree, encoding="unicode"), notes


def _inline_counts(tree) -> dict:
    """For each block holding inline elements, how many it holds, at any depth through inline elements
    (what trafilatura gathers the block's text from)."""
    counts: dict = {}
    for element in tree.iter():
        if element.tag in INLINE:
            holder = element.getparent()
            while holder is not None and holder.tag in INLINE:
                holder = holder.getparent()
            if holder is not None:
                counts[holder] = counts.get(holder, 0) + 1
    return counts


def _plain(block) -> None:
    """`block` with its inline children replaced by their text, in place; its other children (line breaks,
    blocks) stay where they were. One pass: lxml's drop_tag, once per child, is itself quadratic."""
    children = list(block)
    runs, kept = [[block.text or ""]], []  # the text before the first kept child, then after each
    for child in children:
        if child.tag in INLINE:
            runs[-1] += [child.text_content(), child.tail or ""]
        else:
            kept.append(child)
            runs.append([child.tail or ""])
    for child in children:
        block.remove(child)
    block.text = "".join(runs[0])
    for child, run in zip(kept, runs[1:]):
        child.tail = "".join(run)
        block.append(child)


def _metadata(root, text: str) -> dict:
    language = HTML_LANGUAGE.search(text[:4096])
    categories = [c.strip() for c in (root.get("categories") or "").split(",") if c.strip()]
    crumbs = breadcrumb(text, " ".join((root.get("title") or "").split()))
    section, subsection = (crumbs + ["", ""])[:2] if crumbs else (categories[0] if categories else "", "")
    values = {"url": root.get("url") or "", "published": root.get("date") or "",
              "publisher": root.get("sitename") or "", "author": " ".join((root.get("author") or "").split()),
              "section": section, "subsection": subsection,
              "language": language.group(1).replace("_", "-") if language else ""}
    return {key: value for key, value in values.items() if value}


BREADCRUMB = re.compile(r"breadcrumb", re.I)
HOME = {"accueil", "home", "homepage", "page d'accueil", "page d’accueil", "une", "à la une"}


def breadcrumb(text: str, title: str) -> list[str]:
    """The names of a page's breadcrumb between the site's home and the page itself ("Accueil › Économie ›
    Le nouveau quai" → ["Économie"]): from its schema.org BreadcrumbList, else from the element whose class,
    id or label says breadcrumb. [] when the page has none."""
    if not BREADCRUMB.search(text):
        return []
    names = _listed_crumbs(text) or _marked_crumbs(text)
    names = [n for n in names if n]
    if names and (names[0].casefold() in HOME):
        names = names[1:]
    if names and (names[-1] == title or title.startswith(names[-1]) and len(names[-1]) > 30):
        names = names[:-1]
    return names[:2]


def _listed_crumbs(text: str) -> list[str]:
    """The names of a JSON-LD BreadcrumbList, in the order of their positions."""
    for block in re.findall(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", text, re.I | re.S):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if isinstance(item, dict) and item.get("@type") == "BreadcrumbList":
                entries = [e for e in item.get("itemListElement") or [] if isinstance(e, dict)]
                entries.sort(key=lambda e: e.get("position") if isinstance(e.get("position"), int) else 0)
                return [_crumb_name(e) for e in entries]
    return []


def _crumb_name(entry: dict) -> str:
    name = entry.get("name")
    if not isinstance(name, str) and isinstance(entry.get("item"), dict):
        name = entry["item"].get("name")
    return " ".join(name.split()) if isinstance(name, str) else ""


def _marked_crumbs(text: str) -> list[str]:
    """The items (or links) of the first element whose class, id or aria-label names a breadcrumb."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        marks = " ".join(element.get(a) or "" for a in ("class", "id", "aria-label"))
        if BREADCRUMB.search(marks):
            items = element.findall(".//li") or element.findall(".//a")
            return [" ".join(i.text_content().split()) for i in items]
    return []


LANGUAGE_FOLDER = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$", re.I)


def url_sections(url: str, depth: int) -> tuple[str, str]:
    """A section and subsection named by the first folders of a page's address (`depth` of them, 0 to 2):
    "https://news.example.org/fr/politique-etrangere/2024/06/article.html" → ("Politique etrangere", "").
    A language's folder ("fr", "en-gb") is passed over; a folder with a digit (a date, an id) ends them."""
    from urllib.parse import unquote, urlsplit

    folders = [unquote(f) for f in urlsplit(url).path.split("/")[:-1] if f]
    names = []
    for folder in folders:
        if not names and LANGUAGE_FOLDER.match(folder):
            continue
        if any(c.isdigit() for c in folder) or len(names) == depth:
            break
        words = " ".join(re.split(r"[-_+.]+", folder)).strip()
        names.append(words[:1].upper() + words[1:])
    return tuple((names + ["", ""])[:2])


def _line_of(text: str, words: str) -> int:
    """The line of the page where a paragraph starts, when its first words are found as written."""
    start = text.find(words[:40])
    return text.count("\n", 0, start) + 1 if start >= 0 else 0
