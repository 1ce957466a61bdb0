"""The search index: folded terms, shards keyed by prefix, text chunks, and what a query must load."""
import json
import re

from annals.search import shard_file, terms

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
    key, shard = call(seed_site / shard_file("lav"), "shard")
    assert key == "lav"
    july = next(e for e in events(seed_site) if e["anchor"] == "2025-07")
    assert shard["lavrov"] == [0, july["paragraph"], 1]  # document 0, the July paragraph, once
    _, coree = call(seed_site / shard_file("cor"), "shard")
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
    assert len(document["p"]) == 34


def test_meta_lists_the_shards(seed_site):
    (meta,) = call(seed_site / "search/meta.js", "meta")
    assert meta["paragraphs"] == 34 and meta["documents"] == 1
    for key in meta["shards"]:
        assert (seed_site / shard_file(key)).is_file()
