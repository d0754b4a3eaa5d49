"""Bytes to text: BOM, strict UTF-8, the HTTP header's charset, the page's <meta> charset, then
charset-normalizer.

Strict UTF-8 comes before the declared charset on purpose: multi-byte UTF-8 sequences almost never
occur by accident in a legacy-encoded page, while pages that declare ISO-8859-1 but are served in
UTF-8 are common (a CMS switched, the template did not). Labels follow the WHATWG Encoding
Standard's main aliases (iso-8859-1 and us-ascii mean windows-1252), as browsers read them.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from kiosque.pipeline.errors import ExtractError

__all__ = ["decode_html", "sniff_not_html"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it shares the first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-user-defined": "cp1252",
}
# Magic numbers of the binary payloads a misconfigured server most often sends instead of a page.
_BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a RIFF file (WebP image or audio)"),
    (b"ID3", "an MP3 file"),
)
_SNIFF_BYTES = 2048
_FEW_BAD_BYTES = 8
# Further than the WHATWG pre-scan's 1024 bytes: many CMS put dozens of <link>/<script> tags first.
_CHARSET_SCAN_BYTES = 16384


def sniff_not_html(head: bytes) -> str | None:
    """Why these leading bytes cannot be an HTML page, or None when they may be one."""
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return f"not HTML: the content is {what}"
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "not HTML: the content is binary (NUL bytes near the start)"
    return None


def decode_html(data: bytes, *, announced: str | None = None) -> str:
    """Decode a page's bytes to text; raises ExtractError for binary payloads. `announced` is the
    charset the HTTP header gave, if any: it outranks the page's own <meta>, as in browsers."""
    head = data[:_SNIFF_BYTES]
    reason = sniff_not_html(head)
    if reason:
        raise ExtractError(reason)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _codec(announced) if announced else None
    declared = declared or _declared_charset(data[:_CHARSET_SCAN_BYTES])
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong label: look at the bytes themselves
    # A UTF-8 page with a few broken bytes (a truncated multi-byte character in a teaser, one
    # pasted Latin-1 word) is still a UTF-8 page; a detector would pick a legacy code page for it.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(_FEW_BAD_BYTES, len(lenient) // 1000):
        return lenient
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode(declared or "utf-8", errors="replace")


def _declared_charset(head: bytes) -> str | None:
    """The charset named by an XML prolog or a <meta> tag, as a Python codec name (None if unknown)."""
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    return _codec(match.group(1).decode("ascii"))


def _codec(label: str) -> str | None:
    """A charset label as a Python codec name, WHATWG aliases applied; None when unknown."""
    label = label.strip().lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None
