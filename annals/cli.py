"""Command line: `annals build`, `serve`, `new`, `check`, `verify`; argument parsing and reporting."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__
from .config import ConfigError, expanded, load_config
from .permalinks import RecordError
from .pipeline import BuildOptions, NoSpace, SourceChanged, TemplateFailed, build, counted
from .progress import TerminalProgress
from .write import UnsafeOutput

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2
MAX_WARNINGS_SHOWN = 20  # a big archive can have thousands; all of them are in build-report.json


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="annals", description="Build a static, citable archive site.")
    top.add_argument("--version", action="version", version=f"annals {__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    b = commands.add_parser("build", help="build the site from the source folder")
    build_flags(b)
    b.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    b.add_argument("-v", "--verbose", action="store_true",
                   help="print every warning, not only the first ones, the date report (each date read, how "
                        "its year was chosen, each one refused) and the time of each stage")

    s = commands.add_parser("serve", help="build, preview on localhost, rebuild and reload on every change")
    build_flags(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("-p", "--port", type=int, default=8000,
                   help="port to listen on; 0 picks a free one (default: 8000)")

    n = commands.add_parser("new", help="create a ready-to-build archive folder, or a document in one",
                            description="annals new FOLDER: a new archive; annals new document TITLE: a new "
                                        "source and its sidecar in the archive's source folder")
    n.add_argument("folder", help="the new archive's folder, or the word document")
    n.add_argument("title", nargs="?", help="with document: the new document's title")
    n.add_argument("--root", type=Path, default=Path("."), help="with document: the archive's folder (default: .)")
    n.add_argument("-c", "--config", type=Path, metavar="FILE", help="with document: the configuration file")

    v = commands.add_parser("verify", help="check a copy of a site against its manifest-sha256.txt")
    v.add_argument("site", type=Path, nargs="?", default=Path("site"))
    v.add_argument("--manifest-sha256", metavar="HEX",
                   help="the SHA-256 the manifest had when the site was built (annals verify prints it)")

    c = commands.add_parser("check", help="check a built site: links, HTML, network, accessibility")
    c.add_argument("site", type=Path, nargs="?", default=Path("site"))
    c.add_argument("--skip", action="append", default=[], choices=["links", "network", "html", "a11y"],
                   help="leave out one check (repeatable)")
    c.add_argument("--a11y-pages", type=int, default=150,
                   help="how many pages axe-core checks at most: every page kind, then documents spread "
                        "evenly (default: 150)")
    return top


def build_flags(command: argparse.ArgumentParser) -> None:
    """The flags `build` and `serve` share: what to build, and how."""
    command.add_argument("--root", type=Path, default=Path("."),
                         help="the archive's folder: annals.yaml, templates/ and static/ overrides (default: .)")
    command.add_argument("-c", "--config", type=Path, metavar="FILE",
                         help="the configuration file (default: annals.yaml in --root); its folder is the "
                              "archive's folder")
    command.add_argument("-s", "--source", type=Path,
                         help="source documents (default: seeds, or annals.yaml's source)")
    command.add_argument("-o", "--output", type=Path,
                         help="site folder to write (default: site, or annals.yaml's output)")
    command.add_argument("--language", help="interface and date language of the site (default: fr)")
    command.add_argument("--title", help="site title")
    command.add_argument("--base-url", dest="base_url", help="public address of the published site, for citations")
    command.add_argument("--drafts", action="store_true", help="publish the documents marked draft: true too")
    command.add_argument("--strict", action="store_const", const=True,
                         help="treat every warning as a failure: the previous site stays in place")
    command.add_argument("--no-search", dest="search", action="store_const", const=False,
                         help="leave out the full-text search: its page, the box on every page and its index")
    command.add_argument("--clean", action="store_true",
                         help="ignore the build cache and build everything again (the result is the same)")


def load_settings(args):
    """annals.yaml in --root (or the --config file), with the command line's flags over it; the folders
    named must exist."""
    if args.config is None and not args.root.is_dir():
        raise ConfigError(f"--root {args.root}: no such folder")
    config = load_config(args.root, args.config).with_overrides(
        source=str(expanded(str(args.source)).resolve()) if args.source else None,
        output=str(expanded(str(args.output)).resolve()) if args.output else None,
        language=args.language, title=args.title, base_url=args.base_url, strict=args.strict, search=args.search)
    if not config.source_dir.is_dir():
        where = "--source" if args.source else config.where("source")
        raise ConfigError(f"{where}: source: {config.source}: no such folder ({config.source_dir.absolute()})")
    return config


def run_serve(args) -> int:
    from .serve import serve

    try:
        serve(lambda: replace(BuildOptions.from_config(load_settings(args)), drafts=args.drafts),
              args.config.parent if args.config else args.root, host=args.host, port=args.port,
              say=lambda line: print(line, flush=True), clean=args.clean)
    except OSError as error:  # the address is taken, or not ours to listen on
        print(f"annals: cannot listen on {args.host}:{args.port} ({error.strerror}) — choose another "
              "--port (0 picks a free one)", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def run_build(args) -> int:
    try:
        config = load_settings(args)
    except ConfigError as error:
        print(f"annals: {error}", file=sys.stderr)
        return EXIT_FAILED
    progress = TerminalProgress(verbose=args.verbose and not args.quiet, bar=not args.quiet)
    try:
        report = build(replace(BuildOptions.from_config(config), drafts=args.drafts), clean=args.clean,
                       progress=progress)
    except (UnsafeOutput, SourceChanged, NoSpace) as error:
        print(f"annals: {error}", file=sys.stderr)
        return EXIT_FAILED
    except RecordError as error:
        print(f"{error}\nannals: nothing was published — the previous site is unchanged", file=sys.stderr)
        return EXIT_FAILED
    except TemplateFailed as error:
        print(f"{error}\nannals: a template failed; nothing was published — the previous "
              "site is unchanged", file=sys.stderr)
        return EXIT_FAILED
    finally:
        progress.close()
    if args.verbose:
        from .datereport import report_lines

        for line in report_lines(list(report.dates)):
            print(line)
    shown = report.problems if args.verbose else (report.skipped + report.notes
                                                  + report.warnings[:MAX_WARNINGS_SHOWN])
    for problem in shown:
        print(problem, file=sys.stderr)
    if len(shown) < len(report.problems):
        print(f"annals: {counted(len(report.problems) - len(shown), 'more warning')} in "
              f"{config.output_dir / 'build-report.json'} (--verbose shows them all)", file=sys.stderr)
    if not args.quiet or report.problems:
        print(f"annals: {report.summary()} → {config.output_dir}")
    if not report.published:
        return EXIT_FAILED
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def run_new(args) -> int:
    import datetime

    from .scaffold import create_archive, new_document

    try:
        if args.folder == "document" and args.title:
            config = load_config(args.root, args.config)
            if not config.source_dir.is_dir():
                raise ConfigError(f"{config.where('source')}: source: {config.source}: no such folder")
            created = new_document(config.source_dir, args.title, datetime.date.today().isoformat(), config.language)
            print(f"annals: new document {created[0]} (its provenance in {created[1].name}). Next: annals build")
            return EXIT_OK
        if args.title:
            raise ConfigError(f"{args.title}: a title is for `annals new document TITLE`; a new archive takes "
                              "only its folder")
        created = create_archive(Path(args.folder))
    except (FileExistsError, ConfigError) as error:
        print(f"annals: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"annals: new archive in {args.folder} ({len(created)} files). Next: cd {args.folder} && annals build")
    return EXIT_OK


def run_check(args) -> int:
    from .check import check_site

    if not (args.site / "index.html").is_file():
        print(f"annals: {args.site}: not a built site (no index.html)", file=sys.stderr)
        return EXIT_FAILED
    results = check_site(args.site, skip=set(args.skip), a11y_pages=args.a11y_pages)
    for result in results:
        print(result.summary())
        for finding in result.findings[:50]:
            print(f"  {finding}")
        if len(result.findings) > 50:
            print(f"  … and {len(result.findings) - 50} more")
    failed = [r for r in results if not r.passed]
    print(f"annals check: {len(results) - len(failed)} of {len(results)} checks passed")
    return EXIT_OK if not failed else EXIT_SKIPPED


def run_verify(args) -> int:
    from .fixity import MANIFEST, BadManifest, NoManifest, verify

    try:
        result = verify(args.site, args.manifest_sha256 or "")
    except (NoManifest, BadManifest) as error:
        print(f"annals: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{MANIFEST}: SHA-256 {result.manifest_sha256} (keep it apart from the site: --manifest-sha256 "
          "checks the manifest itself)")
    if result.manifest_changed:
        print(f"the manifest itself has changed: its SHA-256 is not {args.manifest_sha256}")
    findings = (("changed", result.changed), ("missing", result.missing), ("not in the manifest", result.extra),
                ("added empty folder", result.empty_folders))
    for label, names in findings:
        for name in names:
            print(f"{label}: {name}")
    verdict = "intact" if result.ok else "NOT intact"
    print(f"annals verify: {result.checked} files listed; {len(result.changed)} changed, {len(result.missing)} "
          f"missing, {len(result.extra)} not listed — {verdict}")
    return EXIT_OK if result.ok else EXIT_SKIPPED


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    commands = {"build": run_build, "serve": run_serve, "new": run_new, "check": run_check, "verify": run_verify}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
