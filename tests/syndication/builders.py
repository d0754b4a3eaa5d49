"""A small multilingual corpus for the output tests (feeds, sitemaps, OPML, API), built through the real
services: sources and feeds by `source_create`/`feed_add`, articles by `article_ingest` (which also indexes
them for search), images by `process_image` + `image_store` from a real publisher photo."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.utils import timezone

from kiosque.articles.models import Article, Image, ImageState, Story
from kiosque.articles.services import ArticleDraft, article_ingest, content_changed, image_store
from kiosque.articles.stories.services import Evidence, Placement, article_story_place
from kiosque.pipeline.images import process_image
from kiosque.pipeline.types import ImageOptions, ProcessedImage
from kiosque.sources.models import FeedKind, Source
from kiosque.sources.services import feed_add, source_create

PHOTO = Path(__file__).parents[1] / "fixtures" / "syndication" / "photo.jpg"
OLD = datetime(2024, 10, 20, 9, 30, tzinfo=UTC)


@functools.cache
def _photo() -> ProcessedImage:
    return process_image(PHOTO.read_bytes(), ImageOptions())


@dataclass
class Corpus:
    now: datetime
    sources: dict[str, Source] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    images: dict[str, Image] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)

    def ingest(self, key: str, source: str, *, image: str | None = None, **fields: object) -> Article:
        host = self.sources[source].slug
        values: dict[str, object] = {
            "url": f"https://{host}.example/{key}?utm_source=rss",
            "canonical_url": f"https://{host}.example/{key}",
            "title": f"Title {key}",
            "published_at": self.now - timedelta(hours=1),
            "lead": f"Lead of {key}.",
            "text": f"Lead of {key}.\n\nFirst paragraph of {key}.\n\nSecond.\n\nThird.\n\nFourth.\n\nFifth.",
            **fields,
        }
        draft = ArticleDraft(**values)  # type: ignore[arg-type]
        stored = article_ingest(source=self.sources[source], feed=None, draft=draft,
                                image=self.images[image] if image else None, now=self.now)
        self.articles[key] = stored.article
        return stored.article

    def image(self, key: str) -> Image:
        self.images[key] = image_store(origin_url=f"https://img.example/{key}.jpg", processed=_photo())
        return self.images[key]


def build_corpus() -> Corpus:
    """Three enabled sources in fr/ar/en and a disabled one; articles with and without (blocked) images."""
    corpus = Corpus(now=timezone.now())
    quotidien = source_create(
        name="Le Quotidien", slug="quotidien", homepage="https://quotidien.example/", languages=["fr"]
    )
    feed_add(source=quotidien, url="https://quotidien.example/rss.xml")
    feed_add(source=quotidien, url="https://quotidien.example/news-sitemap.xml", kind=FeedKind.SITEMAP)
    akhbar = source_create(name="الأخبار", slug="akhbar", homepage="https://akhbar.example/", languages=["ar"])
    feed_add(source=akhbar, url="https://akhbar.example/feed.atom", kind=FeedKind.ATOM)
    wire = source_create(name="Wire & Co", slug="wire", languages=["en", "fr"])
    closed = source_create(name="Closed Paper", slug="closed", languages=["fr"])
    feed_add(source=closed, url="https://closed.example/rss.xml")
    Source.objects.filter(pk=closed.pk).update(enabled=False)  # no service disables a source yet
    corpus.sources = {s.slug: s for s in (quotidien, akhbar, wire, closed)}
    corpus.image("ok")
    blocked = corpus.image("blocked")
    Image.objects.filter(pk=blocked.pk).update(state=ImageState.BLOCKED)  # moderation's services come later
    corpus.ingest("economie", "quotidien", image="ok", language="fr", author="Marie Curie",
                  title="Les prix\x0b montent <vite>", lead="Les prix <b>montent</b> & les salaires <script>x</script>",
                  categories=("Économie",), published_at=corpus.now - timedelta(hours=2))
    corpus.ingest("politique", "quotidien", image="blocked", language="fr", categories=("Politique",),
                  title="Le budget voté", published_at=corpus.now - timedelta(hours=30))
    corpus.ingest("naft", "akhbar", image="ok", language="ar", title="ارتفاع أسعار النفط",
                  lead="ارتفعت أسعار النفط اليوم.", categories=("اقتصاد",),
                  published_at=corpus.now - timedelta(hours=3))
    corpus.ingest("markets", "wire", language="en", title="Oil prices rise", lead="Oil prices rose today.",
                  categories=("Economy", "Markets"), published_at=OLD)
    corpus.ingest("unknown-language", "wire", title="Untitled wire copy", published_at=corpus.now - timedelta(hours=5))
    corpus.ingest("hidden", "closed", language="fr", title="Les prix cachés", categories=("Économie",))
    # One story in French and Arabic, placed the way the crawler's grouping places articles.
    prices = article_story_place(article=corpus.articles["economie"], placement=Placement(story_id=None))
    corpus.stories["prices"] = article_story_place(
        article=corpus.articles["naft"],
        placement=Placement(story_id=prices.pk, evidence=Evidence(
            matched_id=corpus.articles["economie"].pk, score=0.81, similarity=0.72, shared_names=("opep",))),
    )
    content_changed()  # what the crawler does after a pass
    return corpus


def build_many(corpus: Corpus, count: int, *, source: str = "quotidien") -> list[Article]:
    """`count` more articles with images and two categories each, some sharing a publication time."""
    image = corpus.images["ok"]
    articles = []
    for n in range(count):
        key = f"bulk-{source}-{n}"
        corpus.images[key] = image
        articles.append(corpus.ingest(key, source, image=key, language="fr", categories=("Économie", f"Série {n % 3}"),
                                      published_at=OLD + timedelta(minutes=n // 3)))
    content_changed()
    return articles
