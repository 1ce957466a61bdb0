"""Full-text search that works from disk: an inverted index of paragraphs, sharded into <script> files.

Browsers block fetch() and WebAssembly from file:// pages, so the index is plain JavaScript files that
call `annalsSearch.shard(...)`, loaded by adding <script> elements. A query loads only what it needs:
the shards of its terms (keyed by a term's first three letters) and the text chunks of its best results.
Big archives are split in blocks (documents by a hash of their source name), each with its own shards and
chunks, so that a rebuild after one document changed rewrites the files of one block only.
Terms are folded (lower case, no accents) and split at apostrophes of either kind.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import groupby
from typing import Iterator

from .cache import digest
from .config import base_language
from .folding import fold
from .index import Archive
from .model import HEADING, PARAGRAPH, Document
from .write import Output

FORMAT = 6  # of the index files; part of each block's key
TITLE_WEIGHT = 5  # a word of a document's title, breadcrumb or headings counts as five in a paragraph
SHARD_PREFIX = 3  # letters of a term that name its shard
CHUNK_DOCUMENTS = 4  # documents per text chunk: each result loads at most one small chunk
BLOCK_DOCUMENTS = 2048  # documents per block of the index, at most on average
BLOCK_STRIDE = 65536  # numbers of documents in block b start at b × BLOCK_STRIDE
TOKEN = re.compile(r"\w+")
WORD_TOKEN = re.compile(r"\w\w+")  # the tokens `terms` keeps: two characters or more
COUNTS = tuple(str(n) for n in range(32))  # most terms occur once or a few times in a paragraph
STOPWORDS = frozenset("""
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon
    ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous
    cette cet y
    a an and are as at be but by for from has have he in is it its of on or that the this to was were which with
""".split())


def terms(text: str) -> list[str]:
    """Folded words of `text`, without one-letter words and stopwords; "l’Assemblée" → ["assemblee"]."""
    return [t for t in TOKEN.findall(fold(text)) if len(t) > 1 and t not in STOPWORDS]


def shard_key(term: str) -> str:
    """The shard a term is in: its first letters; a section's or a year's term is a shard of its own, an
    entity's shares one with the entities whose ids start alike (see facet_terms)."""
    if term[:1] == "@":
        return term[:1 + SHARD_PREFIX]  # a gazetteer of 10,000 names: hundreds of files, not 10,000
    return term if term[:1] in FACET_MARKS else term[:SHARD_PREFIX]


# The marks of the facets' terms, which no word can be (words are letters and digits): a search can keep
# to a section ("§monde"), a year ("#2024", the year of the paragraph's event) or the paragraphs that name
# an entity ("@kim-jong-un"); each is indexed like a word, so a query loads the paragraphs of its facets
# only when it is asked for them.
FACET_MARKS = ("§", "#", "@")


@functools.lru_cache(maxsize=4)
def stemmer(language: str):
    """The Snowball stemmer of a language (English for one Snowball has none), for folded terms: each
    shard names the stem of each of its terms that is not its own, and a query word then finds the terms
    of its stem ("cooperations" finds "cooperation", "cooperer"): the same stems in the index and in the
    page, since the page reads them from the index."""
    import snowballstemmer
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(base_language(language)).english_name.lower()
    except (UnknownLocaleError, ValueError):
        name = "english"
    return snowballstemmer.stemmer(name if name in snowballstemmer.algorithms() else "english").stemWord


def facet_terms(document, events, named: dict) -> str:
    """A document's facets, packed as `document_terms` packs words: its section (paragraph 0, standing for
    the whole document), each event's year, each entity named (`named`: paragraph → entity ids)."""
    years, entities = defaultdict(list), defaultdict(list)
    for event in events:
        years["#" + event.year].append(event.paragraph)
    for paragraph, ids in sorted(named.items()):
        for entity in ids:
            entities["@" + entity].append(paragraph)
    packed = [f"§{document.path.split('/', 1)[0]} 0,1"]
    for term, paragraphs in [*sorted(years.items()), *sorted(entities.items())]:
        packed.append(f"{term} {',0,'.join(f'{p},1' for p in sorted(set(paragraphs)))}")
    return " ".join(packed)


def shard_file(key: str, block: int = 0) -> str:
    """A file name for any shard key, whatever its script: the key's UTF-8 bytes in hex, and the block."""
    return f"search/t-{key.encode('utf-8').hex()}-{block}.js"


def document_terms(document: Document) -> str:
    """What the index needs of a document, found once when it is read (and kept in the build cache): each
    of its terms with the paragraphs holding it, packed in one compact string — "accord 2,1 paix 2,1,0,5,3"
    for "accord" once in paragraph 2, "paix" once in paragraph 2 and three times in paragraph 5. After a
    term come the (paragraph, count) pairs of its postings as the index writes them, each pair after the
    first preceded by 0 (the step to the same document): a block's shard lists them as they are."""
    paragraphs = [b for b in document.blocks if b.kind == PARAGRAPH]
    # Folded in one call for the whole document (a separator no text holds keeps the paragraphs apart):
    # the same words as `terms` gives paragraph by paragraph, for a fifth of the time. The title, the
    # breadcrumb and the headings are "paragraph 0", each of their words weighing TITLE_WEIGHT.
    folded = fold("\x00".join([heading_text(document)] + [f"{b.speaker} {b.text}" if b.speaker else b.text
                                                          for b in paragraphs])).split("\x00")
    postings: dict[str, list[str]] = {}
    found = postings.get
    for number, text in zip([0] + [b.number for b in paragraphs], folded):
        weight, number = TITLE_WEIGHT if number == 0 else 1, f"{number},"
        for term, count in Counter(WORD_TOKEN.findall(text)).items():
            if term in STOPWORDS:
                continue
            count *= weight
            pair = number + (COUNTS[count] if count < len(COUNTS) else str(count))
            pairs = found(term)
            if pairs is None:
                postings[term] = [pair]
            else:
                pairs.append(pair)
    return " ".join(f"{term} {',0,'.join(pairs)}" for term, pairs in postings.items())


def heading_text(document) -> str:
    """What a document's "paragraph 0" holds for the index: its title, breadcrumb and headings."""
    return " ".join([document.title, document.section, document.subsection]
                    + [b.text for b in document.blocks if b.kind == HEADING])


def outline(document) -> str:
    """What a result that is the document itself shows: its breadcrumb and its first headings."""
    headings = [b.text for b in document.blocks if b.kind == HEADING][:OUTLINE_HEADINGS]
    return " · ".join([place_of(document)] + headings) if place_of(document) or headings else document.title


OUTLINE_HEADINGS = 4


def place_of(document) -> str:
    """The document's section (and subsection) as a search result names it: "Monde › Asie"."""
    return " › ".join(part for part in (document.section, document.subsection) if part)


@dataclass(frozen=True)
class Block:
    """A part of the index: the documents whose source name hashes to it, each with its number
    (block × BLOCK_STRIDE + its place in the block, in page-path order), and the key of what they are."""

    number: int
    documents: tuple[tuple[int, Document], ...]
    key: str


def block_count(documents: int) -> int:
    """One block up to BLOCK_DOCUMENTS documents, then the next power of two: it changes only when the
    archive doubles, so a document added or removed changes the files of its own block alone."""
    blocks = 1
    while blocks * BLOCK_DOCUMENTS < documents:
        blocks *= 2
    return blocks


def block_of(name: str, blocks: int) -> int:
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) % blocks


def plan_blocks(archive: Archive, digest_of: dict[str, str] | None = None, named: dict | None = None,
                language: str = "fr") -> list[Block]:
    """The archive's documents in blocks; a block's key changes exactly when its files would
    (`digest_of`: what each source became, by source name — from the build cache; `named`: by page path,
    the entities each paragraph names)."""
    count = block_count(len(archive.documents))
    members: dict[int, list[Document]] = defaultdict(list)
    for document in archive.documents:
        members[block_of(document.source.name, count)].append(document)
    blocks = []
    for number in sorted(members):
        documents = tuple((number * BLOCK_STRIDE + place, d) for place, d in enumerate(members[number]))
        key = ""
        if digest_of is not None:
            parts = [(d.path, digest_of[d.source.name], sorted((named or {}).get(d.path, {}).items()))
                     for _, d in documents]
            key = digest(FORMAT, count, number, parts, base_language(language))
        blocks.append(Block(number, documents, key))
    return blocks


def block_files(block: Block, archive: Archive, terms_of: dict[str, str],
                whole=lambda document: document, named: dict | None = None,
                language: str = "fr") -> tuple[Iterator[Output], dict]:
    """The files of one block, made one at a time as they are written — the text chunks as its documents
    are read, each document let go of once its chunk is made, then the shards — and the block's summary
    (paragraphs, shard keys, files), complete once the files are. `whole(document)`: the whole document,
    where the archive holds summaries; `named`: by page path, the entities each paragraph names; `language`:
    the site's, whose Snowball stemmer gives each term's stem."""
    summary = {"paragraphs": 0, "shards": [], "files": []}
    return _block_outputs(block, archive, terms_of, whole, summary, named or {}, language), summary


def _block_outputs(block: Block, archive: Archive, terms_of: dict, whole, summary: dict,
                   named: dict, language: str) -> Iterator[Output]:
    postings: dict[str, list] = {}  # term → [the last document holding it, its postings as JSON pieces…]
    chunk_files, paragraphs = [], 0
    for chunk_number, members in groupby(block.documents, key=lambda member: member[0] // CHUNK_DOCUMENTS):
        chunk = {}
        for number, document in members:
            document = whole(document)
            anchors = {e.paragraph: e.anchor for e in archive.events_of(document)}
            texts = {b.number: [anchors.get(b.number, b.paragraph_id), b.text] for b in document.paragraphs}
            paragraphs += len(texts)
            texts[0] = ["", outline(document)]  # a match in the title, breadcrumb or headings: the document
            packed = terms_of.get(document.source.name)
            _add_postings(postings, number - block.number * BLOCK_STRIDE,
                          document_terms(document) if packed is None else packed)
            _add_postings(postings, number - block.number * BLOCK_STRIDE,
                          facet_terms(document, archive.events_of(document), named.get(document.path, {})))
            chunk[number] = {"t": document.title, "u": document.path, "s": place_of(document), "p": texts}
        chunk_files.append(f"search/x-{chunk_number}.js")
        yield Output(chunk_files[-1], _script("chunk", chunk_number, chunk))
    shards: dict[str, list[str]] = defaultdict(list)
    stem_of = stemmer(language)
    for term in sorted(postings):
        shards[shard_key(term)].append(term)
    summary.update(paragraphs=paragraphs, shards=sorted(shards),
                   files=[shard_file(key, block.number) for key in sorted(shards)] + chunk_files)
    for key in sorted(shards):
        entries = ",".join(f"{_json(term)}:[{','.join(postings.pop(term)[1:])}]" for term in shards[key])
        stems = {term: stem for term in shards[key] if term[:1] not in FACET_MARKS
                 for stem in [stem_of(term)] if stem != term}
        yield Output(shard_file(key, block.number),  # annalsSearch.shard(key, block, postings, stems)
                     _script("shard", key, stems, block.number, Encoded(f"{{{entries}}}")))


def _add_postings(postings: dict[str, list], place: int, packed: str) -> None:
    """Add a document's postings (`packed` by `document_terms`), at its `place` in the block, to each
    term's list: (document, paragraph, count) triples in document order, each document given as the step
    from the one before it — small numbers, short in JSON."""
    words = packed.split(" ") if packed else ()
    for index in range(0, len(words), 2):
        term = words[index]
        entry = postings.get(term)
        if entry is None:
            postings[term] = [place, f"{place},{words[index + 1]}"]
        else:
            entry.append(f"{place - entry[0]},{words[index + 1]}")
            entry[0] = place


def meta_file(archive: Archive, summaries: dict[int, dict]) -> Output:
    """What a query reads first: sizes, and which blocks have a shard for each key."""
    shards: dict[str, list[int]] = defaultdict(list)
    for number in sorted(summaries):
        for key in summaries[number]["shards"]:
            shards[key].append(number)
    meta = {"paragraphs": sum(s["paragraphs"] for s in summaries.values()), "documents": len(archive.documents),
            "chunk": CHUNK_DOCUMENTS, "stride": BLOCK_STRIDE, "prefix": SHARD_PREFIX,
            "shards": dict(sorted(shards.items())), "stopwords": sorted(STOPWORDS)}
    return Output("search/meta.js", f"annalsSearch.meta({_json(meta)});\n".encode("utf-8"))


def search_files(archive: Archive, terms_of: dict[str, str] | None = None, named: dict | None = None,
                 language: str = "fr") -> list[Output]:
    """The whole index at once: every block's shards and chunks, then the meta file."""
    outputs, summaries = [], {}
    for block in plan_blocks(archive, named=named):
        files, summaries[block.number] = block_files(block, archive, terms_of or {}, named=named, language=language)
        outputs += files
    return outputs + [meta_file(archive, summaries)]


class Encoded(str):
    """Data already encoded as JSON, written as it is."""


def _script(kind: str, key, data, *more) -> bytes:
    arguments = ",".join(a if isinstance(a, Encoded) else _json(a) for a in (key, *more, data))
    return f"annalsSearch.{kind}({arguments});\n".encode("utf-8")


def _json(data) -> str:
    # Inside a script file "</script" cannot end anything, but U+2028/2029 were not valid in JS strings
    # before ES2019; escape them for older readers.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("\u2028", "\\u2028") \
        .replace("\u2029", "\\u2029")
