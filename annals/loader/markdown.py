"""Reader for Markdown sources with optional YAML front matter; block HTML is sanitised."""
from __future__ import annotations

import html
import re

import markdown as markdown_lib
import nh3

from ..addresses import URL_SCHEMES
from ..model import HEADING, PARAGRAPH
from .metadata import checked, parse_yaml
from .parts import Parts, RawBlock

# The safe subset Markdown may produce: text-level formatting, lists, quotes, code and links
# (http, https, mailto and relative only). No images: the archive keeps text, and no raw HTML survives.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "i", "li", "ol", "p", "pre",
                "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
                "u", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}

HEADING_LINE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
TAG = re.compile(r"<[^>]*>")


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line where the body starts); no front matter gives ("", text, 1)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return "", text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return "", text, 1  # no closing fence: the whole file is body, nothing is hidden


def sanitise(fragment: str) -> str:
    # No rel added: links never open new windows here, and rel on an <a> whose unsafe href was
    # removed would make the page invalid HTML.
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None)


def plain_text(fragment: str) -> str:
    """Visible text of sanitised HTML, for dates and search."""
    return html.unescape(TAG.sub("", fragment)).strip()


TOO_DEEP = "lists or quotes nested too deeply for Markdown (hundreds of levels): their text is shown as it is written"
MAX_LEFT_OPEN = 256
LEFT_OPEN = (f"more than {MAX_LEFT_OPEN} brackets, parentheses or angle brackets left open: Markdown's time grows "
             "with the square of their number (20,000 took it 14 s), so this paragraph is shown as it is written")
OPENED_BY = {"]": "[", ")": "(", ">": "<"}
BRACKET = re.compile(r"[][()<>]")


def read_markdown(text: str) -> Parts:
    front, body, body_line = split_front_matter(text)
    metadata, notes = checked(parse_yaml(front, first_line=2), front, first_line=2) if front else ({}, [])
    blocks, notes = [], list(notes)
    for line, chunk in _chunks(body, body_line):
        heading = HEADING_LINE.match(chunk) if "\n" not in chunk else None
        if heading:
            blocks.append(RawBlock(HEADING, heading.group(2), line))
            continue
        fragment, note = _converted(chunk)
        if note:
            notes.append((line, note))
        blocks.append(RawBlock(PARAGRAPH, plain_text(fragment) or chunk.strip(), line, html=fragment))
    title = metadata.pop("title", "")
    if not title and blocks and blocks[0].kind == HEADING:
        title = blocks.pop(0).text
    return Parts(title=title, section=metadata.pop("section", ""), subsection=metadata.pop("subsection", ""),
                 blocks=tuple(blocks), metadata=metadata, notes=tuple(notes))


def _converted(chunk: str) -> tuple[str, str]:
    """A paragraph's Markdown as safe HTML, or "" and why it is shown as written instead."""
    if _most_left_open(chunk) > MAX_LEFT_OPEN:
        return "", LEFT_OPEN
    try:
        return sanitise(markdown_lib.markdown(chunk)), ""
    except RecursionError:  # Python-Markdown reads nested lists and quotes by recursion
        return "", TOO_DEEP


def _most_left_open(chunk: str) -> int:
    """The most brackets, parentheses or angle brackets of one kind open at once in `chunk`. From each one
    left open Python-Markdown scans the rest of the paragraph for its end (its issue #798): the time is
    quadratic in their number: 14 s for 20,000 "[", at most a few tens of milliseconds for 256."""
    open_now = {"[": 0, "(": 0, "<": 0}
    most = 0
    for found in BRACKET.finditer(chunk):
        mark = found.group()
        if mark in open_now:
            open_now[mark] += 1
            most = max(most, open_now[mark])
        elif open_now[OPENED_BY[mark]]:
            open_now[OPENED_BY[mark]] -= 1
    return most


def _chunks(body: str, first_line: int):
    """Blank-line separated chunks with their first line number; a heading line is its own chunk."""
    chunk, start = [], first_line
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        if not line.strip() or HEADING_LINE.match(line):
            if chunk:
                yield start, "\n".join(chunk)
                chunk = []
            if line.strip():
                yield number, line
            continue
        if not chunk:
            start = number
        chunk.append(line)
    if chunk:
        yield start, "\n".join(chunk)
