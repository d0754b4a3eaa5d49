"""The crawler's one CPU step per article (`crawler.cpu.prepare_article`): extraction, draft and story signals.

The signals it computes from the draft must be exactly those the story desk would compute from the stored
article, since the desk uses them in their place."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import numpy as np
import pytest

from kiosque.articles.services import article_ingest
from kiosque.crawler.cpu import DraftHints, InlineCpu, prepare_article
from kiosque.crawler.stories import _item
from kiosque.pipeline.enrich.stories import story_signals
from kiosque.pipeline.errors import ExtractError
from kiosque.pipeline.types import ExtractOptions, FeedEntry
from kiosque.sources.services import source_create

PAGE = """<html lang="fr"><head><title>Inondations à Tata : huit morts</title>
<meta property="og:image" content="https://news.example/tata.jpg"></head><body>
<nav>Accueil | Politique | Sport</nav>
<article><h1>Inondations à Tata : huit morts</h1>
<p>Les pluies torrentielles qui se sont abattues jeudi sur la province de Tata ont fait huit morts, selon
les autorités locales, qui ont mobilisé 300 secouristes et des hélicoptères de la Gendarmerie royale.</p>
<p>Le ministère de l'Intérieur a annoncé le 12 septembre l'ouverture de centres d'accueil pour les familles
sinistrées, alors que la route nationale reliant Tata à Akka reste coupée par les eaux de l'oued.</p>
<p>Mohamed Benali, président de la commune, a demandé des moyens supplémentaires pour dégager les routes.</p>
</article><footer>© News</footer></body></html>""".encode()

HINTS = DraftHints(
    languages=("fr", "ar", "en"), feed_language=None, now=datetime(2026, 9, 13, 8, tzinfo=UTC),
    time_zone="Africa/Casablanca",
)  # fmt: skip
ENTRY = FeedEntry(
    url="https://news.example/tata?utm_source=rss", guid="tata-1", published=datetime(2026, 9, 12, 22, 30, tzinfo=UTC)
)


def test_prepare_extracts_drafts_and_signs_the_article() -> None:
    prepared = InlineCpu().prepare(PAGE, ExtractOptions(url=ENTRY.url), ENTRY, HINTS)
    draft = prepared.draft
    assert draft.title == "Inondations à Tata : huit morts" and "300 secouristes" in draft.text
    assert draft.canonical_url == "https://news.example/tata" and draft.language == "fr"
    assert draft.published_at == ENTRY.published and draft.image_origin_url == "https://news.example/tata.jpg"
    assert prepared.page_error is None and prepared.signals is not None
    # Thursday in Casablanca (UTC+1): 22:30 UTC on the 12th is the 12th, 23:30 local.
    assert "300" in prepared.signals.entities.numbers and "09-12" in prepared.signals.entities.dates


@pytest.mark.django_db
def test_signals_are_those_of_the_stored_article(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TIME_ZONE = HINTS.time_zone
    prepared = prepare_article(PAGE, ExtractOptions(url=ENTRY.url), ENTRY, HINTS)
    source = source_create(name="News", slug="news", languages=["fr"], homepage="https://news.example/")
    article = article_ingest(source=source, feed=None, draft=prepared.draft, image=None, now=HINTS.now).article
    article.refresh_from_db()
    again = story_signals(_item(article))
    assert prepared.signals is not None
    assert np.allclose(prepared.signals.embedding, again.embedding)
    assert prepared.signals.fingerprint == again.fingerprint
    assert dataclasses.astuple(prepared.signals.entities) == dataclasses.astuple(again.entities)


def test_a_page_without_text_keeps_the_feed_entry() -> None:
    entry = dataclasses.replace(ENTRY, title="Tata : huit morts", summary="Le bilan des inondations s'alourdit.")
    shell = b"<html><body><div id='app'></div><script>render()</script></body></html>"
    prepared = prepare_article(shell, ExtractOptions(url=ENTRY.url), entry, dataclasses.replace(HINTS, signals=False))
    assert prepared.page_error and prepared.signals is None
    assert (prepared.draft.title, prepared.draft.lead, prepared.draft.text) == (entry.title, entry.summary, "")
    with pytest.raises(ExtractError):  # nothing to keep without a title of the entry's own
        prepare_article(shell, ExtractOptions(url=ENTRY.url), ENTRY, HINTS)


def test_without_a_page_the_draft_comes_from_the_feed_and_is_dated_now() -> None:
    entry = FeedEntry(url="https://news.example/robots-said-no", title="Titre du flux", summary="Résumé du flux.")
    prepared = prepare_article(None, None, entry, HINTS)
    assert prepared.draft.title == "Titre du flux" and prepared.draft.published_at == HINTS.now
    assert prepared.draft.content_hash == "" and prepared.signals is not None
