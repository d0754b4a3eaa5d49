"""OPML subscription lists (`kiosque import-opml`): one OpmlOutline per feed outline.

Exporters disagree on attribute case (xmlUrl, xmlurl) and escape '&' badly, so attributes are
read case-insensitively and the document goes through the same clean-up as feeds, then lxml in
recover mode.
"""

from __future__ import annotations

from lxml import etree

from kiosque.pipeline.errors import ParseError
from kiosque.pipeline.types import OpmlOutline

from .decode import decode, fix_xml, strip_prolog_encoding
from .text import clean
from .xmlnodes import local_name

__all__ = ["parse_opml"]

Element = etree._Element


def parse_opml(content: bytes) -> tuple[OpmlOutline, ...]:
    """Feeds listed in an OPML document, in document order, once per feed URL."""
    if not content.strip():
        raise ParseError("empty OPML document")
    text = fix_xml(strip_prolog_encoding(decode(content).text))
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, encoding="utf-8")
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"OPML is not XML: {exc}") from exc
    if root is None or local_name(root) != "opml":
        raise ParseError("not an OPML document (root element is not <opml>)")
    outlines: dict[str, OpmlOutline] = {}
    for el in root.iter("{*}outline"):
        attrs = {str(k).lower(): str(v) for k, v in el.attrib.items()}
        xml_url = clean(attrs.get("xmlurl"))
        if not xml_url or xml_url in outlines:
            continue
        outlines[xml_url] = OpmlOutline(
            title=clean(attrs.get("title") or attrs.get("text")) or xml_url,
            xml_url=xml_url,
            html_url=clean(attrs.get("htmlurl")),
            category=_category(el, attrs),
        )
    return tuple(outlines.values())


def _category(el: Element, attrs: dict[str, str]) -> str:
    """The enclosing folder's title; else the first path of the `category` attribute."""
    for parent in el.iterancestors():
        if local_name(parent) != "outline":
            break
        name = clean(parent.get("title") or parent.get("text"))
        if name:
            return name
    first = clean(attrs.get("category", "").split(",")[0])
    return first.strip("/").split("/")[-1] if first else ""
