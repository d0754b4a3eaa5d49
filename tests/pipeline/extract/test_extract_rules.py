"""Per-source rules (Source.extraction_rules -> ExtractOptions): remove_selectors and body_selector."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.extract import extract
from kiosque.pipeline.types import ExtractOptions

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "extract"


def _page(name: str) -> tuple[bytes, dict[str, Any]]:
    html = gzip.decompress((FIXTURES / f"{name}.html.gz").read_bytes())
    return html, json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


LE_MONDE_PAYWALL = "Il vous reste 57.09% de cet article à lire"
JAZEERA_HEADLINE = "Football fever grips Jordan before historic AFC Asian Cup 2023 final"
JAZEERA_FIRST_PARAGRAPH = "Amman, Jordan – For Mohammad Trakhan, a cafe owner in Amman"
OPINION_FACTS_BOX = "La firme Bayer, propriétaire de Monsanto, a été condamnée lundi"

RULE_CASES = [
    # (page, options besides the URL, must be in the text, must not be in the text)
    ("fr_lemonde_binet", {}, [LE_MONDE_PAYWALL], []),
    (
        "fr_lemonde_binet",
        {"remove_selectors": ("article.article__content > p:last-of-type",)},
        ["Sous les dorures du palais de l’Elysée"],
        [LE_MONDE_PAYWALL],
    ),
    ("en_aljazeera_football", {}, [JAZEERA_HEADLINE, JAZEERA_FIRST_PARAGRAPH], []),
    ("en_aljazeera_football", {"body_selector": "div.wysiwyg"}, [JAZEERA_FIRST_PARAGRAPH], [JAZEERA_HEADLINE]),
    # trafilatura drops text sitting directly in a <div>; inside the chosen body it is a paragraph.
    ("fr_lopinion_glyphosate", {}, ["Jackpot pour Monsanto"], [OPINION_FACTS_BOX]),
    ("fr_lopinion_glyphosate", {"body_selector": ".article_body"}, [OPINION_FACTS_BOX, "Jackpot pour Monsanto"], []),
    (
        "fr_lopinion_glyphosate",
        {"body_selector": ".article_body", "remove_selectors": (".article_faits",)},
        ["Jackpot pour Monsanto"],
        [OPINION_FACTS_BOX],
    ),
]


@pytest.mark.parametrize(("name", "rules", "present", "absent"), RULE_CASES)
def test_rules(name: str, rules: dict[str, Any], present: list[str], absent: list[str]) -> None:
    html, exp = _page(name)
    article = extract(html, ExtractOptions(url=exp["url"], **rules))
    for snippet in present:
        assert snippet in article.text
    for snippet in absent:
        assert snippet not in article.text
    assert article.warnings == ()


def test_body_selector_keeps_page_metadata() -> None:
    html, exp = _page("fr_lemonde_binet")
    article = extract(html, ExtractOptions(url=exp["url"], body_selector="article.article__content"))
    assert article.title.startswith("Sophie Binet met en garde")
    assert article.canonical_url == exp["canonical_url"]
    assert article.image_url == exp["image_url"]
    assert article.language == "fr"


def test_body_selector_that_matches_nothing_falls_back_with_a_warning() -> None:
    html, exp = _page("en_bbc_burials")
    article = extract(html, ExtractOptions(url=exp["url"], body_selector="div.no-such-container"))
    assert "The daily rise in coronavirus deaths announced" in article.text
    assert len(article.warnings) == 1
    assert "div.no-such-container" in article.warnings[0]


@pytest.mark.parametrize(
    "rules",
    [{"remove_selectors": ("p[[",)}, {"body_selector": "div:::nope"}],
)
def test_invalid_selector_is_an_extract_error_naming_it(rules: dict[str, Any]) -> None:
    html, exp = _page("en_bbc_burials")
    with pytest.raises(ExtractError) as caught:
        extract(html, ExtractOptions(url=exp["url"], **rules))
    assert "invalid CSS selector" in caught.value.reason
    bad = rules.get("body_selector") or rules["remove_selectors"][0]
    assert repr(bad) in caught.value.reason


def test_remove_selectors_can_empty_the_page() -> None:
    html, exp = _page("en_bbc_burials")
    with pytest.raises(ExtractError) as caught:
        extract(html, ExtractOptions(url=exp["url"], remove_selectors=("body > *",)))
    assert "no article" in caught.value.reason or "too short" in caught.value.reason


def test_include_tables_option() -> None:
    rows = "".join(f"<tr><td>Ville {i}</td><td>{i * 1000} habitants recensés en 2023</td></tr>" for i in range(12))
    prose = "<p>" + "Le recensement annuel publie ses chiffres par commune pour toute la région. " * 5 + "</p>"
    page = f"<html><body><article><h1>Recensement</h1>{prose}<table>{rows}</table>{prose}</article></body></html>"
    with_tables = extract(page, ExtractOptions(url="https://exemple.fr/a", include_tables=True))
    without_tables = extract(page, ExtractOptions(url="https://exemple.fr/a", include_tables=False))
    assert "5000 habitants" in with_tables.text
    assert "<table>" in with_tables.html
    assert "5000 habitants" not in without_tables.text
