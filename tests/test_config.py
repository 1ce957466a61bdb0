"""annals.yaml, command-line overrides, theme overrides, and `annals new`."""

import json

import pytest

from annals.check import check_links_and_anchors
from annals.cli import main
from annals.config import Config, ConfigError, load_config, reference
from annals.linkcheck import check_links

from conftest import NBSP

DOC = "/ S - T\nTitre\n" + NBSP + "Le 19 juin 2024, un paragraphe.\n"


def archive(tmp_path, config=None, files=None):
    root = tmp_path / "archive"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "a.txt").write_text(DOC, encoding="utf-8")
    if config is not None:
        (root / "annals.yaml").write_text(config, encoding="utf-8")
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_defaults_without_a_file(tmp_path):
    # Without annals.yaml there is no archive folder to keep the record of addresses in.
    assert load_config(tmp_path) == Config(root=tmp_path, addresses="")
    assert load_config(tmp_path).addresses_path is None


def test_the_record_of_addresses_is_kept_beside_annals_yaml(tmp_path):
    root = archive(tmp_path, "title: Mon archive\n")
    assert load_config(root).addresses_path == root / "addresses.json"
    other = archive(tmp_path / "b", "addresses: records/adresses.json\n")
    assert load_config(other).addresses_path == other / "records/adresses.json"


def test_values_are_read(tmp_path):
    root = archive(tmp_path, "title: Mon archive\nlanguage: en\nbase_url: https://example.org/a/\nstrict: true\n")
    config = load_config(root)
    assert (config.title, config.language, config.base_url, config.strict) == \
        ("Mon archive", "en", "https://example.org/a/", True)
    assert config.source_dir == root / "seeds" and config.output_dir == root / "site"


@pytest.mark.parametrize("text, says", [
    ("title: x\ncolour: blue\n", "annals.yaml:2: colour: unknown key"),
    ("strict: yes please\n", "annals.yaml:1: strict: expected true or false"),
    ("title: [a, b]\n", "annals.yaml:1: title: expected text"),
    ("language: french!\n", "annals.yaml:1: language: expected a language code"),
    ("base_url: example.org\n", "annals.yaml:1: base_url: expected an absolute http(s) URL"),
    ("date_style: fancy\n", "annals.yaml:1: date_style: expected one of long, medium, short"),
    ("- a list\n", "annals.yaml:1: expected keys and values"),
    ("title: [unclosed\n", "annals.yaml:2: not valid YAML"),
])
def test_errors_name_the_file_line_and_key(tmp_path, text, says):
    root = archive(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(root)
    assert says in str(error.value)


def test_build_reads_annals_yaml_and_flags_override_it(tmp_path, capsys):
    root = archive(tmp_path, "title: Depuis le fichier\noutput: public\nbase_url: https://example.org/arch/\n")
    assert main(["build", "--root", str(root)]) == 0
    page = (root / "public" / "s/t/titre.html").read_text(encoding="utf-8")
    assert "— Depuis le fichier</title>" in page
    assert "https://example.org/arch/s/t/titre.html" in page  # the citation address
    assert main(["build", "--root", str(root), "--title", "Depuis la ligne de commande"]) == 0
    assert "Depuis la ligne de commande</title>" in (root / "public/index.html").read_text(encoding="utf-8")


def test_build_in_the_current_folder(tmp_path, monkeypatch):
    root = archive(tmp_path, "title: Ici\n")
    monkeypatch.chdir(root)
    assert main(["build"]) == 0
    assert (root / "site" / "index.html").is_file()


def test_a_config_error_stops_the_build_with_its_message(tmp_path, capsys):
    root = archive(tmp_path, "colour: blue\n")
    assert main(["build", "--root", str(root)]) == 2
    assert "annals.yaml:1: colour: unknown key" in capsys.readouterr().err
    assert not (root / "site").exists()


def test_a_bad_flag_value_is_named(tmp_path, capsys):
    root = archive(tmp_path)
    assert main(["build", "--root", str(root), "--base-url", "nope"]) == 2
    assert "--base-url: base_url: expected an absolute http(s) URL" in capsys.readouterr().err


def test_english_site_and_media_marker_wording(tmp_path):
    root = archive(tmp_path, "language: en\nmedia_marker: Photo missing\n",
                   {"seeds/b.txt": "/ S - T\nB\n" + NBSP + "On June 19, 2024, x.\n\n\n" + NBSP + "y\n"})
    assert main(["build", "--root", str(root)]) == 0
    page = (root / "site/s/t/b.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "19 June 2024" in page and "Photo missing" in page
    assert "Timeline" in (root / "site/index.html").read_text(encoding="utf-8")


def test_theme_overrides_shadow_one_file_at_a_time(tmp_path):
    root = archive(tmp_path, None, {
        "templates/404.html": '{% extends "base.html" %}{% block title %}Perdu{% endblock %}'
                              '{% block main %}<h1>Rien ici</h1>{% endblock %}',
        "static/annals.css": "body { color: black; }\n",
        "static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    })
    assert main(["build", "--root", str(root)]) == 0
    site = root / "site"
    assert "<h1>Rien ici</h1>" in (site / "404.html").read_text(encoding="utf-8")
    assert "Chronologie" in (site / "timeline.html").read_text(encoding="utf-8")  # default template still used
    assert (site / "static/annals.css").read_text(encoding="utf-8") == "body { color: black; }\n"
    assert (site / "static/logo.svg").is_file()


def test_new_archive_builds_and_checks_clean(tmp_path):
    folder = tmp_path / "nouvelle"
    assert main(["new", str(folder)]) == 0
    assert main(["build", "--root", str(folder)]) == 0
    site = folder / "site"
    assert check_links_and_anchors(site).passed
    page = (site / "exemples/premiers-pas/un-premier-document.html").read_text(encoding="utf-8")
    assert 'id="2024-06-19"' in page and "https://example.org/articles/premier" in page
    assert (folder / "seeds/entities.yaml").is_file() and (site / "entities/index.html").is_file()
    assert main(["new", str(folder)]) == 2  # never over an existing archive


def test_reference_lists_every_key():
    table = reference()
    for key in ("title", "language", "base_url", "source", "output", "date_style", "media_marker", "strict",
                "search", "addresses"):
        assert f"`{key}`" in table


def test_the_gazetteer_path_comes_from_the_configuration(tmp_path):
    root = archive(tmp_path, "entities: noms.yaml\n", {"noms.yaml": "- name: Titre\n  kind: place\n"})
    assert main(["build", "--root", str(root)]) == 0
    assert (root / "site/entities/titre.html").is_file()


def test_a_site_without_search_has_no_search_page_box_or_index_and_gets_them_back(tmp_path):
    """`search: false` (or --no-search) leaves out the search page, the box on every page and the index;
    the site is otherwise the same, and turning search on again gives what a clean build gives."""
    root = archive(tmp_path, "search: false\n")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    site = root / "site"
    assert not (site / "search.html").exists() and not (site / "search").exists()
    assert not any("site-search" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert check_links(site) == []
    (root / "annals.yaml").write_text("search: true\n", encoding="utf-8")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    assert (site / "search.html").is_file() and (site / "search/meta.js").is_file()
    assert all("site-search" in p.read_text(encoding="utf-8") for p in site.rglob("*.html") if p.name != "search.html")
    assert 'id="search-query"' in (site / "search.html").read_text(encoding="utf-8")  # its own box, not two
    assert main(["build", "--root", str(root), "--quiet", "--no-search"]) == 0  # the flag wins over the file
    assert not (site / "search.html").exists()
    assert main(["build", "--root", str(root), "--quiet", "--output", str(tmp_path / "clean"), "--no-search",
                 "--clean"]) == 0
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == \
        {p.relative_to(tmp_path / "clean"): p.read_bytes() for p in (tmp_path / "clean").rglob("*") if p.is_file()}


def test_the_citation_style_is_a_known_csl_style(tmp_path):
    assert load_config(archive(tmp_path, "citation_style: apa\n")).citation_style == "apa"
    with pytest.raises(ConfigError, match=r"annals.yaml:1: citation_style: expected the name of a CSL style"):
        load_config(archive(tmp_path / "b", "citation_style: no-such-style\n"))


def test_a_language_cldr_does_not_know_is_refused_and_one_without_a_catalogue_warned(tmp_path):
    with pytest.raises(ConfigError, match=r"annals.yaml:1: language: .*not a language CLDR knows.*en, fr"):
        load_config(archive(tmp_path, "language: xx\n"))
    root = archive(tmp_path / "b", "language: es\n")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    report = json.loads((root / "site" / "build-report.json").read_text(encoding="utf-8"))
    assert any("no interface catalogue for es" in w["message"] for w in report["warnings"]), report["warnings"]
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "Timeline" in page  # English words, Spanish dates


def test_a_german_site_speaks_german(tmp_path):
    """The third catalogue: German words, German dates and numbers, no warning."""
    root = archive(tmp_path, "language: de\n")
    (root / "seeds" / "a.txt").write_text(f"/ Politik\nEin Treffen\n{NBSP}Am 19. Juni 2024 trafen sich die "
                                          "Minister.\n", encoding="utf-8")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    report = json.loads((root / "site" / "build-report.json").read_text(encoding="utf-8"))
    assert not report["warnings"], report["warnings"]
    page = (root / "site" / "politik" / "ein-treffen.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page and "Zeitleiste" in page and "Herkunft" in page
    assert '<time datetime="2024-06-19">19. Juni 2024</time>' in page


def test_paths_take_the_home_folder_and_environment_variables_as_shells_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ARCHIVE_OUT", "publie")
    config = load_config(archive(tmp_path, "output: ~/pub/$ARCHIVE_OUT\nentities: ${HOME}/noms.yaml\n"))
    assert config.output_dir == tmp_path / "home" / "pub" / "publie"
    assert config.entities_path == tmp_path / "home" / "noms.yaml"


def test_a_path_yaml_reads_as_nothing_is_named_in_annals_words(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_config(archive(tmp_path, "title: A\noutput: ~\n"))
    assert str(error.value).startswith("annals.yaml:2: output: ")
    assert "quote it" in str(error.value) and "NoneType" not in str(error.value)
