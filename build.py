"""Build the archive in seeds/ into site/: `python build.py` (options as for `annals build`)."""
import sys
from pathlib import Path

from annals.cli import main

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.exit(main(["build", "--root", str(HERE), *sys.argv[1:]]))
