"""Which charset a fetched body declares: BOM, then HTTP header, then XML prolog, then HTML <meta>.

We only read declarations; guessing from the bytes is the caller's job (None means "undeclared").
Names come back as Python codec names, so `bytes.decode(encoding)` always works.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message

__all__ = ["detect_encoding", "media_type"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# XML 1.0 appendix F: a UTF-16 document without BOM still starts with "<?".
_XML_UTF16 = ((b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))
_XML_PROLOG = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 4096  # WHATWG prescans 1024 bytes; real pages often put <meta> a bit later
# WHATWG Encoding Standard: these labels mean windows-1252 on the web (pages labelled latin-1
# routinely contain curly quotes and the euro sign at 0x80-0x9F).
_WEB_ALIASES = {"ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "gb2312": "gbk", "utf-8-sig": "utf-8"}
_BINARY_TYPES = ("image/", "audio/", "video/", "font/")
_BINARY_EXACT = {"application/octet-stream", "application/pdf", "application/zip", "application/gzip"}


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type value, lower case, without parameters ("" when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def detect_encoding(content: bytes, content_type: str | None) -> str | None:
    """The declared charset of `content`, or None (binary media type, or nothing declared)."""
    mtype = media_type(content_type)
    if mtype.startswith(_BINARY_TYPES) or mtype in _BINARY_EXACT:
        return None
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    declared = _codec(_header_charset(content_type))
    if declared:
        return declared
    head = content[:_PRESCAN_BYTES]
    for prefix, name in _XML_UTF16:
        if head.startswith(prefix):
            return name
    prolog = _XML_PROLOG.match(head)
    if prolog:
        return _ascii_compatible(_codec(prolog.group(1).decode("ascii")))
    if _is_xml(mtype):  # an XML document without prolog is UTF-8 by spec; a <meta> inside is not ours
        return None
    meta = _META.search(head)
    if meta:
        return _ascii_compatible(_codec(meta.group(1).decode("ascii")))
    return None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    # email.message parses MIME parameters (quoting, case, spacing) the way RFC 2045 says.
    msg = Message()
    msg["content-type"] = content_type
    value = msg.get_param("charset")
    return value if isinstance(value, str) else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


def _ascii_compatible(name: str | None) -> str | None:
    # A declaration we could read as ASCII can't truly be UTF-16/32 (WHATWG maps such <meta> to UTF-8).
    if name is not None and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def _is_xml(mtype: str) -> bool:
    return "xml" in mtype and "html" not in mtype
