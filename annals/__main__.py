"""`python -m annals`: the same as the `annals` command."""
import sys

from .cli import main

sys.exit(main())
