"""Build the archive in seeds/ into site/: `python build.py` (options as for `annals build`)."""
import sys
from pathlib import Path

from annals.cli import main

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    defaults = ["--source", str(HERE / "seeds"), "--output", str(HERE / "site")]
    sys.exit(main(["build", *defaults, *sys.argv[1:]]))
