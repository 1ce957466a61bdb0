"""Reader for plain text: breadcrumb, title, then the body in one of its layouts.

`seed` (the seed's): indented lines are paragraphs, short unindented ones headings, blank runs where media
were. `transcript` (a sitting's record): a short indented line followed by a deeper one is a speaker, then
the speech; unindented lines continue it; blank runs only separate. `plain`: no line is indented, each line
is a paragraph, blank runs only separate. Each document's layout is detected by `detect_layout` unless
`layout:` names it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import HEADING, MEDIA_GAP, PARAGRAPH
from .parts import Parts, RawBlock

AUTO = "auto"
# A speaker's line is at most this long ("M. le président.", "Mme Claire Martin, rapporteure.").
MAX_SPEAKER_LENGTH = 120
# This many speakers (a line, then one indented deeper) make a document a transcript.
SPEAKERS_OF_A_TRANSCRIPT = 3

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


@dataclass(frozen=True)
class Layout:
    """How a document's body is read: its layout's name, and why it was chosen when that is not certain."""

    name: str
    doubt: str = ""


def detect_layout(lines: list[str]) -> Layout:
    """The layout of a body (its lines after the title): a transcript when at least three lines are a
    speaker's (a short indented line, then one indented deeper); plain when no line is indented; else
    the seed's. One or two speakers' lines leave a doubt."""
    speakers = sum(1 for line, after in zip(lines, lines[1:]) if _speaker(line, after))
    indented = any(line[:1].isspace() and not is_blank(line) for line in lines)
    if speakers >= SPEAKERS_OF_A_TRANSCRIPT:
        return Layout("transcript")
    name = "seed" if indented else "plain"
    if speakers:
        looks = "line looks" if speakers == 1 else "lines look"
        return Layout(name, f"read in the {name} layout, though {speakers} {looks} like a speaker's name before "
                            "a speech (a transcript has three or more)")
    return Layout(name)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _speaker(line: str, after: str) -> bool:
    """A speaker's line: indented, short, and followed at once by a line indented deeper (the speech)."""
    depth = _indent(line)
    return (0 < depth < _indent(after) and not is_blank(after) and not is_blank(line)
            and len(line.strip()) <= MAX_SPEAKER_LENGTH)


def read_text(text: str, layout: str = AUTO) -> Parts:
    """Split a plain-text source into its parts; every non-blank line ends up in exactly one of them.
    `layout`: one of LAYOUTS, or "auto" to detect it."""
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
    chosen = detect_layout([line for _, line in numbered]) if layout == AUTO else Layout(layout)
    blocks = BODIES[chosen.name](numbered)
    if title and not any(b.kind == PARAGRAPH for b in blocks):
        notes.append((title_line, "has a title but no paragraphs — check that the file is complete"))
    return Parts(title=title, section=section, subsection=subsection, blocks=tuple(blocks),
                 notes=tuple(notes), layout=chosen.name,
                 layout_doubt=f"{chosen.doubt} — set layout: in its sidecar (or in annals.yaml) to choose"
                 if chosen.doubt else "")


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


def _transcript(numbered: list[tuple[int, str]]) -> list[RawBlock]:
    """A transcript's body: each speaker before the first paragraph of their speech, every other line a
    paragraph (speeches, their unindented continuations, the notes in parentheses); blank runs separate."""
    blocks: list[RawBlock] = []
    speaker, speaker_line = "", 0
    for (number, line), (_, after) in zip(numbered, numbered[1:] + [(0, "")]):
        if is_blank(line):
            continue
        if _speaker(line, after):
            if speaker:  # a speaker's line with no speech of its own before the next: kept as a paragraph
                blocks.append(RawBlock(PARAGRAPH, speaker, speaker_line))
            speaker, speaker_line = line.strip(), number
            continue
        blocks.append(RawBlock(PARAGRAPH, line.strip(), number, speaker=speaker))
        speaker = ""
    return blocks


def _plain(numbered: list[tuple[int, str]]) -> list[RawBlock]:
    """Each non-blank line a paragraph; blank runs only separate."""
    return [RawBlock(PARAGRAPH, line.strip(), number) for number, line in numbered if not is_blank(line)]


BODIES = {"seed": _body, "transcript": _transcript, "plain": _plain}
