"""Fuzzing: whatever bytes a source, a sidecar, the gazetteer or annals.yaml holds, Annals answers with a
document or a named problem, never an exception (Hypothesis, bounded so that CI runs it every time)."""
from __future__ import annotations

import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annals import yamlsafe
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


# Data as YAML writes it: nested lists and mappings of every scalar type its safe loader makes.
YAML_DATA = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)
YAML_TEXT = st.one_of(TEXT, st.builds(lambda data, flow: yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True),
                                      YAML_DATA, st.booleans()),
                      st.lists(st.sampled_from(["<<: {a: 1}\n", "=: x\n", "? [1]\n: 2\n", "s: !!set {a, b}\n",
                                                "b: !!binary aGVsbG8=\n", "n: !!str 12\n", "o: !!omap [a: 1]\n",
                                                "d: 2024-06-19\n", "t: 2024-06-19 10:00:00\n", "y: yes\n",
                                                "i: 0o17\n", "f: .inf\n"]), min_size=1, max_size=6).map("".join))


def _read_as_pyyaml(text: str):
    """What PyYAML's own loaders make of `text`, as yamlsafe used them before it made plain nodes itself:
    libyaml's safe loader, else (text libyaml refuses) Python's."""
    try:
        return repr(yaml.load(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        try:
            return repr(yaml.safe_load(text))
        except yaml.YAMLError:
            return "refused"


@given(YAML_TEXT)
@settings(max_examples=400, deadline=None)
def test_yaml_is_read_as_pyyaml_reads_it(text):
    try:
        got = repr(yamlsafe.load(text))
    except yaml.YAMLError as error:
        if "aliases" in str(error):
            return
        got = "refused"
    assert got == _read_as_pyyaml(text)
