"""What a reader returns: a document's parts before dates are read and ids assigned."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawBlock:
    kind: str
    text: str
    line: int
    html: str = ""
    gap_lines: int = 0
    speaker: str = ""  # in a transcript, who speaks, on the first paragraph of their speech


@dataclass(frozen=True)
class Parts:
    title: str
    section: str = ""
    subsection: str = ""
    blocks: tuple[RawBlock, ...] = ()
    metadata: dict = field(default_factory=dict)  # validated front-matter keys
    notes: tuple[tuple[int, str], ...] = ()  # (line, message) warnings about the source
    layout: str = ""  # the layout a plain text was read in (text.LAYOUTS)
    layout_doubt: str = ""  # why that layout, when its detection was not certain
