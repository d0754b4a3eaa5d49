"""Bytes in: BOM, <meta> charset, mislabelled UTF-8, detection; and pages that are not articles at all."""

from __future__ import annotations

import codecs

import pytest

from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.extract import extract
from kiosque.pipeline.extract.decode import decode_html
from kiosque.pipeline.types import ExtractOptions

FRENCH = (
    "À Besançon, l'été s'achève : les écoles rouvrent lundi, et la municipalité annonce des travaux "
    "d'économie d'énergie dans vingt-trois bâtiments, pour un coût évalué à 4,5 millions d'euros."
)
ARABIC = "أعلنت وزارة التربية الوطنية عن افتتاح ثلاثين مدرسة جديدة في الجهات الشرقية مع بداية الموسم الدراسي المقبل."


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Essai</title></head><body><article>{body}</article></body></html>"


DECODE_CASES = [
    # (id, bytes, a substring the decoded text must contain)
    ("utf8-plain", _page(f"<p>{FRENCH}</p>").encode("utf-8"), FRENCH),
    ("utf8-bom", codecs.BOM_UTF8 + _page(f"<p>{ARABIC}</p>").encode("utf-8"), ARABIC),
    ("utf16-bom", codecs.BOM_UTF16_LE + _page(f"<p>{ARABIC}</p>").encode("utf-16-le"), ARABIC),
    ("meta-latin1", _page(f"<p>{FRENCH}</p>", '<meta charset="iso-8859-1">').encode("latin-1"), FRENCH),
    (
        "http-equiv-cp1252",
        _page(
            "<p>Le «\u00a0projet\u00a0» coûte 3\u00a0€ – oui.</p>",
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        ).encode("cp1252"),
        "coûte 3\u00a0€ – oui",
    ),
    (
        "meta-windows-1256",
        _page(f"<p>{ARABIC}</p>", '<meta charset="windows-1256">').encode("cp1256"),
        ARABIC,
    ),
    # Declared Latin-1 but served in UTF-8 (the template was not updated): UTF-8 wins.
    ("mislabelled-utf8", _page(f"<p>{FRENCH}</p>", '<meta charset="iso-8859-1">').encode("utf-8"), FRENCH),
    # A UTF-8 page with one broken byte stays UTF-8.
    ("utf8-one-bad-byte", _page(f"<p>{FRENCH} \xff</p>").encode("utf-8").replace(b"\xc3\xbf", b"\xff"), FRENCH),
    # No declaration, legacy bytes: charset-normalizer decides.
    ("undeclared-cp1256", _page(f"<p>{ARABIC} {ARABIC}</p>").encode("cp1256"), ARABIC),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in DECODE_CASES], ids=[c[0] for c in DECODE_CASES])
def test_decode(data: bytes, expected: str) -> None:
    assert expected in decode_html(data)


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b'{"articleBody": "not a page"}', "JSON"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "feed"),
        (b"Just a line of plain text, no markup at all.", "no markup"),
        (b"", "empty"),
        (b"   \n  ", "empty"),
    ],
)
def test_not_html_is_refused_with_a_reason(payload: bytes, words: str) -> None:
    with pytest.raises(ExtractError) as caught:
        extract(payload, ExtractOptions(url="https://exemple.fr/a"))
    assert words in caught.value.reason


def test_short_page_is_refused_with_its_length() -> None:
    page = _page("<p>Une brève de deux lignes seulement, sans plus.</p>")
    with pytest.raises(ExtractError) as caught:
        extract(page, ExtractOptions(url="https://exemple.fr/a"))
    assert "too short" in caught.value.reason or "no article" in caught.value.reason
    assert "200" in caught.value.reason or "characters" in caught.value.reason


def test_min_text_chars_is_the_callers_choice() -> None:
    page = _page(f"<p>{FRENCH}</p>")
    with pytest.raises(ExtractError):
        extract(page, ExtractOptions(url="https://exemple.fr/a", min_text_chars=500))
    assert extract(page, ExtractOptions(url="https://exemple.fr/a", min_text_chars=50)).text == FRENCH


def test_control_characters_do_not_lose_the_page() -> None:
    # A stray \x1d in the text: lxml keeps it, trafilatura's XML output would refuse the whole page.
    page = _page(f"<p>{FRENCH}\x1d {FRENCH}</p><p>{FRENCH}</p>")
    article = extract(page.encode("utf-8"), ExtractOptions(url="https://exemple.fr/a"))
    assert FRENCH in article.text
    assert "\x1d" not in article.text


def test_xml_declaration_with_encoding_in_str_input() -> None:
    page = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + _page(f"<p>{FRENCH}</p><p>{ARABIC}</p>")
    text = extract(page, ExtractOptions(url="https://exemple.fr/a")).text
    assert text == f"{FRENCH}\n\n{ARABIC}"


def test_charset_announced_by_the_transport_outranks_the_page() -> None:
    # Served as windows-1256 by the HTTP header while the template still says iso-8859-1.
    data = _page(f"<p>{ARABIC}</p><p>{ARABIC[::-1]}</p>", '<meta charset="iso-8859-1">').encode("cp1256")
    assert ARABIC not in decode_html(data)
    assert ARABIC in decode_html(data, announced="windows-1256")
    article = extract(data, ExtractOptions(url="https://exemple.ma/a", encoding="windows-1256"))
    assert article.text.startswith(ARABIC)
    # An unknown label is ignored rather than fatal.
    assert ARABIC not in decode_html(data, announced="x-no-such-charset")
