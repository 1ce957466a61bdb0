"""The command line as Hugo and MkDocs users expect it: short flags, a configuration file of one's choice,
`serve` taking every option of `build`, `annals new document`, the archive's own stylesheets and scripts,
section order, and messages that name the file, the line and the key."""
import json
import re
import subprocess
import sys

import pytest

from annals.cli import main
from annals.config import OPTIONS
from annals.scaffold import CONFIG

from conftest import NBSP, REPO

DOC = f"/ Culture\nUn titre\n{NBSP}Le 19 juin 2024, un paragraphe.\n"


def archive(tmp_path, config: str = "", files: dict | None = None):
    root = tmp_path / "archive"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "a.txt").write_text(DOC, encoding="utf-8")
    if config:
        (root / "annals.yaml").write_text(config, encoding="utf-8")
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_short_flags_and_a_configuration_file_of_ones_choice(tmp_path, capsys):
    root = archive(tmp_path, files={"conf/prod.yaml": "title: Production\nsource: ../seeds\noutput: ../public\n"})
    assert main(["build", "-s", str(root / "seeds"), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert (tmp_path / "out" / "index.html").is_file() and capsys.readouterr().out == ""
    assert main(["build", "-c", str(root / "conf" / "prod.yaml"), "-q"]) == 0  # paths relative to its folder
    assert "<title>Accueil — Production</title>" in (root / "public" / "index.html").read_text(encoding="utf-8")
    assert main(["build", "-c", str(root / "conf" / "absent.yaml")]) == 2
    assert "--config " in capsys.readouterr().err


def test_serve_builds_exactly_what_build_builds_with_every_option(tmp_path):
    root = archive(tmp_path)
    flags = ["--language", "en", "--title", "T", "--base-url", "https://example.org/a/", "--no-search", "--strict",
             "--clean", "--drafts"]
    served = subprocess.Popen([sys.executable, "-m", "annals", "serve", "-o", str(tmp_path / "served"), "-p", "0",
                               *flags], cwd=root, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in served.stdout:
            if "serving" in line:
                break
    finally:
        served.terminate()
        served.wait(timeout=10)
    assert main(["build", "--root", str(root), "-o", str(tmp_path / "built"), "-q", *flags]) == 0

    def files(site):
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    served_files, built_files = files(tmp_path / "served"), files(tmp_path / "built")
    assert served_files == built_files and "sitemap.xml" in built_files and "search.html" not in built_files


def test_annals_new_document_writes_a_source_and_its_sidecar(tmp_path, capsys):
    root = archive(tmp_path, "language: en\n")
    assert main(["new", "document", "The council meets", "--root", str(root)]) == 0
    text = (root / "seeds" / "the-council-meets.txt").read_text(encoding="utf-8")
    assert text.startswith("The council meets\n" + NBSP)
    assert "retrieved: " in (root / "seeds" / "the-council-meets.yaml").read_text(encoding="utf-8")
    assert main(["build", "--root", str(root), "-q"]) == 0
    report = json.loads((root / "site" / "build-report.json").read_text(encoding="utf-8"))
    assert report["documents"] == 2 and not report["warnings"], report
    assert main(["new", "document", "The council meets", "--root", str(root)]) == 2  # never over a file
    assert "already exists" in capsys.readouterr().err


def test_a_new_archive_shows_every_key(tmp_path):
    for key in OPTIONS:
        assert re.search(rf"^{key}: ", CONFIG, re.M), key


def test_the_archives_own_stylesheets_and_scripts_and_section_order(tmp_path):
    root = archive(tmp_path, "extra_css: [local.css]\nextra_js: [local.js]\nsection_order: [Zoologie, Culture]\n",
                   {"static/local.css": "body { color: teal; }\n", "static/local.js": "window.local = 1;\n",
                    "seeds/b.txt": f"/ Zoologie\nUn autre\n{NBSP}En 2020, un fait.\n",
                    "seeds/c.txt": f"/ Arts\nUn troisième\n{NBSP}En 2021, un fait.\n"})
    assert main(["build", "--root", str(root), "-q"]) == 0
    page = (root / "site" / "culture" / "un-titre.html").read_text(encoding="utf-8")
    assert page.index('href="../static/annals.css"') < page.index('<link rel="stylesheet" href="../static/local.css">')
    assert '<script src="../static/local.js" defer></script>' in page
    assert (root / "site" / "static" / "local.js").is_file()
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert [home.index(f">{name}</a>") for name in ("Zoologie", "Culture", "Arts")] == sorted(
        home.index(f">{name}</a>") for name in ("Zoologie", "Culture", "Arts"))


@pytest.mark.parametrize("config, message", [
    ("extra_css: [absent.css]\n", "annals.yaml:1: extra_css: absent.css: no such file in"),
    ("extra_js: [../outside.js]\n", "annals.yaml:1: extra_js: expected a list of .js files in the archive's static/"),
    ("section_order: Culture\n", "annals.yaml:1: section_order: expected a list"),
    ("title: X\nlanguage fr\nsource: seeds\n", "annals.yaml:2: a line that is not `key: value` — is its colon missing?"),
    ("title: X\nsource: nowhere\n", "annals.yaml:2: source: nowhere: no such folder"),
])
def test_configuration_errors_name_the_file_the_line_and_the_key(tmp_path, capsys, config, message):
    root = archive(tmp_path, config)
    assert main(["build", "--root", str(root)]) == 2
    assert message in capsys.readouterr().err


def test_command_line_errors_name_the_flag(tmp_path, capsys):
    assert main(["build", "--root", str(tmp_path / "absent")]) == 2
    assert f"--root {tmp_path / 'absent'}: no such folder" in capsys.readouterr().err
    root = archive(tmp_path)
    assert main(["build", "--root", str(root), "-s", str(tmp_path / "nothing")]) == 2
    assert "--source: " in capsys.readouterr().err


def test_an_empty_source_folder_and_an_unused_key_are_warned_about(tmp_path, capsys):
    root = archive(tmp_path, files={"seeds/a.yaml": "tags: [politique]\npublisher: Agence\n"})
    assert main(["build", "--root", str(root)]) == 0
    assert "a.yaml:1: warning: metadata key 'tags' is not used by Annals" in capsys.readouterr().err
    (root / "seeds" / "a.txt").unlink()
    (root / "seeds" / "a.yaml").unlink()
    assert main(["build", "--root", str(root)]) == 0
    assert "seeds: warning: seeds has no source documents" in capsys.readouterr().err


def test_a_message_about_a_file_names_its_subject(tmp_path, capsys):
    root = archive(tmp_path)
    (root / "seeds" / "a.txt").write_bytes("/ A\nTitré\n   Le 3 mai 2024.\n".encode("cp1252"))
    assert main(["build", "--root", str(root)]) == 0
    assert "a.txt:2: warning: a.txt is not valid UTF-8; read as cp1252" in capsys.readouterr().err
