"""Source bytes → text: the one place that decides encodings and normalises line endings."""
from __future__ import annotations

import codecs
import contextlib
from dataclasses import dataclass

from ..showable import FORBIDDEN


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str = ""  # set when the encoding was a guess the archivist should confirm
    line: int = 0  # where the guess was needed: the first line that is not UTF-8


class Undecodable(ValueError):
    """The bytes are not text in any encoding we can stand behind (a binary file, say)."""


def looks_binary(data: bytes) -> bool:
    """NUL bytes outside a UTF-16/32 BOM'd file mean an image, archive or other binary."""
    return b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def replace_forbidden(text: str) -> tuple[str, int]:
    """(text with forbidden characters shown as U+FFFD, first line where one stood or 0)."""
    first = FORBIDDEN.search(text)
    if first is None:
        return text, 0
    return FORBIDDEN.sub("\ufffd", text), text.count("\n", 0, first.start()) + 1


def decode(data: bytes, declared: str = "") -> Decoded:
    """Decode source bytes: BOMs first, then the encoding the bytes were `declared` in (a captured page's
    Content-Type charset) if they are valid in it, then UTF-8, then Windows-1252 as the usual legacy one."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(_normalise(data.decode(encoding)), encoding)
            except UnicodeDecodeError as error:
                raise Undecodable(f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                                  f"(byte {error.start})") from error
    if declared:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            encoding = codecs.lookup(declared).name
            return Decoded(_normalise(data.decode(encoding)), "utf-8" if encoding == "utf-8" else encoding)
    if looks_binary(data):
        raise Undecodable("looks like a binary file (it contains NUL bytes), not text")
    try:
        return Decoded(_normalise(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as error:
        first_bad = error.start
    for legacy in ("cp1252", "latin-1"):
        try:
            text = data.decode(legacy)
        except UnicodeDecodeError:
            continue
        line = data.count(b"\n", 0, first_bad) + 1
        return Decoded(_normalise(text), legacy,
                       f"is not valid UTF-8; read as {legacy} — if accents look wrong on the page, "
                       "re-save the file as UTF-8", line)
    raise Undecodable("could not be decoded")  # latin-1 decodes any bytes; kept for clarity


def _normalise(text: str) -> str:
    """One line-ending convention: CRLF and lone CR become LF. Nothing else is touched."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
