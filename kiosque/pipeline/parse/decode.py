"""Bytes to text: BOM, HTTP charset, XML prolog, then detection; XML clean-up before lxml.

Order (feedparser's, which follows RFC 7303): a BOM wins; the HTTP header's charset overrides
the XML prolog; then the prolog; then strict UTF-8; then charset-normalizer. A declared
charset that cannot decode the bytes is skipped (with a warning), not trusted blindly:
the real corpus has ISO-8859-1 feeds with no prolog and feeds whose header lies.
"""

from __future__ import annotations

import codecs
import html.entities
import re
import zlib
from dataclasses import dataclass

from charset_normalizer import from_bytes

__all__ = ["Decoded", "decode", "fix_xml", "gunzip_capped", "strip_prolog_encoding"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# XML 1.0 appendix F: UTF-16/32 without a BOM is recognised from how "<?" is laid out.
_NO_BOM_MARKERS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_PROLOG_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_PROLOG_ENCODING_STR = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")
# Labels that browsers (WHATWG Encoding) read as windows-1252: feeds labelled latin-1 routinely carry
# cp1252 curly quotes in 0x80-0x9F ("demoronize" cases in the corpus).
_CP1252_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "windows-1252"}
# Only what XML rejects: a named reference other than the five, "&#X", or a bare "&".
_NEEDS_FIX = re.compile(
    r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)(?:([A-Za-z][A-Za-z0-9]*);|#X([0-9A-Fa-f]+);)?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
MAX_GUNZIP_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(content: bytes, declared: str | None = None) -> Decoded:
    """Decode feed bytes to str; never raises. `encoding` names the codec actually used."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return Decoded(content[len(bom) :].decode(name, errors="replace"), name)
    for marker, name in _NO_BOM_MARKERS:
        if content.startswith(marker):
            return Decoded(content.decode(name, errors="replace"), name)
    warnings: list[str] = []
    prolog = _PROLOG_ENCODING.match(content[:512])
    candidates = [(declared, "HTTP charset"), (prolog.group(1).decode("ascii") if prolog else None, "XML prolog")]
    for label, origin in candidates:
        if not label:
            continue
        found = _try_decode(content, label)
        if found is not None:
            return Decoded(*found, tuple(warnings))
        warnings.append(f"{origin} charset {label!r} does not decode the document")
    found = _try_decode(content, "utf-8")
    if found is not None:
        return Decoded(*found, tuple(warnings))
    best = from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        found = _try_decode(content, best.encoding)
        if found is not None:
            return Decoded(*found, (*warnings, f"charset guessed as {found[1]}"))
    return Decoded(_cp1252(content), "cp1252", (*warnings, "charset unknown; read as windows-1252"))


def _try_decode(content: bytes, label: str) -> tuple[str, str] | None:
    """(text, codec name) if `label` names a codec that decodes the bytes."""
    label = label.strip().strip("'\"").lower().replace("_", "-")
    if label in _CP1252_LABELS:
        if content.isascii():
            return content.decode("ascii"), "ascii"
        if label in ("us-ascii", "ascii"):
            return None
        # A single-byte label on bytes that are valid UTF-8 is a mislabel (CMS templates keep a
        # stale prolog): real latin-1 text is almost never valid UTF-8 by chance.
        try:
            return content.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return _cp1252(content), "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    try:
        return content.decode(name), name
    except (UnicodeDecodeError, UnicodeError):
        return None


def _cp1252_char(byte: int) -> str:
    try:
        return bytes((byte,)).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# latin-1 maps bytes 1:1 to code points; this table then moves 0x80-0x9F to their cp1252 meaning,
# keeping latin-1's for the five bytes cp1252 leaves undefined (what browsers do).
_LATIN1_TO_CP1252 = {chr(b): _cp1252_char(b) for b in range(0x80, 0xA0)}
_C1 = re.compile("[\x80-\x9f]")


def _cp1252(content: bytes) -> str:
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:  # one of the five undefined bytes: map C1 characters one by one
        return _C1.sub(lambda m: _LATIN1_TO_CP1252[m.group(0)], content.decode("latin-1"))


def strip_prolog_encoding(text: str) -> str:
    """Remove encoding="..." from the XML declaration: the text is already decoded."""
    return _PROLOG_ENCODING_STR.sub(r"\1", text, count=1)


def fix_xml(text: str) -> str:
    """Make the commonest XML faults well-formed so the fast lxml path can take them.

    Outside CDATA: HTML named entities that XML does not define (&eacute; &nbsp; ...) become
    character references, unknown ones and bare '&' are escaped, control characters are
    dropped. CDATA is left as is: its '&' is literal text.
    """
    if _NEEDS_FIX.search(text) is None and _CONTROL.search(text) is None:
        return text
    if "<![CDATA[" not in text:
        return _fix_part(text)
    parts = _CDATA.split(text)
    return "".join(part if i % 2 else _fix_part(part) for i, part in enumerate(parts))


def _fix_part(part: str) -> str:
    return _NEEDS_FIX.sub(_fix_entity, _CONTROL.sub("", part))


def _fix_entity(match: re.Match[str]) -> str:
    name, upper_hex = match.group(1), match.group(2)
    if upper_hex is not None:
        return f"&#x{upper_hex};"  # SGML allows the upper-case X, XML does not
    if name is None:
        return "&amp;"
    codepoint = html.entities.name2codepoint.get(name)
    if codepoint is None:
        # An unknown name is kept as the literal text it is (feedparser does the same).
        return f"&amp;{name};"
    return f"&#{codepoint};"


def gunzip_capped(content: bytes, limit: int = MAX_GUNZIP_BYTES) -> bytes | None:
    """Decompress a gzip body (sitemap.xml.gz served as a file), refusing bombs; None if not gzip."""
    if not content.startswith(b"\x1f\x8b"):
        return None
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, limit)
    except zlib.error:
        return None
    if inflater.unconsumed_tail:
        return None
    return data
