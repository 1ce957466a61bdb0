"""Command line: `annals build`; argument parsing only, the work is done by the pipeline."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .pipeline import BuildOptions, build
from .write import UnsafeOutput

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2
MAX_WARNINGS_SHOWN = 20  # a big archive can have thousands; all of them are in build-report.json


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="annals", description="Build a static, citable archive site.")
    top.add_argument("--version", action="version", version=f"annals {__version__}")
    commands = top.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build the site from the source folder")
    b.add_argument("--source", type=Path, default=Path("seeds"), help="source documents (default: seeds)")
    b.add_argument("--output", type=Path, default=Path("site"), help="site folder to write (default: site)")
    b.add_argument("--language", default="fr", help="interface language of the site (default: fr)")
    b.add_argument("--title", default="", help="site title (default: the interface's word for archive)")
    b.add_argument("--strict", action="store_true",
                   help="treat every warning as a failure: the previous site stays in place")
    b.add_argument("--quiet", action="store_true", help="print only problems")
    b.add_argument("--verbose", action="store_true", help="print every warning, not only the first ones")
    return top


def run_build(args) -> int:
    if not args.source.is_dir():
        print(f"annals: {args.source}: no such source folder", file=sys.stderr)
        return EXIT_FAILED
    options = BuildOptions(source=args.source, output=args.output, language=args.language, title=args.title,
                           theme_root=args.source.resolve().parent, strict=args.strict)
    try:
        report = build(options)
    except UnsafeOutput as error:
        print(f"annals: {error}", file=sys.stderr)
        return EXIT_FAILED
    shown = report.problems if args.verbose else report.skipped + report.warnings[:MAX_WARNINGS_SHOWN]
    for problem in shown:
        print(problem, file=sys.stderr)
    if len(shown) < len(report.problems):
        print(f"annals: {len(report.problems) - len(shown)} more warnings in "
              f"{args.output / 'build-report.json'} (--verbose shows them all)", file=sys.stderr)
    if not args.quiet or report.problems:
        print(f"annals: {report.summary()} → {args.output}")
    if not report.published:
        return EXIT_FAILED
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "build":
        return run_build(args)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
