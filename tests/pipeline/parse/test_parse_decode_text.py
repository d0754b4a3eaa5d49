"""Decoding order (BOM > HTTP charset > prolog > UTF-8 > detection), XML repairs, HTML to plain text, sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosque.pipeline.parse import FeedKind, html_to_text, sniff_kind
from kiosque.pipeline.parse.decode import decode, fix_xml

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "parse" / "feeds"

RSS_CAFE = "<rss><channel><title>Café – « été »</title></channel></rss>"

DECODE_CASES = [
    # (bytes, HTTP charset, expected text fragment, expected encoding)
    (RSS_CAFE.encode("utf-8"), None, "Café – « été »", "utf-8"),
    (b"\xef\xbb\xbf" + RSS_CAFE.encode("utf-8"), "iso-8859-1", "Café – « été »", "utf-8"),  # BOM beats header
    (RSS_CAFE.encode("utf-16"), None, "Café – « été »", "utf-16-le"),
    (RSS_CAFE.encode("utf-16-be"), None, "Café – « été »", "utf-16-be"),  # no BOM: '<' layout says it
    (RSS_CAFE.replace("–", "-").encode("iso-8859-1"), "iso-8859-1", "Café - « été »", "cp1252"),
    # header charset overrides the prolog (RFC 7303, feedparser)
    (b'<?xml version="1.0" encoding="utf-8"?>' + "<t>é</t>".encode("iso-8859-1"), "iso-8859-1", "<t>é</t>", "cp1252"),
    # prolog used when there is no header
    (b'<?xml version="1.0" encoding="koi8-r"?><t>' + "Привет".encode("koi8-r") + b"</t>", None, "Привет", "koi8-r"),
    # latin-1 labels are read as windows-1252 (curly quotes in 0x80-0x9F)
    (b"<t>don\x92t</t>", "iso-8859-1", "don\u2019t", "cp1252"),
    # a single-byte label on valid UTF-8 is a mislabel
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><t>' + "Café".encode() + b"</t>", None, "Café", "utf-8"),
    # a bogus label is skipped
    (b'<?xml version="1.0" encoding="bogus-9"?><t>' + "Café".encode() + b"</t>", None, "Café", "utf-8"),
]


@pytest.mark.parametrize(("content", "charset", "fragment", "encoding"), DECODE_CASES)
def test_decode(content: bytes, charset: str | None, fragment: str, encoding: str) -> None:
    decoded = decode(content, charset)
    assert fragment in decoded.text
    assert decoded.encoding == encoding


def test_decode_latin1_without_prolog_or_header_is_detected() -> None:
    """Le Cercle Psy serves ISO-8859-1 with no prolog; without the header, detection must still read it."""
    content = (FEEDS / "replay__cercle_psy.xml").read_bytes()
    assert "Cercle Psy, le magazine de toutes les psychologies" in decode(content, None).text
    assert "l'origine de troubles neuro-développementaux" in decode(content, None).text
    assert "neuro-développementaux" in decode(content, "iso-8859-1").text


FIX_CASES = [
    ("<t>caf&eacute;&nbsp;!</t>", "<t>caf&#233;&#160;!</t>"),  # HTML entities XML does not define
    ("<t>AT&T &amp; co</t>", "<t>AT&amp;T &amp; co</t>"),  # bare ampersand
    ("<t>&doesnotexist;</t>", "<t>&amp;doesnotexist;</t>"),  # unknown name kept as text
    ("<t>&#X61;&#x62;&#99;&lt;</t>", "<t>&#x61;&#x62;&#99;&lt;</t>"),  # SGML's upper-case X
    ("<t>a\x00b\x0bc</t>", "<t>abc</t>"),  # control characters XML forbids
    ("<t><![CDATA[&eacute; & <b>]]>&eacute;</t>", "<t><![CDATA[&eacute; & <b>]]>&#233;</t>"),  # CDATA untouched
    ("<t>plain</t>", "<t>plain</t>"),
]


@pytest.mark.parametrize(("raw", "fixed"), FIX_CASES)
def test_fix_xml(raw: str, fixed: str) -> None:
    assert fix_xml(raw) == fixed


TEXT_CASES = [
    ("<p>Un <b>été</b> chaud.</p><p>Second paragraphe</p>", "Un été chaud. Second paragraphe"),
    ("Line<br>break", "Line break"),
    ("caf&eacute; &amp; th&eacute;", "café & thé"),
    ("<script>alert(1)</script><style>p{}</style>Texte", "Texte"),
    ('<img src="x.jpg" alt="a"> <a href="/x">lien</a>', "lien"),
    ("Is&shy;rae&shy;li mil&shy;i&shy;tary", "Israeli military"),  # soft hyphens (Al Jazeera) dropped
    ("مرحبا&nbsp;بكم", "مرحبا بكم"),
    ("", ""),
]


@pytest.mark.parametrize(("fragment", "text"), TEXT_CASES)
def test_html_to_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


SNIFF_CASES = [
    ("rss__20_bbc.xml", "", FeedKind.RSS),
    ("atom10__youtube_media.xml", "", FeedKind.ATOM),
    ("atom03__link_text.xml", "", FeedKind.ATOM),
    ("rdf__rss10_example.xml", "", FeedKind.RDF),
    ("replay__heise_rdf.xml", "", FeedKind.RDF),
    ("json__v11_elastic.json", "", FeedKind.JSON_FEED),
    ("replay__npr_technology.json", "application/feed+json", FeedKind.JSON_FEED),
    ("sitemap__news.xml", "", FeedKind.SITEMAP),
    ("sitemap__index.xml", "", FeedKind.SITEMAP),
    ("sitemap__plain_urlset.xml", "", FeedKind.SITEMAP),
    ("listing__aljazeera_news.html", "text/html", FeedKind.LISTING),
    ("encoding__utf16be_bom.xml", "", FeedKind.RSS),
    ("replay__cercle_psy.xml", "text/html", FeedKind.RSS),  # the body wins over a wrong header
]


@pytest.mark.parametrize(("name", "content_type", "kind"), SNIFF_CASES)
def test_sniff_fixture(name: str, content_type: str, kind: FeedKind) -> None:
    assert sniff_kind((FEEDS / name).read_bytes(), content_type) is kind


@pytest.mark.parametrize(
    ("content", "content_type", "kind"),
    [
        (b"", "application/rss+xml", None),
        (b'{"data": []}', "application/json", None),  # JSON that is no JSON Feed
        (b"<opml><head/><body><outline/></body></opml>", "", None),  # XML that is no feed
        (b"<!DOCTYPE html><title>x</title>", "", FeedKind.LISTING),
        (b"garbage <rss version='2.0'>", "", FeedKind.RSS),  # root found further in
        (b"<x:feed xmlns:x='http://www.w3.org/2005/Atom'/>", "", FeedKind.ATOM),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "", None),  # truncated gzip
    ],
)
def test_sniff_bytes(content: bytes, content_type: str, kind: FeedKind | None) -> None:
    assert sniff_kind(content, content_type) is kind
