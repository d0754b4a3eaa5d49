"""The fast path: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 read from an lxml tree."""

from __future__ import annotations

from lxml import etree

from kiosque.pipeline.types import FeedEntry, FeedKind, ParsedFeed, ParseOptions

from .common import author_name, cap_entries, unique
from .dates import parse_date
from .text import clean, first_img_src, http_url, is_http_url, to_text
from .xmlnodes import (
    Children,
    image_from_media,
    key_of,
    media_description,
    namespace_of,
    raw_text,
    text_construct,
    xml_lang,
)  # fmt: skip

__all__ = ["ROOT_KINDS", "read_tree"]

Element = etree._Element

_ATOM10 = "http://www.w3.org/2005/Atom"
_ATOM03 = "http://purl.org/atom/ns#"
_RSS10 = "http://purl.org/rss/1.0/"
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_RSS_VERSIONS = {
    "2.0": "rss20", "2.0.1": "rss20", "0.90": "rss090", "0.91": "rss091u", "0.92": "rss092", "0.93": "rss093",
    "0.94": "rss094",
}  # fmt: skip
ROOT_KINDS = {"rss": FeedKind.RSS, "rdf:rdf": FeedKind.RDF, "atom:feed": FeedKind.ATOM, "feed": FeedKind.ATOM}


def read_tree(root: Element, options: ParseOptions, warnings: tuple[str, ...] = ()) -> ParsedFeed | None:
    """ParsedFeed from a parsed document, or None when the root is not one we read here."""
    if not isinstance(root.tag, str):
        return None
    kind = ROOT_KINDS.get(key_of(root.tag))
    if kind is FeedKind.ATOM:
        return _read_atom(root, options, warnings)
    if kind is not None:
        return _read_rss(root, options, warnings, kind=kind)
    return None


# ----------------------------------------------------------------------- RSS / RDF
def _read_rss(root: Element, options: ParseOptions, warnings: tuple[str, ...], *, kind: FeedKind) -> ParsedFeed:
    top = Children(root)
    channel_el = top.first.get("channel")
    channel = Children(channel_el) if channel_el is not None else top
    items = top.many("item") + (channel.many("item") if channel is not top else [])
    language = clean(channel.text("language", "dc:language")) or _lang_of(channel_el, root)
    entries = (_rss_entry(item, language) for item in items)
    return ParsedFeed(
        kind=kind,
        version=_rss_version(root, kind),
        title=to_text(channel.text("title", "dc:title")),
        link=_channel_link(channel, channel_el if channel_el is not None else root),
        language=language,
        entries=cap_entries(entries, options.max_entries),
        warnings=warnings,
    )


def _rss_version(root: Element, kind: FeedKind) -> str:
    if kind is FeedKind.RDF:
        return "rss10" if _RSS10 in root.nsmap.values() else "rss090"
    return _RSS_VERSIONS.get((root.get("version") or "").strip(), "rss")


def _lang_of(*elements: Element | None) -> str | None:
    for el in elements:
        if el is not None:
            lang = xml_lang(el)
            if lang:
                return lang
    return None


def _channel_link(channel: Children, element: Element) -> str:
    link = clean(channel.text("link"))
    if link:
        return http_url(link, element.base) or ""
    return _atom_alternate(channel.many("atom:link")) or ""


def _rss_entry(item: Element, feed_language: str | None) -> FeedEntry:
    kids = Children(item)
    base = item.base
    guid = clean(kids.text("guid", "dc:identifier")) or None
    # feedburner:origLink is the publisher's URL behind FeedBurner's redirect; rdf:about names an RSS 1.0 item.
    link = clean(kids.text("feedburner:origlink", "link")) or _atom_alternate(kids.many("atom:link", "link"))
    link = link or clean(item.get(_RDF_ABOUT))
    url = (http_url(link, base) if link else None) or (guid if is_http_url(guid) else None)
    description = kids.text("description", "dc:description", "summary", "atom:summary")
    content = kids.text("content:encoded", "xhtml:body", "body", "fullitem", "atom:content", "itunes:summary")
    content = content or media_description(kids)
    image = image_from_media(kids) or first_img_src(content or description)
    return FeedEntry(
        url=url or "",
        guid=guid,
        title=to_text(kids.text("title", "dc:title", "media:title")),
        summary=to_text(description or content),
        published=parse_date(kids.text("pubdate", "dc:date", "dcterms:issued", "atom:published", "dcterms:created")),
        updated=parse_date(kids.text("atom:updated", "dcterms:modified")),
        author=author_name(kids.text("dc:creator", "author", "itunes:author", "dc:author")),
        categories=unique(to_text(raw_text(el)) for el in kids.many("category", "dc:subject")),
        image_url=http_url(image, base),
        language=clean(kids.text("dc:language")) or xml_lang(item) or feed_language,
    )


# --------------------------------------------------------------------------- Atom
def _read_atom(root: Element, options: ParseOptions, warnings: tuple[str, ...]) -> ParsedFeed:
    top = Children(root, bare="atom")
    language = xml_lang(root)
    namespace = namespace_of(root)
    author = _atom_author(top)
    # feedparser also takes <item> inside <feed>, so do we (seen in old Atom 0.3 exporters)
    entries = (_atom_entry(entry, language, author) for entry in top.many("atom:entry", "atom:item"))
    return ParsedFeed(
        kind=FeedKind.ATOM,
        version={_ATOM10: "atom10", _ATOM03: "atom03"}.get(namespace or "", "atom"),
        title=text_construct(top.one("atom:title")),
        link=_atom_alternate(top.many("atom:link")) or "",
        language=language,
        entries=cap_entries(entries, options.max_entries),
        warnings=warnings,
    )


def _atom_entry(entry: Element, feed_language: str | None, feed_author: str) -> FeedEntry:
    kids = Children(entry, bare="atom")
    links = kids.many("atom:link")
    guid = clean(kids.text("atom:id")) or None
    url = _atom_alternate(links) or (guid if is_http_url(guid) else "")
    summary_el = kids.one("atom:summary")
    content_el = kids.one("atom:content")
    summary = text_construct(summary_el) or text_construct(content_el) or to_text(media_description(kids))
    image = image_from_media(kids) or _atom_enclosure_image(links)
    for el in (content_el, summary_el):
        if image is None and el is not None:  # an <img> in the content resolves against the content's xml:base
            image = http_url(first_img_src(raw_text(el)), el.base)
    return FeedEntry(
        url=url or "",
        guid=guid,
        title=text_construct(kids.one("atom:title")),
        summary=summary,
        published=parse_date(kids.text("atom:published", "atom:issued", "atom:created", "dc:date")),
        updated=parse_date(kids.text("atom:updated", "atom:modified", "dcterms:modified")),
        author=_atom_author(kids) or feed_author,
        categories=unique(clean(el.get("term") or el.get("label") or el.text) for el in kids.many("atom:category"))
        + unique(to_text(raw_text(el)) for el in kids.many("dc:subject")),
        image_url=http_url(image, entry.base),
        language=xml_lang(entry) or feed_language,
    )


def _atom_author(kids: Children) -> str:
    for el in kids.many("atom:author"):
        name = Children(el, bare="atom").text("atom:name")
        if name.strip():
            return to_text(name)
    return author_name(kids.text("dc:creator"))


def _atom_alternate(links: list[Element]) -> str:
    """href of the best rel=alternate link (HTML first), resolved against its xml:base."""
    best: Element | None = None
    for el in links:
        rel = (el.get("rel") or "alternate").strip().lower()
        if rel != "alternate" or not (el.get("href") or (el.text or "").strip()):
            continue
        mime = (el.get("type") or "text/html").lower()
        if "html" in mime:
            best = el
            break
        best = best if best is not None else el
    if best is None:
        return ""
    # Without href, Atom 0.3 exporters and RSS feeds borrowing <link> put the URL in the text.
    return http_url(best.get("href") or best.text, best.base) or ""


def _atom_enclosure_image(links: list[Element]) -> str | None:
    for el in links:
        if (el.get("rel") or "").lower() == "enclosure" and (el.get("type") or "").startswith("image/"):
            return http_url(el.get("href"), el.base)
    return None
