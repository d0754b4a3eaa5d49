"""Metadata rules on small pages: title suffixes, language codes, dates, lead, categories, authors, URLs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosque.pipeline.extract import extract
from kiosque.pipeline.extract.dates import parse_timestamp
from kiosque.pipeline.extract.metadata import normalise_language
from kiosque.pipeline.extract.titles import clean_title, site_labels
from kiosque.pipeline.types import ExtractedArticle, ExtractOptions

BODY = "".join(
    f"<p>{sentence}</p>"
    for sentence in (
        "Le conseil régional a adopté vendredi un plan de soutien aux agriculteurs touchés par la sécheresse.",
        "Les aides seront versées avant la fin de l'année, a précisé la présidente de la région devant les élus.",
        "L'opposition a dénoncé un montant insuffisant au regard des pertes subies par les exploitations.",
    )
)


def _extract(
    head: str, *, body: str = BODY, html_attrs: str = "", url: str = "https://www.exemple.fr/a/1"
) -> ExtractedArticle:
    page = f"<!DOCTYPE html><html {html_attrs}><head>{head}</head><body><article>{body}</article></body></html>"
    return extract(page, ExtractOptions(url=url))


LE_MONDE = site_labels(["Le Monde.fr"], "https://www.lemonde.fr/x")
TITLE_CASES = [
    # (raw title, site labels, h1, expected)
    ("Une réforme contestée - Le Monde", LE_MONDE, "", "Une réforme contestée"),
    ("Une réforme contestée | Le Monde.fr", LE_MONDE, "", "Une réforme contestée"),
    ("Le Monde - Une réforme contestée", LE_MONDE, "", "Une réforme contestée"),
    ("Une réforme contestée | Politique | Le Monde", LE_MONDE, "", "Une réforme contestée | Politique"),
    ("Brexit - la décision du Parlement", LE_MONDE, "", "Brexit - la décision du Parlement"),
    (
        "Guerre en Ukraine : deux morts dans des frappes",
        LE_MONDE,
        "",
        "Guerre en Ukraine : deux morts dans des frappes",
    ),
    ("Un titre long pour la page | Section", LE_MONDE, "Un titre long pour la page", "Un titre long pour la page"),
    ("Le Monde | Accueil", LE_MONDE, "Le Monde", "Accueil"),  # an h1 that is the logo does not win
    # A shortened form of the declared name, or the host's label, is the site too.
    (
        "Parité : au-dessous de la moyenne – La Presse",
        site_labels(["La Presse de Tunisie"], "https://x.tn/1"),
        "",
        "Parité : au-dessous de la moyenne",
    ),
    (
        "Parité : au-dessous de la moyenne - lapresse.tn",
        site_labels([], "https://lapresse.tn/1"),
        "",
        "Parité : au-dessous de la moyenne",
    ),
    (
        "وزير الرى يشهد توقيع عقد - اليوم السابع",
        site_labels(["اليوم السابع"], "https://www.youm7.com/s"),
        "",
        "وزير الرى يشهد توقيع عقد",
    ),
    (
        "Football fever grips Jordan | Al Jazeera",
        site_labels([], "https://www.aljazeera.com/news/1"),
        "",
        "Football fever grips Jordan",
    ),
]


@pytest.mark.parametrize(("raw", "labels", "h1", "expected"), TITLE_CASES)
def test_clean_title(raw: str, labels: frozenset[str], h1: str, expected: str) -> None:
    assert clean_title(raw, labels=labels, h1=h1) == expected


def test_title_prefers_the_headline_the_page_title_confirms() -> None:
    head = (
        "<title>Coronavirus: New York ramps up mass burials - BBC News</title>"
        '<meta property="og:title" content="New York ramps up burials">'
        '<meta property="og:site_name" content="BBC News">'
    )
    body = "<h1>Coronavirus: New York ramps up mass burials</h1>" + BODY
    assert _extract(head, body=body).title == "Coronavirus: New York ramps up mass burials"
    assert _extract(head).title == "New York ramps up burials"  # no h1: the og:title


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr", "fr"),
        ("fr-FR", "fr"),
        ("ar_MA", "ar"),
        ("EN-gb", "en"),
        ("fra", "fr"),
        ("ara", "ar"),
        ("zz-Latn-x", "zz"),
        ("x", None),
        ("", None),
        ("{{page.locale}}", None),
        ("french", None),
    ],
)
def test_normalise_language(value: str, expected: str | None) -> None:
    assert normalise_language(value) == expected


@pytest.mark.parametrize(
    ("html_attrs", "head", "expected"),
    [
        ('lang="fr-FR"', "", "fr"),
        ("", '<meta property="og:locale" content="ar_AR">', "ar"),
        ("", '<meta http-equiv="content-language" content="en-US">', "en"),
        ('xml:lang="ar"', "", "ar"),
        ("", "", None),
    ],
)
def test_language_as_declared(html_attrs: str, head: str, expected: str | None) -> None:
    assert _extract(head, html_attrs=html_attrs).language == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-08-30T14:52:08+02:00", datetime(2023, 8, 30, 12, 52, 8, tzinfo=UTC)),
        ("2023-08-30T12:52:08Z", datetime(2023, 8, 30, 12, 52, 8, tzinfo=UTC)),
        ("2020-08-24T09:23:13.258+0000", datetime(2020, 8, 24, 9, 23, 13, 258000, tzinfo=UTC)),
        ("2019-05-15 06:00:01", datetime(2019, 5, 15, 6, 0, 1, tzinfo=UTC)),  # naive means UTC
        ("2020-02-18", datetime(2020, 2, 18, tzinfo=UTC)),
        ("20200218", datetime(2020, 2, 18, tzinfo=UTC)),
        ("Wed, 04 May 2022 00:25:56 GMT", datetime(2022, 5, 4, 0, 25, 56, tzinfo=UTC)),
        ("hier soir", None),
        ("", None),
    ],
)
def test_parse_timestamp(value: str, expected: datetime | None) -> None:
    assert parse_timestamp(value) == expected


def test_published_prefers_json_ld_then_meta_and_keeps_the_zone() -> None:
    jsonld = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "datePublished": "2024-03-01T08:00:00+01:00"}</script>'
    )
    meta = '<meta property="article:published_time" content="2024-02-28T10:00:00+00:00">'
    published = _extract(jsonld + meta).published
    assert published == datetime(2024, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    assert published is not None and published.utcoffset() == timedelta(hours=1)
    assert _extract(meta).published == datetime(2024, 2, 28, 10, 0, tzinfo=UTC)


def test_future_or_ancient_dates_are_not_trusted() -> None:
    head = '<meta property="article:published_time" content="2999-01-01T00:00:00Z">'
    assert _extract(head, url="https://www.exemple.fr/article/sans-date").published is None


def test_lead_description_when_prose_else_first_paragraph() -> None:
    prose = "Le conseil régional adopte un plan d'aide aux agriculteurs touchés par la sécheresse de l'été."
    assert _extract(f'<meta name="description" content="{prose}">').lead == prose
    # Keywords are not a lead; the first real paragraph is used.
    keywords = "sécheresse, agriculture, région, aides, conseil régional, élus, budget, opposition"
    assert _extract(f'<meta name="description" content="{keywords}">').lead.startswith("Le conseil régional a adopté")
    # A cut description that opens the first paragraph gives the whole paragraph.
    cut = "Le conseil régional a adopté vendredi un plan de soutien aux agriculteurs..."
    assert _extract(f'<meta property="og:description" content="{cut}">').lead.endswith("par la sécheresse.")


def test_categories_sections_then_keywords_without_duplicates_or_slugs() -> None:
    head = (
        '<meta property="article:section" content="Politique">'
        '<meta name="keywords" content="politique, Région, agriculture-paywall-flag, Sécheresse">'
        '<meta property="article:tag" content="Sécheresse">'
    )
    assert _extract(head).categories == ("Politique", "Région", "Sécheresse")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta name="author" content="Par Marie Dupont">', "Marie Dupont"),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "author": {"@id": "#p1"}},'
            ' {"@type": "Person", "@id": "#p1", "name": "Chokri Gharbi"}]}</script>',
            "Chokri Gharbi",
        ),
        (
            '<script type="application/ld+json">'
            '{"@type": "Article", "author": [{"name": "A. Un"}, {"name": "B. Deux"}]}'
            "</script>",
            "A. Un, B. Deux",
        ),
        ('<meta property="article:author" content="https://www.facebook.com/quelquun">', ""),
    ],
)
def test_author(head: str, expected: str) -> None:
    assert _extract(head).author == expected


def test_outlet_as_author_gives_way_to_the_byline() -> None:
    head = (
        '<meta property="og:site_name" content="L\'Opinion">'
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "L\'Opinion"}}'
        "</script>"
    )
    with_byline = '<h1>Un titre</h1><span class="author">Emmanuelle Ducros</span>' + BODY
    assert _extract(head, body=with_byline).author == "Emmanuelle Ducros"
    assert _extract(head).author == "L'Opinion"


@pytest.mark.parametrize(
    ("head", "url", "expected"),
    [
        (
            '<link rel="canonical" href="/a/1-canonique">',
            "https://www.exemple.fr/a/1?utm=x",
            "https://www.exemple.fr/a/1-canonique",
        ),
        (
            '<meta property="og:url" content="https://www.exemple.fr/a/1">',
            "https://m.exemple.fr/a/1",
            "https://www.exemple.fr/a/1",
        ),
        # A canonical pointing at the home page from an article is a template bug.
        (
            '<link rel="canonical" href="https://www.exemple.fr/">',
            "https://www.exemple.fr/a/1",
            "https://www.exemple.fr/a/1",
        ),
        (
            '<link rel="canonical" href="javascript:void(0)">',
            "https://www.exemple.fr/a/1",
            "https://www.exemple.fr/a/1",
        ),
        ("", "", None),
    ],
)
def test_canonical_url(head: str, url: str, expected: str | None) -> None:
    assert _extract(head, url=url).canonical_url == expected


def test_lead_image_order_and_logos() -> None:
    og = '<meta property="og:image" content="/img/photo-une.jpg">'
    logo = '<meta property="og:image" content="https://www.exemple.fr/static/logo-share.png">'
    twitter = '<meta name="twitter:image" content="https://cdn.exemple.fr/t.jpg">'
    body = '<figure><img src="/img/figure.jpg" width="800" height="500"></figure>' + BODY
    assert _extract(og + twitter).image_url == "https://www.exemple.fr/img/photo-une.jpg"
    assert _extract(logo + twitter).image_url == "https://cdn.exemple.fr/t.jpg"
    assert _extract(logo, body=body).image_url == "https://www.exemple.fr/img/figure.jpg"
    assert _extract("", body='<img src="/pixel.gif" width="1" height="1">' + BODY).image_url is None
