"""Plain text of other layouts: a sitting's transcript (speakers, speeches, continuations), text with no
indentation at all; detected in each document, chosen by `layout:` where detection would be wrong."""
import json

from conftest import NBSP, SEEDS, SEED_FILE, build_sources

from annals.loader.text import detect_layout, read_text

SITTING = """Deuxième séance du jeudi 14 mars 2019



  M. le président.
   La séance est ouverte.
(La séance est ouverte à quinze heures.)


  M. Paul Lefort.
   Monsieur le président, le 6 mai dernier, nous avions voté ce texte en première lecture.
Je rappelle que la commission s'est réunie le 12 février pour l'examiner une seconde fois.



  Mme Claire Roux, rapporteure.
   Le 2 mars 2019, la commission a adopté l'amendement présenté par le groupe.
  M. le président.
   La parole est à M. Lefort.
"""
PLAIN = """Une lettre recopiée sans retrait

Le 3 avril 2024, la mairie a répondu à notre courrier.
Merci.


Le conseil municipal se réunira en mai 2024.
"""


def kinds(parts):
    return [(b.kind, b.speaker, b.text[:30]) for b in parts.blocks]


def test_a_transcript_is_read_as_speakers_and_speeches():
    parts = read_text(SITTING)
    assert parts.layout == "transcript" and not parts.layout_doubt
    assert kinds(parts) == [
        ("paragraph", "M. le président.", "La séance est ouverte."),
        ("paragraph", "", "(La séance est ouverte à quinz"),
        ("paragraph", "M. Paul Lefort.", "Monsieur le président, le 6 ma"),
        ("paragraph", "", "Je rappelle que la commission "),
        ("paragraph", "Mme Claire Roux, rapporteure.", "Le 2 mars 2019, la commission "),
        ("paragraph", "M. le président.", "La parole est à M. Lefort."),
    ]  # no heading, no media marker, no speaker's name as a paragraph of its own
    assert [b.line for b in parts.blocks] == [6, 7, 11, 12, 17, 19]


def test_a_transcript_builds_with_its_dates_and_its_speakers(tmp_path, make_sources):
    root = make_sources({"seance.txt": SITTING})
    output = tmp_path / "site"
    report = build_sources(root, output)
    assert not report.problems, report.problems
    events = json.loads((output / "events.json").read_text(encoding="utf-8"))
    assert [e["date"] for e in events] == ["2018-05-06", "2019-02-12", "2019-03-02"]
    (document,) = json.loads((output / "documents.json").read_text(encoding="utf-8"))
    page = (output / document["url"]).read_text(encoding="utf-8")
    assert '<b class="speaker">M. Paul Lefort.</b> Monsieur le président' in page
    assert "<h2>(La séance" not in page and "media-gap" not in page


def test_the_seed_keeps_its_reading():
    text = (SEEDS / SEED_FILE).read_text(encoding="utf-8").split("\n")
    assert detect_layout(text[2:]).name == "seed" and not detect_layout(text[2:]).doubt
    seed_like = f"/ Culture\nUn titre\n{NBSP}Un paragraphe.\nUn intertitre\n\n\n{NBSP}Un autre, le 3 mai 2024.\n"
    parts = read_text(seed_like)
    assert [b.kind for b in parts.blocks] == ["paragraph", "heading", "media_gap", "paragraph"]


def test_text_without_indentation_is_a_paragraph_a_line():
    parts = read_text(PLAIN)
    assert parts.layout == "plain"
    assert [(b.kind, b.text) for b in parts.blocks] == [
        ("paragraph", "Le 3 avril 2024, la mairie a répondu à notre courrier."), ("paragraph", "Merci."),
        ("paragraph", "Le conseil municipal se réunira en mai 2024.")]


def test_a_sidecar_or_the_archive_chooses_the_layout(tmp_path, make_sources):
    root = make_sources({"seance.txt": SITTING, "seance.yaml": "layout: seed\n", "lettre.txt": PLAIN})
    output = tmp_path / "site"
    build_sources(root, output)
    documents = {d["source"]: d for d in json.loads((output / "documents.json").read_text(encoding="utf-8"))}
    page = (output / documents["seance.txt"]["url"]).read_text(encoding="utf-8")
    assert "<h2>(La séance est ouverte à quinze heures.)</h2>" in page  # as the seed's layout reads it
    build_sources(root, output, layout="seed")
    page = (output / documents["lettre.txt"]["url"]).read_text(encoding="utf-8")
    assert "<h2>Merci.</h2>" in page


def test_a_doubtful_detection_is_noted_and_a_wrong_layout_named_with_its_line(tmp_path, make_sources):
    doubtful = f"/ Culture\nUn titre\n  M. Paul Lefort.\n   Une phrase, le 3 mai 2024.\n{NBSP}Un paragraphe.\n"
    root = make_sources({"doute.txt": doubtful, "seance.txt": SITTING,
                         "seance.yaml": "publisher: Assemblée\nlayout: verbatim\n"})
    report = build_sources(root, tmp_path / "site")
    (note,) = report.notes
    assert note.path == "doute.txt" and "read in the seed layout" in note.message
    assert "1 line looks like a speaker's name" in note.message and "layout:" in note.message
    (warning,) = report.warnings
    assert (warning.path, warning.line) == ("seance.yaml", 2) and "'verbatim'" in warning.message


def test_a_speaker_line_with_no_speech_of_its_own_is_kept():
    """Lines that each look like a speaker's before a deeper one: none is lost (found by Hypothesis)."""
    parts = read_text("Un titre\n M. Un.\n  M. Deux.\n   M. Trois.\n    Enfin un discours.\n")
    assert parts.layout == "transcript"
    assert [(b.speaker, b.text) for b in parts.blocks] == [
        ("", "M. Un."), ("", "M. Deux."), ("M. Trois.", "Enfin un discours.")]
