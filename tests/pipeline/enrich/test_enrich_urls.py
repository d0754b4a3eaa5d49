"""canonicalize_url and url_host: one table per rule."""

from __future__ import annotations

import pytest

from kiosque.pipeline.enrich.urls import canonicalize_url, url_host

CANONICAL = [
    # scheme and host case, default ports, fragment, empty query
    (
        "HTTPS://WWW.LeMonde.FR/International/Article/2024/10/14/x.html",
        "https://www.lemonde.fr/International/Article/2024/10/14/x.html",
    ),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("http://example.com:443/a", "http://example.com:443/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a?", "https://example.com/a"),
    ("https://example.com/a?#top", "https://example.com/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com?id=3", "https://example.com/?id=3"),
    ("https://example.com./a", "https://example.com/a"),
    ("  https://example.com/a\n", "https://example.com/a"),
    ("https://example.com/2024/\n10/a.html", "https://example.com/2024/10/a.html"),
    # www. is kept: the publisher's host
    ("https://www.hespress.com/a", "https://www.hespress.com/a"),
    # user info and IPv6 literals survive
    ("https://user:pw@Example.com:443/a", "https://user:pw@example.com/a"),
    ("http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"),
    # tracking parameters
    ("https://ex.com/a?utm_source=twitter&utm_medium=social&utm_campaign=x&id=7", "https://ex.com/a?id=7"),
    ("https://ex.com/a?UTM_Source=x&id=7", "https://ex.com/a?id=7"),
    ("https://ex.com/a?fbclid=IwAR0x&gclid=abc&yclid=1&msclkid=2", "https://ex.com/a"),
    ("https://ex.com/a?mc_cid=1&mc_eid=2&_ga=3&igshid=4&spm=5&ocid=6&cmpid=7", "https://ex.com/a"),
    ("https://www.lemonde.fr/a.html?xtor=RSS-3208&at_medium=rss&at_campaign=une", "https://www.lemonde.fr/a.html"),
    (
        "https://www.bbc.com/news/x?ns_mchannel=social&ns_source=twitter&ns_campaign=bbc_live",
        "https://www.bbc.com/news/x",
    ),
    ("https://www.theguardian.com/x?CMP=share_btn_tw", "https://www.theguardian.com/x"),
    ("https://twitter-linked.example/a?ref_src=twsrc%5Etfw", "https://twitter-linked.example/a"),
    # referral parameters: dropped only when the value is a referral marker
    ("https://ex.com/a?ref=rss", "https://ex.com/a"),
    ("https://ex.com/a?ref=twitter.com", "https://ex.com/a"),
    ("https://ex.com/a?ref=homepage&page=2", "https://ex.com/a?page=2"),
    ("https://ex.com/a?source=newsletter", "https://ex.com/a"),
    ("https://ex.com/a?ref=12345", "https://ex.com/a?ref=12345"),
    ("https://ex.com/a?from=20&src=img1", "https://ex.com/a?from=20&src=img1"),
    ("https://ex.com/a?reference=abc&sessionid=9", "https://ex.com/a?reference=abc&sessionid=9"),
    # sorted query, blank values and repeated keys kept, "+" kept
    ("https://ex.com/a?b=2&a=1&c", "https://ex.com/a?a=1&b=2&c"),
    ("https://ex.com/a?tag=z&tag=a", "https://ex.com/a?tag=a&tag=z"),
    ("https://ex.com/search?q=maroc+football", "https://ex.com/search?q=maroc+football"),
    ("https://ex.com/a?&&id=1&", "https://ex.com/a?id=1"),
    # percent-encoding
    ("https://ex.com/%7euser/%41rticle", "https://ex.com/~user/Article"),
    ("https://ex.com/a%2fb%3f?x=%e9", "https://ex.com/a%2Fb%3F?x=%E9"),
    ("https://ex.com/été 2024/", "https://ex.com/%C3%A9t%C3%A9%202024/"),
    (
        "https://ex.com/مقال?كلمة=قيمة",
        "https://ex.com/%D9%85%D9%82%D8%A7%D9%84?%D9%83%D9%84%D9%85%D8%A9=%D9%82%D9%8A%D9%85%D8%A9",
    ),
    ("https://ex.com/%D9%85%D9%82%D8%A7%D9%84", "https://ex.com/%D9%85%D9%82%D8%A7%D9%84"),
    ("https://ex.com/100%", "https://ex.com/100%25"),
    # IDNA hosts
    ("https://Café.example.fr/a", "https://xn--caf-dma.example.fr/a"),
    ("https://XN--CAF-DMA.example.fr/a", "https://xn--caf-dma.example.fr/a"),
    ("https://مثال.إختبار/a", "https://xn--mgbh0fb.xn--kgbechtv/a"),
    # dot segments
    ("https://ex.com/a/b/../c/./d.html", "https://ex.com/a/c/d.html"),
    ("https://ex.com/../a", "https://ex.com/a"),
    ("https://ex.com/a/%2E%2E/b", "https://ex.com/b"),
    ("https://ex.com/a/b/.", "https://ex.com/a/b/"),
]


@pytest.mark.parametrize(("url", "canonical"), CANONICAL)
def test_canonicalize_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical
    assert canonicalize_url(canonical) == canonical  # idempotent


RELATIVE = [
    ("../x/y.html?at_medium=rss&id=3", "https://www.lemonde.fr/a/b/c.html", "https://www.lemonde.fr/a/x/y.html?id=3"),
    (
        "/sport/article-1.html#top",
        "https://www.hespress.com/politique/",
        "https://www.hespress.com/sport/article-1.html",
    ),
    ("article-2.html", "https://www.hespress.com/politique/", "https://www.hespress.com/politique/article-2.html"),
    ("//cdn.example.com/img.jpg", "https://www.example.com/a", "https://cdn.example.com/img.jpg"),
    ("?page=2", "https://ex.com/list?page=1", "https://ex.com/list?page=2"),
    ("https://other.example/a", "https://ex.com/", "https://other.example/a"),
]


@pytest.mark.parametrize(("url", "base", "canonical"), RELATIVE)
def test_relative_urls_resolve_against_base(url: str, base: str, canonical: str) -> None:
    assert canonicalize_url(url, base=base) == canonical


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("/relative/without/base", None),
        ("mailto:redaction@example.com", None),
        ("javascript:void(0)", "https://ex.com/"),
        ("ftp://ex.com/file", None),
        ("https:///no-host", None),
        ("https://ex.com:99999/a", None),
        ("", None),
    ],
)
def test_not_http_urls_are_refused(url: str, base: str | None) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(url, base=base)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://WWW.Example.COM:8443/a?b#c", "www.example.com"),
        ("https://user@Café.example.fr/", "xn--caf-dma.example.fr"),
        ("http://[::1]:8000/", "::1"),
        ("/relative", ""),
        ("not a url", ""),
        ("http://[broken/", ""),
    ],
)
def test_url_host(url: str, host: str) -> None:
    assert url_host(url) == host
