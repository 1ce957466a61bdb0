"""What pages can show of a string: the characters HTML forbids, and lone surrogates, as U+FFFD."""
from __future__ import annotations

import re

# Characters HTML forbids in text: C0 controls other than tab, newline, form feed and carriage return,
# DEL, C1 controls, and Unicode noncharacters; and lone surrogates, which no encoding can write (decoded
# bytes never hold them, YAML's "\ud800" escapes do). Shown as U+FFFD, with a warning naming the line.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
UNSHOWABLE = "holds characters HTML cannot show (control characters or lone surrogates); they appear as \ufffd"


def shown(value: str) -> tuple[str, bool]:
    """A string from YAML as pages can show it, and whether anything in it had to be replaced."""
    cleaned = FORBIDDEN.sub("\ufffd", value)
    return cleaned, cleaned != value
