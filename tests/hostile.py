"""A corpus of bad and hostile source files, written as real files, with what the build must say of each.

`write_corpus(folder)` writes every file and returns {file name: Expect}; tests build the folder and compare
the build report with it. Large files are written only when asked (`large=True`).
"""
from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

NBSP = "\u00a0\u00a0 "
GOOD_BODY = NBSP + "Le 19 juin 2024, un paragraphe ordinaire.\n" + NBSP + "Un autre paragraphe.\n"


@dataclass(frozen=True)
class Expect:
    outcome: str  # "built" | "warning" | "skipped"
    says: str = ""  # words the message must contain (case-insensitive)
    line: int = 0  # the line the message must name, when there is one


XSS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "<a href=\"javascript:alert(1)\">clic</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\"><script>alert(1)</script>",
    "'><iframe src=javascript:alert(1)>",
    "<style>body{display:none}</style>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "{{ 7*7 }}{% raw %}",
]


def _text(crumb: str, title: str, body: str = GOOD_BODY) -> str:
    return f"{crumb}\n{title}\n{body}"


def files(large: bool = False) -> dict[str, tuple[bytes, Expect]]:
    good = _text("/ Essais - Encodages", "Un document ordinaire")
    corpus: dict[str, tuple[bytes, Expect]] = {
        # Encodings.
        "enc-utf8-bom.txt": (codecs.BOM_UTF8 + good.encode(), Expect("built")),
        "enc-utf16-bom.txt": (good.encode("utf-16"), Expect("built")),
        "enc-utf16be-bom.txt": (codecs.BOM_UTF16_BE + good.encode("utf-16-be"), Expect("built")),
        "enc-cp1252.txt": (_text("/ Essais - Encodages", "Été “chaud”").encode("cp1252"),
                           Expect("warning", "cp1252", 2)),
        "enc-latin1.txt": (_text("/ Essais - Encodages", "Août à Noël", NBSP + "Å\x81 ÿ\n").encode("latin-1"),
                           Expect("warning", "not valid UTF-8", 2)),
        "control-chars.txt": (_text("/ Essais - Contrôle", "Caractères de contrôle", NBSP + "Un\x01deux\x7f.\n").encode(),
                              Expect("warning", "control characters", 3)),
        "enc-bad-utf16.txt": (codecs.BOM_UTF16_LE + b"\x00\xd8A", Expect("skipped", "utf-16")),
        # Line endings, whitespace, invisible characters.
        "lines-crlf.txt": (good.replace("\n", "\r\n").encode(), Expect("built")),
        "lines-cr.txt": (good.replace("\n", "\r").encode(), Expect("built")),
        "lines-no-final-newline.txt": (good.rstrip("\n").encode(), Expect("built")),
        "lines-tabs.txt": (_text("/ Essais - Blancs", "Tabulations", "\tUn paragraphe\tà tabulations.\n").encode(),
                           Expect("built")),
        "lines-nbsp-only.txt": (_text("/ Essais - Blancs", "Blancs insécables",
                                      NBSP + "Avant.\n\u00a0\n\u00a0\u00a0\n" + NBSP + "Après.\n").encode(),
                                Expect("built")),
        "lines-zero-width.txt": (_text("/ Essais - Blancs", "Zéro\u200b largeur",
                                       NBSP + "Mot\u200bmot\u200d et\ufeff fin.\n").encode(), Expect("built")),
        # Empty, binary, structure missing.
        "empty.txt": (b"", Expect("skipped", "empty")),
        "whitespace-only.txt": (" \n\t\n\u00a0\n".encode(), Expect("skipped", "empty")),
        "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Expect("skipped", "not a source")),
        "image-named.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Expect("skipped", "binary")),
        "no-breadcrumb.txt": (("Un titre sans fil d’Ariane\n" + GOOD_BODY).encode(), Expect("built")),
        "only-breadcrumb.txt": (b"/ Essais - Structure\n", Expect("warning", "no title", 1)),
        "only-title.txt": ("/ Essais - Structure\nSeulement un titre\n".encode(), Expect("warning", "no paragraphs", 2)),
        # Markdown front matter.
        "md-bad-yaml.md": (b"---\ntitle: [oops\nsection: x\n---\nCorps.\n", Expect("skipped", "malformed", 3)),
        "md-not-mapping.md": (b"---\n- a\n- b\n---\nCorps.\n", Expect("skipped", "mapping", 2)),
        "md-wrong-types.md": (b"---\ntitle: [1, 2]\nsection: {a: b}\n---\nCorps du texte.\n",
                              Expect("warning", "should be text", 2)),
        "md-unknown-key.md": (b"---\ntitle: Titre\ncolour: blue\n---\nCorps du texte.\n",
                              Expect("warning", "unknown metadata key", 3)),
        # Colliding slugs; hostile titles and breadcrumbs.
        "slug-a.txt": (_text("/ Essais - Collisions", "Même titre").encode(), Expect("built")),
        "slug-b.txt": (_text("/ Essais - Collisions", "Même titre").encode(), Expect("built")),
        "title-dotdot.txt": (_text("/ ../../.. - ../..", "../../../etc/passwd").encode(), Expect("built")),
        "title-slash.txt": (_text("/ / - /", "/").encode(), Expect("built")),
        "title-backslash.txt": (_text("/ ..\\.. - ..\\", "..\\..\\windows").encode(), Expect("built")),
        "title-nul.txt": (_text("/ Essais - NUL", "Titre\x00nul").encode(), Expect("skipped", "binary")),
        "title-long.txt": (_text("/ " + "S" * 300 + " - " + "T" * 300, "Très long " * 30).encode(),
                           Expect("built")),
        "title-punctuation.txt": (_text("/ ?!? - ...", "!!! ??? ...").encode(), Expect("built")),
        # Dates that do not exist, years out of range.
        "date-feb30.txt": (_text("/ Essais - Dates", "Dates impossibles", NBSP + "Le 30 février 2024, rien.\n"
                                 + NBSP + "Le 2025-13-45, rien.\n").encode(),
                           Expect("warning", "does not exist", 3)),
        "date-far-year.txt": (_text("/ Essais - Dates", "Années lointaines", NBSP + "En 9999, peut-être.\n").encode(),
                              Expect("warning", "outside", 3)),
    }
    for index, payload in enumerate(XSS):
        text = (f"/ {payload} - {payload}\n{payload}\n{NBSP}{payload} Le 3 mai 2020.\n{payload}\n"
                f"{NBSP}Fin {payload}\n")
        corpus[f"xss-{index}.txt"] = (text.encode(), Expect("built"))
        markdown = (f"---\ntitle: {payload!r}\nsection: {payload!r}\nsubsection: {payload!r}\n"
                    f"url: {payload!r}\npublisher: {payload!r}\n---\n\n# {payload}\n\n{payload} Le 4 mai 2020.\n\n"
                    f"[lien](javascript:alert(1)) <a href=\"javascript:alert(1)\" onclick=\"alert(1)\">a</a>\n")
        corpus[f"xss-{index}.md"] = (markdown.encode(), Expect("built"))
    # Issue 18: what a determined tester sent.
    corpus["yaml-surrogate.md"] = (b'---\ntitle: "Surrogate \\ud800 here"\n---\nCorps, le 3 mai 2020.\n',
                                   Expect("warning", "cannot show", 2))
    corpus["yaml-alias-bomb.md"] = (b"---\na: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
                                    b"title: t\n---\nCorps.\n", Expect("skipped", "aliases"))
    corpus["date-99-mars.txt"] = (_text("/ Essais - Dates", "Jour impossible", NBSP + "Le 99 mars 2024, rien.\n")
                                  .encode(), Expect("warning", "does not exist", 3))
    corpus["csv-formula.txt"] = (_text("/ Essais - Tableur", "Formule", NBSP + '=HYPERLINK("http://evil.example/",'
                                       '"clic") le 21 juin 2024\n').encode(), Expect("built"))
    corpus["md-bad-aliases.md"] = (b"---\ntitle: Alias\nslug: choisi\naliases:\n  - ../../dehors.html\n"
                                   b"  - /anciens/ok/\n---\nCorps.\n", Expect("warning", "alias", 5))
    corpus["<img src=x onerror=alert(1)>.txt"] = (_text("/ Essais - Noms", "Nom de fichier hostile").encode(),
                                                   Expect("built"))
    corpus["<script>alert(1)<\\script>.md"] = (b"Corps.\n", Expect("built"))
    if large:
        line = NBSP + "Le 19 juin 2024, " + "mot " * 150 + "\n"
        big = "/ Essais - Tailles\nCinquante mégaoctets\n" + line * (50_000_000 // len(line.encode()) + 1)
        corpus["large-50mb.txt"] = (big.encode(), Expect("built"))
        corpus["large-1mb-line.txt"] = (("/ Essais - Tailles\nUne ligne\n" + NBSP + "mot " * 262_144 + "\n").encode(),
                                        Expect("built"))
    return corpus


def write_corpus(folder: Path, large: bool = False, outside: Path | None = None) -> dict[str, Expect]:
    """Write the corpus into `folder`, with a symlink to a file in `outside` (default: beside `folder`)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (data, expect) in files(large).items():
        (folder / name).write_bytes(data)
        expected[name] = expect
    secret = (outside or folder.parent) / "outside-secret.txt"
    secret.write_text(_text("/ Secret - Secret", "Hors du dossier"), encoding="utf-8")
    (folder / "symlink-outside.txt").symlink_to(secret)
    expected["symlink-outside.txt"] = Expect("skipped", "outside the source folder")
    # A sidecar linked to a file outside the folder is never read (its document is built without it).
    (folder / "linked-sidecar.txt").write_bytes(_text("/ Essais - Liens", "Métadonnées liées").encode())
    sidecar = (outside or folder.parent) / "outside-sidecar.yaml"
    sidecar.write_text("title: Lu hors du dossier\n", encoding="utf-8")
    (folder / "linked-sidecar.yaml").symlink_to(sidecar)
    expected["linked-sidecar.yaml"] = Expect("skipped", "outside the source folder")
    if hasattr(os, "mkfifo"):  # a pipe would hang a build that read it
        os.mkfifo(folder / "fifo.txt")
        expected["fifo.txt"] = Expect("skipped", "not a regular file")
        (folder / "fifo-sidecar.txt").write_bytes(_text("/ Essais - Tubes", "Un tube pour métadonnées").encode())
        os.mkfifo(folder / "fifo-sidecar.yaml")
        expected["fifo-sidecar.txt"] = Expect("warning", "not a regular file")
    return expected
