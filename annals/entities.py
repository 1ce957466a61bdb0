"""People, places and organisations: the YAML gazetteer, and where each is mentioned in the archive."""
from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
import dataclasses
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import slugs, yamlsafe
from .addresses import is_safe_link
from .collation import collation_key
from .showable import UNSHOWABLE, shown
from .sources import MAX_FILE_BYTES, NotReadable, read_regular
from .model import PARAGRAPH, Document, Problem, record

KINDS = ("person", "country", "city", "place", "party", "institution", "organisation")
ENTRY_KEYS = {"name", "kind", "aliases", "description", "links"}


@record
class Entity:
    name: str
    kind: str
    aliases: tuple[str, ...]
    description: str = ""
    links: tuple[str, ...] = ()
    path: str = ""  # "entities/kim-jong-un.html"

    @property
    def id(self) -> str:
        """The entity's id in the data files and the timeline's filter: its page name, "kim-jong-un"."""
        return self.path[len("entities/"):-len(".html")]


@record
class Mention:
    entity: Entity
    document: Document  # or, in a build, its `Summary`
    paragraph: int
    anchor: str  # the event anchor when the paragraph is an event, else "p-N"
    date: str  # the event's date, "" for an undated paragraph
    precision: str
    text: str  # the words as written
    before: str = ""  # the paragraph's words before them, cut between words ("…" where cut)
    after: str = ""  # and after them

    @property
    def url(self) -> str:
        return f"{self.document.path}#{self.anchor}"

    @property
    def year(self) -> str:
        return self.date[:4]


BEFORE, AFTER = 90, 160  # characters of a paragraph shown around a mention, at most


def around(pieces: tuple, index: int) -> tuple[str, str]:
    """The words of a paragraph (its `pieces`) before and after its piece `index`, cut between words."""
    before = "".join(p.text for p in pieces[:index])
    after = "".join(p.text for p in pieces[index + 1:])
    if len(before) > BEFORE:
        cut = before.find(" ", len(before) - BEFORE)
        before = "…" + before[cut + 1:] if cut >= 0 else "…" + before[-BEFORE:]
    if len(after) > AFTER:
        cut = after.rfind(" ", 0, AFTER)
        after = after[:cut if cut > 0 else AFTER].rstrip(",;:") + "…"
    return before, after


@record
class Segment:
    """A piece of paragraph text; `entity` is set where the piece names one."""

    text: str
    entity: Entity | None = None


def read_gazetteer(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[tuple[Entity, ...], list[Problem]]:
    """Entities from a YAML list (a file of at most `limit` bytes); a bad entry is reported with its line
    and left out."""
    if not os.path.lexists(path):
        return (), []
    name = path.name
    try:
        data = read_regular(path, limit)
        text = data.decode("utf-8-sig")
    except NotReadable as error:
        return (), [Problem(name, f"{error}; no entities read", severity="error")]
    except UnicodeDecodeError as error:
        return (), [Problem(name, "not valid UTF-8; no entities read — save it as UTF-8",
                            data.count(b"\n", 0, error.start) + 1, "error")]
    try:
        data = yamlsafe.load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return (), [Problem(name, f"not valid YAML ({getattr(error, 'problem', error)}); no entities read",
                            mark.line + 1 if mark else 0, "error")]
    if data is None:
        return (), []
    if not isinstance(data, list):
        return (), [Problem(name, "expected a list of entries (- name: …, kind: …)", 1, "error")]
    lines = [i + 1 for i, row in enumerate(text.split("\n")) if row.startswith("- ")]
    entities, problems, taken = [], [], set()
    for index, entry in enumerate(data):
        line = lines[index] if index < len(lines) else 0
        entity, problem = _entity(entry)
        if problem:
            problems.append(Problem(name, f"entry {index + 1}: {problem}; left out", line, "error"))
            continue
        entity = _shown(entity, line, name, problems)
        unsafe = [link for link in entity.links if not is_safe_link(link)]
        problems += [Problem(name, f"entry {entity.name!r}: link {link[:80]!r} left out — links must be http, "
                                   "https or mailto addresses", line) for link in unsafe]
        entity = replace(entity, links=tuple(link for link in entity.links if link not in unsafe))
        unknown = sorted(set(entry) - ENTRY_KEYS)
        if unknown:
            problems.append(Problem(name, f"entry {entity.name!r}: unknown keys {', '.join(unknown)} ignored", line))
        path_slug = slugs.unique(slugs.slug(entity.name, "entity"), taken, {"index"})
        entities.append(Entity(entity.name, entity.kind, entity.aliases, entity.description, entity.links,
                               f"entities/{path_slug}.html"))
    return tuple(entities), problems


def _shown(entity: Entity, line: int, name: str, problems: list) -> Entity:
    """The entity with every text field as pages can show it, each field that had to be changed warned about once."""
    fields = {"name": entity.name, "aliases": entity.aliases, "description": entity.description}
    changed = {}
    for field, value in fields.items():
        values = (value,) if isinstance(value, str) else value
        cleaned = tuple(shown(v)[0] for v in values)
        if cleaned != tuple(values):
            problems.append(Problem(name, f"entry {entity.name!r}: {field} {UNSHOWABLE}", line))
            changed[field] = cleaned[0] if isinstance(value, str) else cleaned
    return replace(entity, **changed) if changed else entity


def _entity(entry) -> tuple[Entity | None, str]:
    if not isinstance(entry, dict):
        return None, "expected keys name, kind, aliases"
    name, kind = entry.get("name"), entry.get("kind", "")
    if not isinstance(name, str) or not name.strip():
        return None, "name is missing or not text"
    if kind not in KINDS:
        return None, f"kind {kind!r} is not one of {', '.join(KINDS)}"
    aliases = entry.get("aliases") or []
    links = entry.get("links") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        return None, "aliases must be a list of names"
    if not isinstance(links, list) or not all(isinstance(a, str) for a in links):
        return None, "links must be a list of addresses"
    description = entry.get("description") or ""
    if not isinstance(description, str):
        return None, "description must be text"
    spellings = tuple(dict.fromkeys([name.strip(), *(a.strip() for a in aliases)]))
    return Entity(name.strip(), kind, spellings, description.strip(), tuple(links)), ""


class Matcher:
    """Finds entity names in text: whole words, the longest name at the leftmost place, either apostrophe.

    All names are looked for in one pass, by an Aho-Corasick automaton (pyahocorasick): its cost does not
    grow with the number of names (10,000 names compiled into one regular expression took seconds)."""

    def __init__(self, entities: tuple[Entity, ...]):
        self.by_spelling = {}
        for entity in entities:
            for spelling in entity.aliases:
                self.by_spelling.setdefault(_apostrophes(spelling), entity)
        self.automaton = None
        if self.by_spelling:
            import ahocorasick

            self.automaton = ahocorasick.Automaton()
            for spelling in self.by_spelling:
                self.automaton.add_word(spelling, len(spelling))
            self.automaton.make_automaton()

    def find(self, text: str):
        """(start, end, entity) for each name in `text`, left to right: at each place the longest name, whole
        words only, either apostrophe."""
        if self.automaton is None:
            return
        plain = _apostrophes(text)
        found = sorted((end + 1 - length, -length) for end, length in self.automaton.iter(plain)
                       if _whole_word(plain, end + 1 - length, end + 1))
        position = 0
        for start, negative in found:  # the leftmost first, the longest of those starting together first
            if start >= position:
                position = start - negative
                yield start, position, self.by_spelling[plain[start:position]]


WORD = re.compile(r"\w")


def _whole_word(text: str, start: int, end: int) -> bool:
    return not (start and WORD.match(text, start - 1)) and not (end < len(text) and WORD.match(text, end))


def _apostrophes(text: str) -> str:
    return text.replace("’", "'")


def segments(text: str, matcher: Matcher) -> tuple[Segment, ...]:
    """`text` cut into plain pieces and entity names; joined back, the pieces are `text` unchanged."""
    pieces, position = [], 0
    for start, end, entity in matcher.find(text):
        if start > position:
            pieces.append(Segment(text[position:start]))
        pieces.append(Segment(text[start:end], entity))
        position = end
    if position < len(text):
        pieces.append(Segment(text[position:]))
    return tuple(pieces)


@dataclass(frozen=True)
class EntityIndex:
    entities: tuple[Entity, ...]  # sorted by kind, then name
    mentions: dict  # entity name → tuple of Mention, chronological (undated last)
    segments: dict  # (document path, paragraph number) → tuple of Segment, for paragraphs that name any
    companions: dict = dataclasses.field(default_factory=dict)  # entity name → ((Entity, paragraphs naming both), …)

    def mentions_of(self, entity: Entity) -> tuple[Mention, ...]:
        return self.mentions.get(entity.name, ())

    def companions_of(self, entity: Entity) -> tuple:
        return self.companions.get(entity.name, ())

    def years_of(self, entity: Entity) -> tuple[tuple[str, tuple[Mention, ...]], ...]:
        """An entity's mentions by year, chronological, the undated ones last (under "")."""
        groups = defaultdict(list)
        for mention in self.mentions_of(entity):
            groups[mention.year].append(mention)
        return tuple((year, tuple(groups[year])) for year in sorted(groups, key=lambda y: (y == "", y)))

    def by_kind(self) -> list[tuple[str, list[Entity]]]:
        grouped = defaultdict(list)
        for entity in self.entities:
            grouped[entity.kind].append(entity)
        return [(kind, grouped[kind]) for kind in KINDS if grouped[kind]]


def paragraph_cuts(document, matcher: Matcher) -> dict[int, tuple[Segment, ...]]:
    """The paragraphs of a whole document that name entities: number → the paragraph cut into pieces."""
    cuts = {}
    for block in document.blocks:
        if block.kind != PARAGRAPH or block.html:
            continue
        pieces = segments(block.text, matcher)
        if any(p.entity for p in pieces):
            cuts[block.number] = pieces
    return cuts


def index_entities(entities: tuple[Entity, ...], documents, events_of, cuts: dict | None = None) -> EntityIndex:
    """Every mention of every entity, with the paragraph's event date when it has one. `cuts`: each
    document's `paragraph_cuts` by source name, found as it was loaded (by a matcher of these `entities`)
    where the `documents` are summaries; else found here in the whole documents."""
    matcher = Matcher(entities) if cuts is None else None  # compiling 10,000 names takes a second
    mentions, cut, together = defaultdict(list), {}, defaultdict(Counter)
    for document in documents:
        found = cuts[document.source.name] if cuts is not None else paragraph_cuts(document, matcher)
        events = {e.paragraph: e for e in events_of(document)} if found else {}
        for number, pieces in found.items():
            cut[(document.path, number)] = pieces
            event = events.get(number)
            seen = set()
            for index, piece in enumerate(pieces):
                if piece.entity is None or piece.entity.name in seen:
                    continue  # one mention per paragraph and entity
                seen.add(piece.entity.name)
                mentions[piece.entity.name].append(Mention(
                    piece.entity, document, number, event.anchor if event else f"p-{number}",
                    event.date if event else "", event.precision if event else "", piece.text,
                    *around(pieces, index)))
            for name in seen:
                together[name].update({other: 1 for other in seen if other != name})
    ordered = {name: tuple(sorted(found, key=lambda m: (m.date == "", m.date, m.document.path, m.paragraph)))
               for name, found in mentions.items()}
    ranked = tuple(sorted(entities, key=lambda e: (KINDS.index(e.kind), collation_key(e.name))))
    by_name, place = {e.name: e for e in entities}, {e.name: number for number, e in enumerate(ranked)}
    companions = {name: tuple((by_name[other], n) for other, n in sorted(counts.items(), key=lambda kv: (
        -kv[1], place[kv[0]]))[:COMPANIONS]) for name, counts in together.items()}  # ties: in the index's order
    return EntityIndex(ranked, ordered, cut, companions)


COMPANIONS = 8  # the entities an entity's page names as most often beside it

