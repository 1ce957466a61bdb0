"""Drafts stay private: `draft: true` keeps a document out of every file of the site, unless --drafts."""
import json

from annals.cli import main

from conftest import NBSP

DRAFT_WORD = "Brouillonnesque"


def archive(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "public.txt").write_text("/ Monde\nPublic\n" + NBSP + "Le 19 juin 2024, un fait public.\n",
                                      encoding="utf-8")
    (seeds / "secret.md").write_text(f"---\ntitle: Secret {DRAFT_WORD}\ndraft: true\n---\n\n"
                                     f"Le 20 juin 2024, un fait {DRAFT_WORD} encore privé.\n", encoding="utf-8")
    (seeds / "sidecar.txt").write_text(f"/ Monde\nAutre {DRAFT_WORD}\n" + NBSP + "Le 21 juin 2024, rien.\n",
                                       encoding="utf-8")
    (seeds / "sidecar.yaml").write_text("draft: yes\n", encoding="utf-8")
    (seeds / "entities.yaml").write_text("- name: privé\n  kind: place\n", encoding="utf-8")  # named in a draft
    (tmp_path / "annals.yaml").write_text("base_url: https://example.org/a/\n", encoding="utf-8")
    return tmp_path


def test_a_draft_reaches_no_file_of_the_site(tmp_path, capsys):
    root = archive(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "built: 1 document" in out and "2 drafts not published (--drafts publishes them)" in out
    site = root / "site"
    leaks = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
             and DRAFT_WORD.encode() in p.read_bytes()]
    assert leaks == [], leaks
    assert {d["source"] for d in json.loads((site / "documents.json").read_text(encoding="utf-8"))} == {"public.txt"}


def test_drafts_are_published_marked_as_such_with_the_flag(tmp_path):
    root = archive(tmp_path)
    assert main(["build", "--root", str(root), "--drafts", "--quiet"]) == 0
    site = root / "site"
    documents = {d["source"]: d for d in json.loads((site / "documents.json").read_text(encoding="utf-8"))}
    assert set(documents) == {"public.txt", "secret.md", "sidecar.txt"}
    assert documents["secret.md"]["draft"] is True and documents["public.txt"]["draft"] is False
    page = (site / documents["secret.md"]["url"]).read_text(encoding="utf-8")
    assert '<p class="draft-marker">Brouillon' in page
    assert '<p class="draft-marker"' not in (site / documents["public.txt"]["url"]).read_text(encoding="utf-8")
    assert main(["build", "--root", str(root), "--quiet"]) == 0  # and gone again without it
    assert not (site / documents["secret.md"]["url"]).exists()


def test_a_draft_value_that_is_not_true_or_false_is_named(tmp_path):
    root = archive(tmp_path)
    (root / "seeds" / "sidecar.yaml").write_text("draft: peut-être\n", encoding="utf-8")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    report = json.loads((root / "site" / "build-report.json").read_text(encoding="utf-8"))
    assert any(w["file"] == "sidecar.yaml" and w["line"] == 1 and "draft" in w["message"]
               for w in report["warnings"]), report["warnings"]
