"""Building real rows through the write services (no model shortcuts), for page, feed and API tests."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from kiosque.articles.models import Article, Image
from kiosque.articles.services import ArticleDraft, article_ingest, image_store
from kiosque.pipeline.images import process_image
from kiosque.pipeline.types import ImageOptions
from kiosque.sources.models import Source
from kiosque.sources.services import source_create

_counter = itertools.count(1)
BASE_TIME = datetime(2024, 10, 20, 9, 0, tzinfo=UTC)


def make_source(name: str = "Le Matin Test", *, languages: list[str] | None = None, slug: str | None = None) -> Source:
    return source_create(name=name, homepage=f"https://{(slug or name).lower().replace(' ', '')}.example/",
                         languages=languages or ["fr"], slug=slug)


def picture_bytes(seed: int, *, size: tuple[int, int] = (640, 360)) -> bytes:
    """A distinct, non-flat JPEG picture per seed (shapes at seed-dependent places)."""
    img = PILImage.new("RGB", size, ((seed * 47) % 256, (seed * 91) % 256, (seed * 13) % 256))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x = (seed * 37 + i * 101) % size[0]
        y = (seed * 53 + i * 67) % size[1]
        draw.ellipse((x, y, x + 60 + i * 15, y + 40 + i * 10), fill=((i * 60) % 256, 255 - i * 30, (seed * i) % 256))
    draw.rectangle((0, size[1] - 60, size[0], size[1]), fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def make_image(seed: int = 1, *, origin_url: str | None = None, content: bytes | None = None) -> Image:
    processed = process_image(content or picture_bytes(seed), ImageOptions())
    return image_store(origin_url=origin_url or f"https://img.example/{seed}-{next(_counter)}.jpg", processed=processed)


def make_article(
    source: Source,
    *,
    title: str | None = None,
    language: str = "fr",
    published: datetime | None = None,
    text: str = "Premier paragraphe de l'article.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.",
    lead: str = "Le chapeau de l'article.",
    categories: tuple[str, ...] = (),
    image: Image | None = None,
) -> Article:
    n = next(_counter)
    draft = ArticleDraft(
        url=f"{source.homepage}articles/{n}",
        canonical_url=f"{source.homepage}articles/{n}",
        guid=f"guid-{n}",
        title=title or f"Titre numéro {n}",
        published_at=published or BASE_TIME + timedelta(minutes=n),
        lead=lead,
        text=text,
        language=language,
        categories=categories,
        image_origin_url=image.origin_url if image else "",
    )
    return article_ingest(source=source, feed=None, draft=draft, image=image, now=timezone.now()).article
