"""Document metadata from YAML (Markdown front matter or a `.yaml` sidecar), checked key by key."""
from __future__ import annotations

import datetime

import yaml

from .. import yamlsafe
from ..permalinks import alias_path
from ..sources import LAYOUT_NAMES
from ..yamlkeys import key_lines
from ..showable import UNSHOWABLE, shown

# key → accepted spellings; values are kept as text.
KEYS = {
    "title": ("title",),
    "section": ("section", "category"),
    "subsection": ("subsection",),
    "language": ("language", "lang"),
    "url": ("url", "source_url", "source"),
    "retrieved": ("retrieved", "retrieved_at"),
    "publisher": ("publisher",),
    "author": ("author", "byline"),
    "published": ("published", "date"),
    "slug": ("slug",),
    "aliases": ("aliases",),  # a list: the addresses the document had before, each published as a redirect
    "draft": ("draft",),  # true: not published, unless the build is asked for drafts
    "layout": ("layout",),  # a plain text's layout (text.LAYOUTS), instead of the one detected
}
ALIASES = {spelling: key for key, spellings in KEYS.items() for spelling in spellings}
# Keys other generators write (Hugo, Jekyll, MkDocs) that Annals shows nothing of: warned about as unused,
# in words that say so, rather than as unknown.
IGNORED = {"tags", "categories", "authors", "summary", "description", "weight", "permalink"}
TRUE, FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


class MetadataError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def parse_yaml(text: str, first_line: int = 1) -> dict:
    """YAML text → mapping; errors name the line in the source file."""
    try:
        data = yamlsafe.load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise MetadataError(line, f"the YAML metadata is malformed ({problem}) — fix the YAML syntax") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MetadataError(first_line, f"the YAML metadata must be a mapping of keys to values, "
                                        f"not a {type(data).__name__}")
    return data


def checked(data: dict, text: str = "", first_line: int = 1) -> tuple[dict, list[tuple[int, str]]]:
    """Known keys with text values, and a note (with its line) for each unknown key or wrong type."""
    values, notes = {}, []
    lines = key_lines(text, first_line)
    for raw_key, value in data.items():
        line = lines.get(str(raw_key), first_line)
        key = ALIASES.get(str(raw_key).lower())
        if key is None:
            known = ", ".join(sorted(KEYS))
            if str(raw_key).lower() in IGNORED:
                notes.append((line, f"metadata key {raw_key!r} is not used by Annals (no page shows it); ignored — "
                                    f"the keys it uses: {known}"))
            else:
                notes.append((line, f"unknown metadata key {raw_key!r} ignored — known keys: {known}"))
            continue
        if key == "draft":
            draft, note = _draft(raw_key, value)
            values.setdefault(key, draft)
            notes += [(line, note)] if note else []
            continue
        if key == "aliases":
            aliases, alias_notes = _aliases(raw_key, value, text, line, first_line)
            values.setdefault(key, aliases)
            notes += alias_notes
            continue
        if key == "layout":
            if str(value).strip().lower() in LAYOUT_NAMES:
                values.setdefault(key, str(value).strip().lower())
            else:
                notes.append((line, f"metadata key {raw_key!r} should be one of {', '.join(LAYOUT_NAMES)}, not "
                                    f"{shown(str(value))[0]!r}; the layout is detected"))
            continue
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value is None:
            notes.append((line, f"metadata key {raw_key!r} should be text, not "
                                f"{type(value).__name__}; ignored"))
            continue
        value, replaced = shown(str(value).strip())
        if replaced:
            notes.append((line, f"metadata key {raw_key!r} {UNSHOWABLE}"))
        values.setdefault(key, value)
    return values, notes


def _aliases(raw_key, value, text: str, line: int, first_line: int) -> tuple[tuple[str, ...], list]:
    """`aliases:` (one address or a list of them) as the site paths of their redirect pages, and a note
    for each that cannot be one, with its line (`line`: the key's; `first_line`: the text's first)."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if items is None or not all(isinstance(item, str) for item in items):
        return (), [(line, f"metadata key {raw_key!r} should be an address or a list of addresses; ignored")]
    rows = text.split("\n")[line - first_line:]
    paths, notes = [], []
    for item in items:
        path = alias_path(item)
        if path:
            paths.append(path)
            continue
        at = next((line + k for k, row in enumerate(rows) if item in row), line)
        notes.append((at, f"alias {shown(item)[0]!r} is not published: an alias is an address inside the site "
                          "(such as /posts/old-title/ or old/page.html), not a place the site's own pages use"))
    return tuple(dict.fromkeys(paths)), notes


def _draft(raw_key, value) -> tuple[bool, str]:
    """`draft:` as true or false, and a note when it is neither (then the document stays a draft: a
    document meant to be private is not published by a typo)."""
    if isinstance(value, bool):
        return value, ""
    word = str(value).strip().lower()
    if word in TRUE or word in FALSE:
        return word in TRUE, ""
    return True, (f"metadata key {raw_key!r} should be true or false, not {shown(str(value))[0]!r}; the document "
                  "is kept as a draft")
