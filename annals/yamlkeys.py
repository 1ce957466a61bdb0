"""Where each top-level key of a YAML mapping stands, so that a message can name its line.

Shared by annals.yaml's settings and the documents' metadata; it needs no YAML parser, so reading the
settings does not load the document readers.
"""
from __future__ import annotations


def key_lines(text: str, first_line: int) -> dict[str, int]:
    """The source line of each top-level key of a YAML mapping, so notes can point at it."""
    lines = {}
    for offset, row in enumerate(text.split("\n")):
        if row[:1] not in ("", " ", "\t", "#", "-") and ":" in row:
            lines.setdefault(row.split(":", 1)[0].strip().strip("'\""), first_line + offset)
    return lines
