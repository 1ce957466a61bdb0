"""Which addresses a page may link to: the one rule for links from sources, Markdown and the gazetteer."""
from __future__ import annotations

import re

URL_SCHEMES = {"http", "https", "mailto"}
# What browsers drop before they read a scheme: leading and trailing controls and spaces, tabs and line
# breaks anywhere (so " JaVaScRiPt:", "java\tscript:" are javascript: to them).
IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def is_safe_link(address: str) -> bool:
    """An absolute http, https or mailto address, read as a browser reads it."""
    cleaned = IGNORED_BY_BROWSERS.sub("", address).strip("".join(map(chr, range(0x21))))
    scheme = SCHEME.match(cleaned)
    return bool(scheme) and scheme.group(1).lower() in URL_SCHEMES and cleaned == address.strip()
