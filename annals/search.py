"""Full-text search that works from disk: an inverted index of paragraphs, sharded into <script> files.

Browsers block fetch() and WebAssembly from file:// pages, so the index is plain JavaScript files that
call `annalsSearch.shard(...)`, loaded by adding <script> elements. A query loads only what it needs:
the shards of its terms (keyed by a term's first three letters) and the text chunks of its best results.
Terms are folded (lower case, no accents) and split at apostrophes of either kind.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from .folding import fold
from .index import Archive
from .model import PARAGRAPH, Document
from .render import Output

SHARD_PREFIX = 3  # letters of a term that name its shard
CHUNK_DOCUMENTS = 4  # documents per text chunk: each result loads at most one small chunk
TOKEN = re.compile(r"\w+")
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
    return term[:SHARD_PREFIX]


def shard_file(key: str) -> str:
    """A file name for any shard key, whatever its script: the key's UTF-8 bytes in hex."""
    return f"search/t-{key.encode('utf-8').hex()}.js"


def document_terms(document: Document) -> tuple[tuple[int, str], ...]:
    """What the index needs of a document, computed once when it is read (and kept in the build cache):
    each paragraph's number with its terms and their counts, sorted, packed in one compact string
    ("accord 2 paix 1") — a few bytes where tuples of strings would take a hundred."""
    return tuple((block.number, " ".join(f"{term} {count}" for term, count in
                                         sorted(Counter(terms(block.text)).items())))
                 for block in document.blocks if block.kind == PARAGRAPH)


def search_files(archive: Archive, terms_of: dict[str, tuple] | None = None) -> list[Output]:
    """The index shards, the text chunks and a small meta file, as site outputs. `terms_of` gives
    `document_terms` by source name where already known."""
    postings: dict[str, list[int]] = defaultdict(list)
    chunks: dict[int, dict] = defaultdict(dict)
    paragraphs = 0
    terms_of = terms_of or {}
    for number, document in enumerate(archive.documents):
        anchors = {e.paragraph: e.anchor for e in archive.events_of(document)}
        texts = {b.number: [anchors.get(b.number, b.paragraph_id), b.text] for b in document.paragraphs}
        paragraphs += len(texts)
        found = terms_of.get(document.source.name)
        for paragraph, packed in (document_terms(document) if found is None else found):
            words = packed.split(" ") if packed else ()
            for index in range(0, len(words), 2):
                postings[words[index]] += (number, paragraph, int(words[index + 1]))
        chunks[number // CHUNK_DOCUMENTS][number] = {"t": document.title, "u": document.path, "p": texts}
    shards: dict[str, dict] = defaultdict(dict)
    for term in sorted(postings):
        shards[shard_key(term)][term] = delta_encoded(postings[term])
    outputs = [Output(shard_file(key), _script("shard", key, entries)) for key, entries in sorted(shards.items())]
    outputs += [Output(f"search/x-{n}.js", _script("chunk", n, data)) for n, data in sorted(chunks.items())]
    meta = {"paragraphs": paragraphs, "documents": len(archive.documents), "chunk": CHUNK_DOCUMENTS,
            "prefix": SHARD_PREFIX, "shards": sorted(shards), "stopwords": sorted(STOPWORDS)}
    outputs.append(Output("search/meta.js", f"annalsSearch.meta({_json(meta)});\n".encode("utf-8")))
    return outputs


def delta_encoded(postings: list[int]) -> list[int]:
    """(document, paragraph, count) triples with each document number given as the step from the
    previous one: the lists are in document order, so the steps are small numbers, short in JSON."""
    encoded, previous = list(postings), 0
    for index in range(0, len(encoded), 3):
        encoded[index], previous = encoded[index] - previous, encoded[index]
    return encoded


def _script(kind: str, key, data) -> bytes:
    return f"annalsSearch.{kind}({_json(key)},{_json(data)});\n".encode("utf-8")


def _json(data) -> str:
    # Inside a script file "</script" cannot end anything, but U+2028/2029 were not valid in JS strings
    # before ES2019; escape them for older readers.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("\u2028", "\\u2028") \
        .replace("\u2029", "\\u2029")
