"""`annals new DIR`: a ready-to-build archive folder with configuration and an example document."""
from __future__ import annotations

from pathlib import Path

from . import slugs

CONFIG = """\
# Annals configuration: every key is optional; the values shown are the defaults unless noted.
title: Mes archives              # default: "Archives"
description: ""
language: fr                     # interface and date language (fr, en, …)
base_url: ""                     # e.g. https://example.org/archives/ — shown as the citation address
source: seeds
output: site
entities: ""                     # the gazetteer; default: seeds/entities.yaml
date_style: long                 # long (19 juin 2024), medium or short
media_marker: ""                 # wording where the original had photos; default: the interface's
strict: false                    # true: any warning fails the build and keeps the previous site
search: true                     # false leaves out the full-text search (a quarter of the site)
citation_style: ""               # a CSL style (apa, chicago-author-date…); default: ISO 690
max_file_size: 64                # in MiB: a larger source is named in the report and left out
layout: auto                     # plain text: seed, transcript (speakers, speeches), plain, or auto
url_sections: 1                  # folders of a web page's address naming its section: 0, 1 or 2
extra_css: []                    # your stylesheets in static/, linked after the theme's: [local.css]
extra_js: []                     # your scripts in static/: [local.js]
section_order: []                # sections listed first, in this order: [Actualités, Culture]
addresses: addresses.json        # the record of published addresses, kept up to date by each build:
                                 # keep it with your sources so that an address never changes meaning
"""

NBSP = "\u00a0\u00a0 "
EXAMPLE = (
    "/ Exemples - Premiers pas\n"
    "Un premier document\n"
    f"{NBSP}Au mois de juin 2024, ce document a été ajouté à l’archive pour montrer le format.\n"
    f"{NBSP}Le 19 juin, il a reçu son premier paragraphe daté : l’année vient de la date précédente.\n"
    "\n"
    "Un intertitre\n"
    "\n"
    f"{NBSP}Les lignes vides consécutives ci-dessous marquent l’emplacement d’une photo.\n"
    "\n"
    "\n"
    f"{NBSP}En 2025, l’archive a continué de grandir.\n"
)
SIDECAR = """\
# Provenance of un-premier-document.txt (all keys optional)
url: https://example.org/articles/premier
retrieved: 2025-01-15
publisher: Exemple
published: 2024-06-20
"""
GAZETTEER = """\
# Gazetteer: the people, places and organisations of this archive. Each one gets a page listing every
# paragraph that names it, and its names are linked in the text. Names match as whole words, exactly as
# written here (either apostrophe). Kinds: person, country, city, place, party, institution, organisation.
#
# - name: Kim Jong Un
#   kind: person
#   aliases: [camarade Kim Jong Un]
#   description: Secrétaire général du Parti du travail de Corée.
#   links: [https://example.org/kim-jong-un]
[]
"""
README = """\
This folder is an Annals archive. Put source documents in seeds/ (plain .txt in the format of
seeds/un-premier-document.txt, or Markdown with YAML front matter), then run `annals build`.
Files in templates/ or static/ here replace the default theme's file of the same name.
addresses.json (written by the first build) records every address the site has published, so that each
keeps leading to its document: keep it with the sources (in version control, in backups).
"""


def new_document(source: Path, title: str, today: str, language: str = "fr") -> list[Path]:
    """Write a source for a new document titled `title` into the `source` folder, and its sidecar with
    the provenance keys to fill in; never over an existing file."""
    stem = slugs.slug(title, "document")
    text, sidecar = source / f"{stem}.txt", source / f"{stem}.yaml"
    for path in (text, sidecar):
        if path.exists():
            raise FileExistsError(f"{path}: already exists; choose another title or edit that file")
    first = FIRST_PARAGRAPH.get(language.split("-")[0], FIRST_PARAGRAPH["en"])
    text.write_text(f"{title}\n{NBSP}{first}\n", encoding="utf-8")
    sidecar.write_text(DOCUMENT_SIDECAR.format(today=today), encoding="utf-8")
    return [text, sidecar]


FIRST_PARAGRAPH = {"fr": "Le premier paragraphe : une ligne en retrait par paragraphe.",
                   "en": "The first paragraph: one indented line per paragraph.",
                   "de": "Der erste Absatz: eine eingerückte Zeile je Absatz."}
DOCUMENT_SIDECAR = """\
# Where the document came from (every key optional)
url: ""                # its address, if it was on the web
retrieved: {today}      # when it was copied
publisher: ""
author: ""
published: ""          # its date: 2024-06-20
"""


def create_archive(folder: Path) -> list[Path]:
    """Write the archive skeleton; refuses a folder that already has content."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder}: already exists and is not empty; choose a new folder")
    files = {
        "annals.yaml": CONFIG,
        "README.txt": README,
        "seeds/un-premier-document.txt": EXAMPLE,
        "seeds/un-premier-document.yaml": SIDECAR,
        "seeds/entities.yaml": GAZETTEER,
        "templates/.keep": "",
        "static/.keep": "",
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
