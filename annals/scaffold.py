"""`annals new DIR`: a ready-to-build archive folder with configuration and an example document."""
from __future__ import annotations

from pathlib import Path

CONFIG = """\
# Annals configuration: every key is optional; the values shown are the defaults unless noted.
title: Mes archives              # default: "Archives"
description: ""
language: fr                     # interface and date language (fr, en, …)
base_url: ""                     # e.g. https://example.org/archives/ — shown as the citation address
source: seeds
output: site
date_style: long                 # long (19 juin 2024), medium or short
media_marker: ""                 # wording where the original had photos; default: the interface's
strict: false                    # true: any warning fails the build and keeps the previous site
layout: auto                     # plain text: seed, transcript (speakers, speeches), plain, or auto
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
