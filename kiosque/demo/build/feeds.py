"""Feeds, homepages and robots.txt generated from the articles a site keeps.

One writer per format: RSS 2.0, Atom 1.0, RSS 1.0 (RDF), JSON Feed 1.1 and a Google news
sitemap. Entries are the site's articles, newest first. XML is built with lxml so escaping and
encodings (ISO-8859-1 feeds get character references for what Latin-1 lacks) are right.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from lxml import etree

from kiosque.demo.build.model import BUILD_EPOCH, Article, FeedSpec, Site

__all__ = ["CONTENT_TYPES", "render_feed", "render_homepage", "render_robots"]

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
DC = "http://purl.org/dc/elements/1.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1 = "http://purl.org/rss/1.0/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

CONTENT_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "rdf": "application/rdf+xml",
    "jsonfeed": "application/feed+json",
    "sitemap": "application/xml",
}


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _rfc822(moment: datetime) -> str:
    return (
        format_datetime(moment, usegmt=False)
        if moment.utcoffset()
        else format_datetime(moment.astimezone(UTC), usegmt=True)
    )


def _newest(site: Site) -> datetime:
    dates = [a.published for a in site.articles if a.published]
    return max(dates) if dates else BUILD_EPOCH


def _rss(site: Site, spec: FeedSpec, sizes: dict[str, int]) -> etree._Element:
    root = etree.Element("rss", version="2.0", nsmap={"atom": ATOM, "media": MEDIA, "dc": DC})
    channel = _sub(root, "channel")
    _sub(channel, "title", site.name)
    _sub(channel, "link", site.homepage)
    _sub(channel, "description", site.description or site.name)
    _sub(channel, "language", site.languages[0] if site.languages else "fr")
    _sub(channel, "lastBuildDate", _rfc822(_newest(site)))
    _sub(channel, f"{{{ATOM}}}link", href=spec.url, rel="self", type=CONTENT_TYPES["rss"])
    for article in site.newest_first():
        item = _sub(channel, "item")
        _sub(item, "title", article.title)
        _sub(item, "link", article.url)
        _sub(item, "guid", article.url, isPermaLink="true")
        if article.published:
            _sub(item, "pubDate", _rfc822(article.published))
        if article.description:
            _sub(item, "description", article.description)
        if article.author:
            _sub(item, f"{{{DC}}}creator", article.author)
        if article.category:
            _sub(item, "category", article.category)
        if article.image_url and site.origin == "clustering":
            _sub(
                item, "enclosure", url=article.image_url, type="image/jpeg", length=str(sizes.get(article.image_url, 0))
            )
        elif article.image_url:
            _sub(item, f"{{{MEDIA}}}content", url=article.image_url, medium="image", type="image/jpeg")
    return root


def _atom(site: Site, spec: FeedSpec, sizes: dict[str, int]) -> etree._Element:
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})  # type: ignore[dict-item]
    root.set(XML_LANG, site.languages[0] if site.languages else "fr")
    _sub(root, f"{{{ATOM}}}title", site.name)
    _sub(root, f"{{{ATOM}}}id", site.homepage)
    _sub(root, f"{{{ATOM}}}updated", _newest(site).isoformat())
    _sub(root, f"{{{ATOM}}}link", rel="self", type=CONTENT_TYPES["atom"], href=spec.url)
    _sub(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=site.homepage)
    for article in site.newest_first():
        entry = _sub(root, f"{{{ATOM}}}entry")
        _sub(entry, f"{{{ATOM}}}title", article.title)
        _sub(entry, f"{{{ATOM}}}id", article.url)
        _sub(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=article.url)
        stamp = (article.published or BUILD_EPOCH).isoformat()
        if article.published:
            _sub(entry, f"{{{ATOM}}}published", stamp)
        _sub(entry, f"{{{ATOM}}}updated", stamp)
        author = _sub(entry, f"{{{ATOM}}}author")
        _sub(author, f"{{{ATOM}}}name", article.author or site.name)
        if article.category:
            _sub(entry, f"{{{ATOM}}}category", term=article.category)
        if article.description:
            _sub(entry, f"{{{ATOM}}}summary", article.description, type="text")
        if article.image_url:
            _sub(
                entry,
                f"{{{ATOM}}}link",
                rel="enclosure",
                type="image/jpeg",
                href=article.image_url,
                length=str(sizes.get(article.image_url, 0)),
            )
    return root


def _rdf(site: Site, spec: FeedSpec, sizes: dict[str, int]) -> etree._Element:
    root = etree.Element(f"{{{RDF}}}RDF", nsmap={"rdf": RDF, None: RSS1, "dc": DC})  # type: ignore[dict-item]
    channel = _sub(root, f"{{{RSS1}}}channel", **{f"{{{RDF}}}about": spec.url})
    _sub(channel, f"{{{RSS1}}}title", site.name)
    _sub(channel, f"{{{RSS1}}}link", site.homepage)
    _sub(channel, f"{{{RSS1}}}description", site.description or site.name)
    _sub(channel, f"{{{DC}}}language", site.languages[0] if site.languages else "fr")
    _sub(channel, f"{{{DC}}}date", _newest(site).isoformat())
    sequence = _sub(_sub(channel, f"{{{RSS1}}}items"), f"{{{RDF}}}Seq")
    for article in site.newest_first():
        _sub(sequence, f"{{{RDF}}}li", **{f"{{{RDF}}}resource": article.url})
    for article in site.newest_first():
        item = _sub(root, f"{{{RSS1}}}item", **{f"{{{RDF}}}about": article.url})
        _sub(item, f"{{{RSS1}}}title", article.title)
        _sub(item, f"{{{RSS1}}}link", article.url)
        if article.description:
            _sub(item, f"{{{RSS1}}}description", article.description)
        if article.published:
            _sub(item, f"{{{DC}}}date", article.published.isoformat())
        if article.author:
            _sub(item, f"{{{DC}}}creator", article.author)
        if article.category:
            _sub(item, f"{{{DC}}}subject", article.category)
    return root


def _sitemap(site: Site, spec: FeedSpec, sizes: dict[str, int]) -> etree._Element:
    root = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "news": NEWS, "image": IMAGE})  # type: ignore[dict-item]
    for article in site.newest_first():
        url = _sub(root, f"{{{SITEMAP}}}url")
        _sub(url, f"{{{SITEMAP}}}loc", article.url)
        stamp = (article.published or BUILD_EPOCH).isoformat()
        _sub(url, f"{{{SITEMAP}}}lastmod", stamp)
        news = _sub(url, f"{{{NEWS}}}news")
        publication = _sub(news, f"{{{NEWS}}}publication")
        _sub(publication, f"{{{NEWS}}}name", site.name)
        _sub(publication, f"{{{NEWS}}}language", article.lang)
        _sub(news, f"{{{NEWS}}}publication_date", stamp)
        _sub(news, f"{{{NEWS}}}title", article.title)
        if article.image_url:
            _sub(_sub(url, f"{{{IMAGE}}}image"), f"{{{IMAGE}}}loc", article.image_url)
    return root


def _jsonfeed(site: Site, spec: FeedSpec) -> bytes:
    items = []
    for article in site.newest_first():
        item: dict[str, object] = {"id": article.url, "url": article.url, "title": article.title}
        if article.description:
            item["summary"] = article.description
            item["content_text"] = article.description
        if article.image_url:
            item["image"] = article.image_url
        if article.published:
            item["date_published"] = article.published.isoformat()
        if article.author:
            item["authors"] = [{"name": article.author}]
        if article.category:
            item["tags"] = [article.category]
        item["language"] = article.lang
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.name,
        "home_page_url": site.homepage,
        "feed_url": spec.url,
        "description": site.description or site.name,
        "language": site.languages[0] if site.languages else "en",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


_XML_WRITERS = {"rss": _rss, "atom": _atom, "rdf": _rdf, "sitemap": _sitemap}


def render_feed(site: Site, spec: FeedSpec, sizes: dict[str, int]) -> tuple[bytes, str]:
    """Feed bytes and the Content-Type to serve them with (charset included)."""
    if spec.kind == "jsonfeed":
        return _jsonfeed(site, spec), CONTENT_TYPES["jsonfeed"] + "; charset=utf-8"
    root = _XML_WRITERS[spec.kind](site, spec, sizes)
    body = etree.tostring(root, encoding=spec.encoding.upper(), xml_declaration=spec.xml_prolog, pretty_print=True)
    assert isinstance(body, bytes)  # an explicit encoding always gives bytes
    media = "text/xml" if not spec.xml_prolog else CONTENT_TYPES[spec.kind]
    return body, f"{media}; charset={spec.encoding.upper() if spec.encoding != 'utf-8' else 'utf-8'}"


def render_homepage(site: Site) -> bytes:
    """A minimal front page: feed discovery links plus the latest headlines."""
    lang = site.languages[0] if site.languages else "fr"
    direction = "rtl" if lang == "ar" else "ltr"
    links = []
    for spec in site.feeds:
        if spec.kind in {"rss", "atom", "rdf", "jsonfeed"}:
            media = "application/rss+xml" if spec.kind == "rdf" else CONTENT_TYPES[spec.kind]
            links.append(f'<link rel="alternate" type="{media}" title="{escape(site.name)}" href="{escape(spec.url)}">')
    listing = [f'<p><a href="{escape(s.url)}">{escape(s.url)}</a></p>' for s in site.feeds if s.kind == "listing"]
    items = "".join(f'<li><a href="{escape(a.url)}">{escape(a.title)}</a></li>' for a in site.newest_first()[:20])
    page = f"""<!DOCTYPE html>
<html lang="{lang}" dir="{direction}">
<head>
<meta charset="utf-8">
<title>{escape(site.name)}</title>
<meta name="description" content="{escape(site.description or site.name)}">
{chr(10).join(links)}
</head>
<body>
<h1>{escape(site.name)}</h1>
{"".join(listing)}
<ul class="latest">{items}</ul>
</body>
</html>
"""
    return page.encode("utf-8")


def render_robots(site: Site | None, *, sitemaps: list[str] | None = None) -> bytes:
    """Permissive robots.txt; GPTBot is shut out everywhere so user-agent groups get exercised."""
    lines = ["User-agent: GPTBot", "Disallow: /", "", "User-agent: *"]
    disallow = site.disallow if site else []
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    if site and site.crawl_delay:
        lines.append(f"Crawl-delay: {site.crawl_delay}")
    lines += [""] + [f"Sitemap: {url}" for url in sitemaps or []]
    return ("\n".join(lines).rstrip("\n") + "\n").encode("ascii")


def article_last_modified(article: Article) -> datetime:
    return article.published or BUILD_EPOCH
