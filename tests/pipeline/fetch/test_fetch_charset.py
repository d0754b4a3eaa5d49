"""Declared charsets: BOM > HTTP header > XML prolog > HTML <meta>; binary types have none."""

from __future__ import annotations

import codecs

import pytest
from fetch_server import LocalServer, options, send

from kiosque.pipeline.fetch import Fetcher, detect_encoding

ARABIC = "الجزيرة نت: آخر الأخبار"
FRENCH = "Élections : « l’été » coûte 5 €"

CASES = [
    # (id, body, Content-Type, expected)
    ("bom-utf8-beats-header", codecs.BOM_UTF8 + b"<p>x</p>", "text/html; charset=iso-8859-1", "utf-8"),
    ("bom-utf16le", codecs.BOM_UTF16_LE + "<rss/>".encode("utf-16-le"), "application/xml", "utf-16-le"),
    ("bom-utf16be", codecs.BOM_UTF16_BE + "<rss/>".encode("utf-16-be"), None, "utf-16-be"),
    ("header", ARABIC.encode("cp1256"), "text/html; charset=windows-1256", "cp1256"),
    ("header-quoted-upper", b"<p/>", 'text/html; CHARSET="UTF-8"', "utf-8"),
    ("header-latin1-is-cp1252", FRENCH.encode("cp1252"), "text/html; charset=ISO-8859-1", "cp1252"),
    ("header-beats-meta", b'<meta charset="utf-8">', "text/html; charset=windows-1256", "cp1256"),
    ("unknown-header-falls-back-to-meta", b'<meta charset="utf-8">', "text/html; charset=x-unknown", "utf-8"),
    ("xml-prolog", b'<?xml version="1.0" encoding="ISO-8859-6"?><rss/>', "application/rss+xml", "iso8859-6"),
    ("xml-prolog-single-quotes", b"<?xml version='1.0' encoding='windows-1256'?><rss/>", "text/xml", "cp1256"),
    ("xml-utf16-without-bom", '<?xml version="1.0"?><rss/>'.encode("utf-16-le"), "application/xml", "utf-16-le"),
    ("meta-charset", b'<html><head><meta charset="windows-1256"><title>', "text/html", "cp1256"),
    (
        "meta-http-equiv",
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
        "text/html",
        "shift_jis",
    ),
    ("meta-utf16-means-utf8", b'<meta charset="utf-16">', "text/html", "utf-8"),
    ("meta-without-content-type", b"<!doctype html><META CHARSET=gb2312>", None, "gbk"),
    ("xml-without-prolog-ignores-html-inside", b'<rss><![CDATA[<meta charset="cp1252">]]></rss>', "text/xml", None),
    ("nothing-declared", b"<html><p>plain</p></html>", "text/html", None),
    ("json", b'{"title": "x"}', "application/feed+json", None),
    ("image", codecs.BOM_UTF8 + b"\xff\xd8\xff", "image/jpeg; charset=utf-8", None),
    ("octet-stream", b'<meta charset="utf-8">', "application/octet-stream", None),
]


@pytest.mark.parametrize(("body", "content_type", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_detect_encoding(body: bytes, content_type: str | None, expected: str | None) -> None:
    assert detect_encoding(body, content_type) == expected


@pytest.mark.parametrize(
    ("body", "content_type", "encoding", "text"),
    [
        (ARABIC.encode("cp1256"), "text/html; charset=windows-1256", "cp1256", ARABIC),
        (
            b'<html><head><meta charset="windows-1256"></head>' + ARABIC.encode("cp1256"),
            "text/html",
            "cp1256",
            '<html><head><meta charset="windows-1256"></head>' + ARABIC,
        ),
        (codecs.BOM_UTF8 + FRENCH.encode(), "text/plain", "utf-8", FRENCH),  # BOM not in .text
        (
            f'<?xml version="1.0" encoding="iso-8859-1"?><t>{FRENCH}</t>'.encode("cp1252"),
            "application/xml",
            "cp1252",
            f'<?xml version="1.0" encoding="iso-8859-1"?><t>{FRENCH}</t>',
        ),
        (b"\x89PNG\r\n\x1a\n", "image/png", None, None),
    ],
    ids=["header", "meta", "bom", "prolog", "image"],
)
def test_fetch_result_encoding_and_text(
    server: LocalServer, body: bytes, content_type: str, encoding: str | None, text: str | None
) -> None:
    server.routes["/doc"] = lambda handler: send(handler, 200, body, {"Content-Type": content_type})
    with Fetcher(options()) as fetcher:
        result = fetcher.fetch(server.url("/doc"))
    assert result.encoding == encoding
    assert result.content == body
    if text is not None:
        assert result.text == text
