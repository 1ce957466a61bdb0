"""Whole builds: reproducible, atomic, safe about where they write, honest in their exit status."""
import gc
import json
import os
import weakref
import subprocess
import sys
from pathlib import Path

import pytest

from annals.cli import main
from annals.index import build_archive
from annals.loader import load_archive
from annals.pipeline import BuildOptions, build
from annals.render import Renderer, Site
from annals.theme import default_dir
from annals.write import MARKER, UnsafeOutput, safe_target

from conftest import NBSP, REPO, SEEDS, build_sources
from test_hostile import Dangerous


def tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(BuildOptions(source=SEEDS, output=first))
    build(BuildOptions(source=SEEDS, output=second))
    assert tree(first) == tree(second)
    assert len(tree(first)) > 10


def test_rebuild_replaces_the_previous_site_and_leaves_no_staging(tmp_path, make_sources):
    output = tmp_path / "site"
    root = make_sources({"a.txt": "T\n" + NBSP + "p\n"})
    build_sources(root, output)
    (output / "stale.html").write_text("old", encoding="utf-8")
    build_sources(root, output)
    assert not (output / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.annals-cache", "site", "sources"]


def test_a_failed_build_leaves_the_previous_site_whole(tmp_path, make_sources):
    output = tmp_path / "site"
    root = make_sources({"a.txt": "T\n" + NBSP + "p\n"})
    build_sources(root, output)
    before = tree(output)
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "document.html").write_text("{{ no_such_variable }}", encoding="utf-8")
    with pytest.raises(Exception):
        build_sources(root, output, theme_root=theme)
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.annals-cache", "site", "sources", "theme"]


def test_strict_build_with_a_warning_keeps_the_previous_site(tmp_path, make_sources):
    output = tmp_path / "site"
    root = make_sources({"a.txt": "T\n" + NBSP + "p\n"})
    build_sources(root, output)
    before = tree(output)
    (root / "b.txt").write_text("T2\n" + NBSP + "le 30 février 2024\n", encoding="utf-8")
    report = build_sources(root, output, strict=True)
    assert not report.published and report.warnings
    assert tree(output) == before


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path, make_sources):
    root = make_sources({"a.txt": "T\n" + NBSP + "p\n"})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(UnsafeOutput):
        build_sources(root, precious)
    with pytest.raises(UnsafeOutput):
        build_sources(root, root)
    with pytest.raises(UnsafeOutput):
        build_sources(root, root / "site")
    assert (precious / "thesis.docx").read_bytes() == b"years of work"


def test_output_paths_never_leave_the_output_folder(tmp_path):
    for bad in ("../x.html", "/etc/passwd", "a/../../x", "a\x00b", ""):
        with pytest.raises(UnsafeOutput):
            safe_target(tmp_path, bad)


def test_sources_are_not_modified(tmp_path):
    before = tree(SEEDS)
    build(BuildOptions(source=SEEDS, output=tmp_path / "site"))
    assert tree(SEEDS) == before


def test_build_report_lists_skipped_files_and_exit_status_says_so(tmp_path, make_sources, capsys):
    root = make_sources({"a.txt": "T\n" + NBSP + "p\n", "empty.txt": ""})
    output = tmp_path / "site"
    status = main(["build", "--source", str(root), "--output", str(output)])
    assert status == 1
    report = json.loads((output / "build-report.json").read_text(encoding="utf-8"))
    assert report["documents"] == 1 and [s["file"] for s in report["skipped"]] == ["empty.txt"]
    assert "empty.txt: error: empty.txt is empty" in capsys.readouterr().err
    assert (output / MARKER).is_file()


def test_hostile_text_is_escaped(tmp_path, make_sources):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    root = make_sources({"x.txt": f"/ {payload} - {payload}\n{payload}\n{NBSP}{payload} le 3 mai 2020\n"
                                  f"{payload}\n{NBSP}p\n"})
    output = tmp_path / "site"
    build_sources(root, output)
    for page in output.rglob("*.html"):
        parser = Dangerous()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], (page, parser.found)


def test_build_py_builds_seeds_into_a_chosen_folder(tmp_path):
    output = tmp_path / "out"
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--output", str(output)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (output / "timeline.html").is_file()
    assert "1 document, 13 events, 41 pages; 0 skipped, 0 warnings" in result.stdout


def test_builds_agree_across_paths_clocks_and_locales(tmp_path):
    """Another folder, another time zone and locale, other file times, a build date set or not: same bytes."""
    here, there = tmp_path / "here", tmp_path / "elsewhere" / "deeper"
    for folder, stamp in ((here, 1_000_000_000), (there, 1_700_000_000)):
        sources = folder / "seeds"
        sources.mkdir(parents=True)
        for source in SEEDS.iterdir():
            copy = sources / source.name
            copy.write_bytes(source.read_bytes())
            os.utime(copy, (stamp, stamp))
    env_a = {**os.environ, "TZ": "UTC", "LC_ALL": "C.UTF-8", "PYTHONPATH": str(REPO)}
    env_b = {**os.environ, "TZ": "Asia/Pyongyang", "LANG": "fr_FR.UTF-8", "SOURCE_DATE_EPOCH": "1234567890",
             "PYTHONHASHSEED": "123", "PYTHONPATH": str(REPO)}
    for folder, env in ((here, env_a), (there, env_b)):
        subprocess.run([sys.executable, "-m", "annals", "build", "--quiet", "--source", str(folder / "seeds"),
                        "--output", str(folder / "site")], env=env, check=True, cwd=folder)
    assert tree(here / "site") == tree(there / "site")


def test_parallel_and_serial_builds_are_identical(tmp_path):
    import corpus
    sources = corpus.write(tmp_path / "sources", 300)
    build(BuildOptions(source=sources, output=tmp_path / "serial", workers=1))
    build(BuildOptions(source=sources, output=tmp_path / "parallel", workers=2))
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    assert len(list((tmp_path / "serial").rglob("*.html"))) > 300


def test_a_source_changed_during_the_build_is_not_published(tmp_path, make_sources, monkeypatch):
    """The verbatim copy must carry the checksum the page shows; a file edited mid-build stops the build."""
    import annals.make as make
    import annals.pipeline as pipeline

    root = make_sources({"a.txt": "T\n" + NBSP + "p\n"})
    output = tmp_path / "site"
    build_sources(root, output)
    before = tree(output)
    (root / "a.txt").write_text("T\n" + NBSP + "p, deuxième version\n", encoding="utf-8")  # read again
    real_index = make.index_entities

    def edit_then_index(*args):
        (root / "a.txt").write_text("T\n" + NBSP + "p, modifié\n", encoding="utf-8")  # after it was read
        return real_index(*args)

    monkeypatch.setattr(make, "index_entities", edit_then_index)
    with pytest.raises(pipeline.SourceChanged, match="a.txt: changed while the site was being built"):
        build_sources(root, output)
    assert tree(output) == before


def test_a_template_error_names_the_template_and_line(tmp_path, make_sources, capsys):
    root = make_sources({"a.txt": "T\n" + NBSP + "p\n"})
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "document.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ no_such_thing.here }}{% endblock %}", encoding="utf-8")
    (theme / "annals.yaml").write_text(f"source: {root}\noutput: {tmp_path / 'site'}\n", encoding="utf-8")
    assert main(["build", "--root", str(theme)]) == 2
    err = capsys.readouterr().err
    assert "document.html:3: UndefinedError: 'no_such_thing' is undefined" in err
    assert "nothing was published" in err
    assert not (tmp_path / "site").exists()


def test_two_builds_at_once_take_turns(tmp_path):
    """`annals serve` rebuilding while `annals build` is typed: the second waits, both succeed."""
    import corpus

    source = corpus.write(tmp_path / "sources", 300)
    output = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "annals", "build", "--quiet", "--source", str(source), "--output", str(output)]
    first = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    second = subprocess.Popen(command + ["--clean"], env=env, stderr=subprocess.PIPE)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.wait(timeout=300) == 0, second.stderr.read()
    build(BuildOptions(source=source, output=tmp_path / "reference"), clean=True)
    assert tree(output) == tree(tmp_path / "reference")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".reference.annals-cache", ".site.annals-cache",
                                                          "reference", "site", "sources"]


def test_a_failure_while_the_index_is_written_elsewhere_leaves_nothing_behind(tmp_path):
    """A template error in the index pages while the search index and exports are being written by
    other processes: they are waited for, and no half-written tree remains beside the site."""
    import corpus

    source = corpus.write(tmp_path / "sources", 300)  # enough for the forked processes
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "home.html").write_text("{{ no_such_variable }}", encoding="utf-8")
    with pytest.raises(Exception):
        build_sources(source, tmp_path / "site", theme_root=theme, workers=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.annals-cache", "sources", "theme"]


def test_a_renderer_is_freed_without_the_cycle_collector():
    """Builds run with Python's cycle collector paused: nothing inside a Renderer may refer back to it
    (a template filter bound to it did), or the whole archive it holds would stay in memory."""
    renderer = Renderer(build_archive(load_archive(SEEDS).documents), Site(), [default_dir("templates")])
    assert [page.path for page in renderer.index_pages()]
    freed = weakref.ref(renderer)
    gc.disable()
    try:
        del renderer
        assert freed() is None
    finally:
        gc.enable()


def test_the_home_page_lists_the_documents_with_the_newest_events(tmp_path, make_sources):
    """Newest event first (then page path, descending), documents without events last — as sorting every
    document by its newest event would give."""
    sources = {f"{i:03d}.txt": f"/ S - T\nDoc {i}\n{NBSP}Le {i % 7 + 1} mai {2000 + i % 4}, un fait.\n"
               for i in range(30)}
    sources.update({"x.txt": "/ S\nSans date\n" + NBSP + "Rien.\n", "y.txt": "/ S\nEn l'an\n" + NBSP + "En 2003.\n"})
    archive = build_archive(load_archive(make_sources(sources)).documents)
    renderer = Renderer(archive, Site(), [default_dir("templates")])

    def newest(document):
        return max((e.date for e in archive.events_of(document)), default=""), document.path

    expected = sorted(archive.documents, key=newest, reverse=True)
    assert [d.path for d in renderer.latest(10)] == [d.path for d in expected[:10]]
    assert [d.path for d in renderer.latest(40)] == [d.path for d in expected]


def no_space_after(count: int):
    """A write_file that fills the disk after `count` files."""
    import errno

    from annals import write

    real, calls = write.write_file, []

    def writing(target, data):
        calls.append(target)
        if len(calls) > count:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(target, data)

    return writing


def test_a_full_disk_publishes_nothing_says_so_and_the_next_build_succeeds(tmp_path, make_sources, monkeypatch,
                                                                          capsys):
    from annals import write

    root = make_sources({f"{n}.txt": f"Titre {n}\n{NBSP}Le {n + 1} mai 2020, un fait.\n" for n in range(6)})
    output = tmp_path / "site"
    build_sources(root, output, workers=1)
    before = tree(output)
    (root / "0.txt").write_text("Titre changé\n" + NBSP + "Le 3 mai 2020, un autre fait.\n", encoding="utf-8")
    monkeypatch.setattr(write, "write_file", no_space_after(3))
    status = main(["build", "--source", str(root), "--output", str(output), "--quiet"])
    err = capsys.readouterr().err
    assert status == 2 and "no space left on the device" in err and "Traceback" not in err, err
    assert "nothing was published" in err
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.annals-cache", "site", "sources"]
    monkeypatch.undo()
    assert main(["build", "--source", str(root), "--output", str(output), "--quiet"]) == 0
    titles = {d["title"] for d in json.loads((output / "documents.json").read_text(encoding="utf-8"))}
    assert "Titre changé" in titles and "Titre 0" not in titles


def test_a_full_disk_while_the_cache_is_saved_keeps_the_cache(tmp_path, make_sources, monkeypatch):
    import sqlite3

    from annals.cache import BuildCache, cache_dir

    root = make_sources({"a.txt": "T\n" + NBSP + "Le 3 mai 2020, un fait.\n"})
    build_sources(root, tmp_path / "site")
    (root / "a.txt").write_text("T\n" + NBSP + "Le 4 mai 2020, un fait.\n", encoding="utf-8")

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(BuildCache, "save", full)
    report = build_sources(root, tmp_path / "site")
    monkeypatch.undo()
    assert report.published and "could not be saved (no space left" in report.warnings[-1].message
    kept = sqlite3.connect(cache_dir(tmp_path / "site") / "cache.sqlite")
    assert kept.execute("SELECT count(*) FROM sources").fetchone()[0] == 1  # not thrown away as damaged
    kept.close()
    assert build_sources(root, tmp_path / "site").published
