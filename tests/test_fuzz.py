"""Fuzzing: whatever bytes a source, a sidecar, the gazetteer or annals.yaml holds, Annals answers with a
document or a named problem, never an exception (Hypothesis, bounded so that CI runs it every time)."""
from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annals.config import ConfigError, load_config
from annals.dates import find_document_dates
from annals.entities import read_gazetteer
from annals.loader import load_document
from annals.model import ReferenceDate

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text shaped like what Annals reads: YAML punctuation, escapes, indentation, dates, controls, surrogates.
PIECES = st.sampled_from(["\n", "   ", "\u00a0", ":", "- ", "&a ", "*a", '"', "'", "\\u0001", "\\ud800", "---",
                          "title", "published", "2024-06-19", "name", "kind", "person", "links", "le 19 juin",
                          "du 6 au 8 avril", "hier", "Juche 113 (2024)", "99 mars 2024", "[", "]", "{", "}",
                          "\x00", "\x01", "\ufeff", "é", "’", "#", "!!python/object", "%YAML 1.1", "? ", "|"])
TEXT = st.one_of(st.text(max_size=300), st.lists(st.one_of(PIECES, st.text(string.printable, max_size=5)),
                                                   max_size=60).map("".join))
DATA = st.one_of(st.binary(max_size=400), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))


@given(DATA, DATA, st.sampled_from(["a.txt", "a.md"]))
@FUZZ
def test_a_source_and_its_sidecar_give_a_document_or_a_problem(tmp_path_factory, source, sidecar, name):
    root = tmp_path_factory.mktemp("fuzz")
    (root / name).write_bytes(source)
    (root / "a.yaml").write_bytes(sidecar)
    document, problems = load_document(root / name, name)
    assert document is not None or any(p.severity == "error" for p in problems)
    for problem in problems:
        assert problem.message and problem.path in (name, "a.yaml")


@given(DATA)
@FUZZ
def test_the_gazetteer_gives_entities_or_problems(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "entities.yaml"
    path.write_bytes(data)
    entities, problems = read_gazetteer(path)
    assert all(p.message for p in problems)


@given(DATA)
@FUZZ
def test_annals_yaml_gives_settings_or_a_config_error(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "annals.yaml").write_bytes(data)
    try:
        load_config(root)
    except ConfigError as error:
        assert str(error).startswith("annals.yaml")


@given(st.lists(TEXT, max_size=5), st.sampled_from(["fr", "en", "de"]),
       st.one_of(st.none(), st.sampled_from([ReferenceDate("2024-06-20", "day", "published"),
                                             ReferenceDate("2013-02", "month", "title"),
                                             ReferenceDate("1999", "year", "published")])))
@settings(max_examples=400, deadline=None)
def test_the_date_reader_reads_or_refuses_any_text(texts, language, reference):
    for found in find_document_dates(texts, language, None, reference):
        for mention in found.mentions:
            assert mention.precision in ("day", "month", "year") and mention.expression
        for rejected in found.rejected:
            assert rejected.reason
