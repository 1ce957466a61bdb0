"""The search index: folded terms, shards keyed by prefix, text chunks, and what a query must load."""
import itertools
import json
import re

from annals.search import BLOCK_STRIDE, block_count, plan_blocks, search_files, shard_file, terms

DOC = "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice.html"


def call(path, kind):
    """The arguments of the annalsSearch.<kind>(…) call a script file makes."""
    match = re.fullmatch(rf"annalsSearch\.{kind}\((.*)\);\n", path.read_text(encoding="utf-8"), re.S)
    return json.loads(f"[{match.group(1)}]")


def events(site):
    return json.loads((site / "events.json").read_text(encoding="utf-8"))


def test_terms_fold_case_accents_and_apostrophes():
    assert terms("L’Assemblée du peuple, l'Été 2025 à Pyongyang") == ["assemblee", "peuple", "ete", "2025",
                                                                   "pyongyang"]
    assert terms("the Treaty of the Korean people") == ["treaty", "korean", "people"]


def test_shards_hold_every_paragraph_of_each_term(seed_site):
    key, block, shard, _ = call(seed_site / shard_file("lav"), "shard")
    assert (key, block) == ("lav", 0)
    july = next(e for e in events(seed_site) if e["anchor"] == "2025-07")
    assert shard["lavrov"] == [0, july["paragraph"], 1]  # document 0, the July paragraph, once
    _, _, coree, _ = call(seed_site / shard_file("cor"), "shard")
    assert sum(coree["coree"][0::3]) == 0  # one document: every step from the previous is 0
    paragraphs_with_coree = coree["coree"][1::3]
    assert len(paragraphs_with_coree) == len(set(paragraphs_with_coree)) > 5


def test_text_chunks_give_title_url_anchor_and_text(seed_site):
    number, chunk = call(seed_site / "search/x-0.js", "chunk")
    document = chunk["0"]
    assert (number, document["t"], document["u"]) == (0, "Pour l'indépendance et la justice", DOC)
    july = next(e for e in events(seed_site) if e["anchor"] == "2025-07")
    assert document["p"][str(july["paragraph"])] == ["2025-07", july["text"]]  # an event's anchor
    assert document["p"]["2"][0] == "p-2"  # a plain paragraph's
    anchor, outline = document["p"]["0"]  # a match in the title, breadcrumb or headings: the page itself
    assert anchor == "" and outline.startswith("Le monde et la Corée › Solidarité · Les rapports du partenariat")
    assert document["s"] == "Le monde et la Corée › Solidarité"
    assert len(document["p"]) == 34 + 1


def test_meta_lists_the_shards(seed_site):
    (meta,) = call(seed_site / "search/meta.js", "meta")
    assert meta["paragraphs"] == 34 and meta["documents"] == 1
    assert meta["shards"] and all(blocks == [0] for blocks in meta["shards"].values())
    for key in meta["shards"]:
        assert (seed_site / shard_file(key)).is_file()


def test_big_archives_are_split_in_blocks_that_only_double():
    assert [block_count(n) for n in (1, 2048, 2049, 4096, 4097, 10_000, 30_000)] == [1, 1, 2, 2, 4, 8, 16]


def test_each_document_is_in_one_block_and_numbered_within_it(tmp_path):
    import corpus
    from annals.index import build_archive
    from annals.loader import load_archive
    from annals import search

    archive = build_archive(load_archive(corpus.write(tmp_path / "s", 40)).documents)
    search.BLOCK_DOCUMENTS = 8  # as if the archive were big: 40 documents in 8 blocks
    try:
        blocks = plan_blocks(archive)
        outputs = {o.path: o.data for o in search_files(archive)}
    finally:
        search.BLOCK_DOCUMENTS = 2048
    assert len(blocks) == 8
    numbers = [n for b in blocks for n, _ in b.documents]
    assert sorted(d.path for b in blocks for _, d in b.documents) == sorted(d.path for d in archive.documents)
    assert all(n // BLOCK_STRIDE == b.number for b in blocks for n, _ in b.documents) and len(set(numbers)) == 40
    for block in blocks:  # the shards of a block hold its documents only, counted from the block's start
        for path, data in outputs.items():
            if path.endswith(f"-{block.number}.js") and "/t-" in path:
                key, number, shard, _ = json.loads(f"[{data.decode()[len('annalsSearch.shard('):-3]}]")
                assert number == block.number
                assert all(sum(postings[0::3]) < len(block.documents) for postings in shard.values())


def test_shards_list_each_term_of_each_paragraph_with_its_count_and_document(tmp_path):
    """Decoded as static/search.js decodes them (document numbers as steps from the one before), the
    shards give exactly each paragraph's terms and counts, for documents spread through the list — and
    as "paragraph 0" the words of the title and breadcrumb, each weighing TITLE_WEIGHT."""
    from collections import Counter, defaultdict

    import corpus
    from annals.index import build_archive
    from annals.loader import load_archive
    from annals.search import TITLE_WEIGHT, heading_text

    archive = build_archive(load_archive(corpus.write(tmp_path / "s", 12)).documents)
    (block,) = plan_blocks(archive)
    expected = defaultdict(list)
    for number, document in block.documents:
        for term, count in Counter(terms(heading_text(document))).items():
            expected[term].append((number, 0, count * TITLE_WEIGHT))
        for paragraph in document.paragraphs:
            for term, count in Counter(terms(paragraph.text)).items():
                expected[term].append((number, paragraph.number, count))
    decoded = {}
    for output in search_files(archive):
        if "/t-" in output.path:
            _, _, shard, _ = json.loads(f"[{output.data.decode()[len('annalsSearch.shard('):-3]}]")
            for term, flat in shard.items():
                documents = itertools.accumulate(flat[0::3])
                decoded[term] = list(zip(documents, flat[1::3], flat[2::3]))
    facets = {term: postings for term, postings in decoded.items() if term[:1] in "§#@"}
    assert {term: postings for term, postings in decoded.items() if term not in facets} == dict(expected)
    for number, document in block.documents:  # a section is its documents' paragraph 0; a year, its events'
        assert (number, 0, 1) in facets["§" + document.path.split("/")[0]]
        assert all((number, e.paragraph, 1) in facets["#" + e.year] for e in archive.events_of(document))
    assert any(len({d for d, _, _ in triples}) > 3 for triples in decoded.values())  # many documents a term


def test_each_shard_gives_the_snowball_stem_of_its_terms(seed_site):
    """The page finds a word's other forms by the stems the index gives: Snowball's French stemmer's, for
    every term of the seed (a term whose stem is itself is not listed)."""
    import snowballstemmer

    stem = snowballstemmer.stemmer("french").stemWord
    checked = 0
    for path in (seed_site / "search").glob("t-*.js"):
        key, block, shard, stems = json.loads(f"[{path.read_text(encoding='utf-8')[len('annalsSearch.shard('):-3]}]")
        for term in shard:
            if term[:1] in "§#@":
                continue
            assert stems.get(term, term) == stem(term), term
            checked += 1
    assert checked > 300  # every term of the seed (381)
