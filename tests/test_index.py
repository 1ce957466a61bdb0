"""The indexer: unique paths, event anchors, sections and the timeline."""
import sys
import types

from annals.index import build_archive
from annals.loader import load_archive
from annals.slugs import relative, slug, unique

from conftest import NBSP


def test_slugs_are_readable_ascii():
    assert slug("Le monde et la Corée") == "le-monde-et-la-coree"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("!!!", "000_fallback") == "000-fallback"
    assert len(slug("mot " * 100)) <= 80


def test_slugs_do_not_depend_on_which_transliterator_is_installed(monkeypatch):
    """python-slugify prefers Unidecode when it is importable; page addresses must not change with it."""
    before = [slug(title) for title in ("Le monde et la Corée", "Kim Jong Un à Pyongyang", "Ærøskøbing")]
    fake = types.ModuleType("unidecode")
    fake.unidecode = lambda text: "".join(c if c.isascii() else "x" for c in text)
    monkeypatch.setitem(sys.modules, "unidecode", fake)
    assert [slug(title) for title in ("Le monde et la Corée", "Kim Jong Un à Pyongyang", "Ærøskøbing")] == before
    assert before == ["le-monde-et-la-coree", "kim-jong-un-a-pyongyang", "aeroskobing"]


def test_unique_adds_a_numbered_suffix():
    taken = set()
    assert [unique("a", taken) for _ in range(3)] == ["a", "a-2", "a-3"]
    assert unique("index", set(), {"index"}) == "index-2"


def test_relative_links():
    assert relative("timeline.html", "a/b/c.html") == "../../timeline.html"
    assert relative("a/b/c.html#x", "a/b/d.html") == "c.html#x"


def test_colliding_titles_get_stable_suffixes_in_source_name_order(make_sources):
    doc = "/ S - T\nMême titre\n" + NBSP + "p\n"
    root = make_sources({"b.txt": doc, "a.txt": doc, "c.txt": "/ S - T\nindex\n" + NBSP + "p\n"})
    archive = build_archive(load_archive(root).documents)
    paths = {d.source.name: d.path for d in archive.documents}
    assert paths == {"a.txt": "s/t/meme-titre.html", "b.txt": "s/t/meme-titre-2.html", "c.txt": "s/t/index-2.html"}


def test_hostile_titles_and_breadcrumbs_stay_inside_the_site(make_sources):
    root = make_sources({"x.txt": "/ ../.. - ..\\..\n../../../etc\n" + NBSP + "p\n",
                         "y.txt": "/ static - x\n?!\n" + NBSP + "p\n"})
    archive = build_archive(load_archive(root).documents)
    for document in archive.documents:
        assert ".." not in document.path.split("/") and not document.path.startswith("/")
    assert {d.path.split("/")[0] for d in archive.documents} == {"section", "static-2"}


def test_repeated_dates_get_numbered_anchors_and_the_other_dates_stay_listed(make_sources):
    root = make_sources({"a.txt": "T\n" + NBSP + "Le 3 mai 2020, puis le 4 mai 2020.\n" + NBSP + "Le 3 mai 2020 encore.\n"})
    archive = build_archive(load_archive(root).documents)
    first, second = archive.events
    assert (first.anchor, second.anchor) == ("2020-05-03", "2020-05-03-2")
    assert [d.iso for d in first.other_dates] == ["2020-05-04"]


def test_timeline_groups_by_year_then_month(make_sources):
    root = make_sources({"a.txt": "T\n" + NBSP + "En 2020, a.\n" + NBSP + "Le 2 mai 2020, b.\n"
                                  + NBSP + "En mai 2020, c.\n" + NBSP + "En 2019, d.\n"})
    archive = build_archive(load_archive(root).documents)
    assert [e.date for e in archive.events] == ["2019", "2020", "2020-05", "2020-05-02"]
    y2019, y2020 = archive.years
    assert [e.date for e in y2020.whole_year] == ["2020"]
    assert [(m.month, len(m.events)) for m in y2020.months] == [("2020-05", 2)]
