"""Reader for the seed's plain-text format: breadcrumb, title, indented paragraphs, headings, media gaps."""
from __future__ import annotations

from ..model import HEADING, MEDIA_GAP, PARAGRAPH
from .parts import Parts, RawBlock

# An unindented line longer than this is a paragraph whose indentation was lost, not a heading.
MAX_HEADING_LENGTH = 200
# This many blank (or whitespace-only) lines in a row stand where the original page had media.
MEDIA_GAP_LINES = 2


def is_blank(line: str) -> bool:
    """Empty, or only spaces, tabs and no-break spaces."""
    return not line.strip()


def parse_breadcrumb(line: str) -> tuple[str, str] | None:
    """`/ Section - Subsection` → (section, subsection); None when the line is not a breadcrumb."""
    stripped = line.strip()
    if not stripped.startswith("/"):
        return None
    section, _, subsection = stripped[1:].strip().partition(" - ")
    return section.strip(), subsection.strip()


def read_text(text: str) -> Parts:
    """Split a plain-text source into its parts; every non-blank line ends up in exactly one of them."""
    lines = text.split("\n")
    numbered = list(enumerate(lines, start=1))
    section = subsection = ""
    notes = []
    while numbered and is_blank(numbered[0][1]):
        numbered.pop(0)
    if numbered and (crumb := parse_breadcrumb(numbered[0][1])) is not None:
        section, subsection = crumb
        numbered.pop(0)
    while numbered and is_blank(numbered[0][1]):
        numbered.pop(0)
    title, title_line = "", 0
    if numbered:
        title_line, title = numbered.pop(0)
        title = title.strip()
    else:
        notes.append((1, "has no title line; the file name is used as its title — add the title on line 2"))
    blocks = _body(numbered)
    if title and not any(b.kind == PARAGRAPH for b in blocks):
        notes.append((title_line, "has a title but no paragraphs — check that the file is complete"))
    return Parts(title=title, section=section, subsection=subsection, blocks=tuple(blocks),
                 notes=tuple(notes))


def _body(numbered: list[tuple[int, str]]) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    blank_run, blank_start = 0, 0
    for number, line in numbered:
        if is_blank(line):
            blank_start = blank_start if blank_run else number
            blank_run += 1
            continue
        if blank_run >= MEDIA_GAP_LINES:
            blocks.append(RawBlock(MEDIA_GAP, "", blank_start, gap_lines=blank_run))
        blank_run = 0
        indented = line[:1].isspace()
        kind = HEADING if not indented and len(line.strip()) <= MAX_HEADING_LENGTH else PARAGRAPH
        blocks.append(RawBlock(kind, line.strip(), number))
    if blank_run >= MEDIA_GAP_LINES:
        blocks.append(RawBlock(MEDIA_GAP, "", blank_start, gap_lines=blank_run))
    return blocks
