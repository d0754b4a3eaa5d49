"""Site furniture around the article must not reach the text: headline tickers, report boxes.

`seed_ticker_report_box.html` is written after what an aggregator page shows once extracted (see
the project's seed text): a line of scrolling headlines, the "Merci d'avoir signalé ! Cette image
sera automatiquement bloquée..." box, then the article. Both sit inside the article's container, where
trafilatura alone keeps them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from kiosque.pipeline.extract import extract
from kiosque.pipeline.types import ExtractOptions

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extract"
SEED_PAGE = FIXTURES / "seed_ticker_report_box.html"
PAGE_URL = "https://www.example-aggregator.ma/fr/article/2023/11/15/123456"

BOILERPLATE = [
    "Abdellatif Hammouchi préside la délégation du Maroc",  # ticker headlines
    "Séisme d'Al-Haouz : 63.766 familles",
    "Merci d'avoir signalé",  # report box
    "Cette image sera automatiquement bloquée",
    "Cliquez ici pour lire l'article depuis sa source",  # aggregator's "read at the source" link
]
ARTICLE = [
    "La réunion du groupe, coprésidé par le Maroc et avec la participation d'autres pays",
    "28 membres et observateurs de la Coalition ont pris part à une réunion",
    "reste déterminée à affronter et à vaincre Daesh/ISIS en Afrique de l'Ouest",
]


def _visible_text(page: str) -> str:
    return " ".join(lxml_html.document_fromstring(page).find("body").text_content().split())


@pytest.fixture(scope="module")
def seed_article():  # type: ignore[no-untyped-def]
    return extract(SEED_PAGE.read_text(encoding="utf-8"), ExtractOptions(url=PAGE_URL))


@pytest.mark.parametrize("snippet", BOILERPLATE)
def test_boilerplate_is_on_the_page_but_not_in_the_text(seed_article, snippet: str) -> None:  # type: ignore[no-untyped-def]
    assert snippet in _visible_text(SEED_PAGE.read_text(encoding="utf-8"))
    assert snippet not in seed_article.text
    assert snippet not in seed_article.html


@pytest.mark.parametrize("snippet", ARTICLE)
def test_article_paragraphs_are_kept(seed_article, snippet: str) -> None:  # type: ignore[no-untyped-def]
    assert snippet in seed_article.text


def test_seed_page_metadata(seed_article) -> None:  # type: ignore[no-untyped-def]
    assert seed_article.title.startswith("Coprésidé par le Maroc, l'Africa Focus Group")
    assert seed_article.site_name == "Agrégateur"
    assert seed_article.canonical_url == (
        "https://www.example-aggregator.ma/fr/article/2023/11/15/africa-focus-group-daesh-benin"
    )
    assert seed_article.image_url == "https://www.example-aggregator.ma/upload/2023/11/15/daesh-benin.jpg"
    assert seed_article.published is not None
    assert seed_article.published.isoformat() == "2023-11-15T10:30:00+01:00"


TICKER_VARIANTS = [
    # (markup of the furniture placed before the article, a phrase from it)
    (
        "<marquee><a href='/a'>Le dirham gagne 0,3% face à l'euro</a> "
        "<a href='/b'>Pluies attendues au nord</a></marquee>",
        "Le dirham gagne",
    ),
    (
        "<div class='news-ticker'><span>Le dirham gagne 0,3% face à l'euro</span> <span>Pluies au nord</span></div>",
        "Le dirham gagne",
    ),
    ("<p id='flash-info'>Flash : le dirham gagne 0,3% face à l'euro — pluies attendues au nord</p>", "le dirham gagne"),
    (
        "<div class='signal-modal'><p>Thanks for reporting! This image will be blocked once several people "
        "report it.</p></div>",
        "Thanks for reporting",
    ),
    ("<div><p>ترحب الشبكة بالنقاش.</p><p>الآراء الواردة أدناه لا تعبر عن رأي الموقع.</p></div>", "الآراء الواردة"),
]


@pytest.mark.parametrize(("furniture", "phrase"), TICKER_VARIANTS)
def test_generic_furniture_is_removed(furniture: str, phrase: str) -> None:
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in ARTICLE * 3)
    page = f"<html><head><title>t</title></head><body><div class='col'>{furniture}{paragraphs}</div></body></html>"
    article = extract(page, ExtractOptions(url=PAGE_URL))
    assert phrase not in article.text
    assert ARTICLE[0] in article.text


def test_article_that_mentions_breaking_news_is_kept() -> None:
    # A class with "breaking" on the article container itself must not remove the article.
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in ARTICLE * 3)
    page = f"<html><body><div class='breaking-news-story'><h1>Titre</h1>{paragraphs}</div></body></html>"
    article = extract(page, ExtractOptions(url=PAGE_URL))
    assert ARTICLE[1] in article.text


@pytest.mark.parametrize("css_class", ["sticker", "defile-mode", "news-tickets"])
def test_lookalike_classes_are_not_tickers(css_class: str) -> None:
    kept = "La styliste a présenté sa collection d'hiver devant un public nombreux au musée des arts."
    paragraphs = "".join(f"<p>{sentence}</p>" for sentence in ARTICLE * 2)
    page = f"<html><body><div class='col'><div class='{css_class}'><p>{kept}</p></div>{paragraphs}</div></body></html>"
    assert kept in extract(page, ExtractOptions(url=PAGE_URL)).text
