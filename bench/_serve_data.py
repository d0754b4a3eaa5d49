"""The serving benchmark's database: ~1,000 sources and N articles recombined from real snapshot texts.

    cache_name(), migrations_state(), migrations_compatible(built)      when a cached database is reusable
    database_fill(corpus, *, articles, sources, seed, now) -> dict      bulk inserts, timed
    search_reindex() -> dict                                            the product's reindex_all(), timed
    dates_shift(delta) -> float                     moves every date forward (a cached database stays "recent")
    bench_paths(corpus, *, seed) -> dict[str, list[str]]                the URLs the load runs request

Needs Django set up (DJANGO_SETTINGS_MODULE=kiosque.settings, KIOSQUE_DATA_DIR pointing at the run directory).
Writes go through bulk_create on purpose: article_ingest does three lookups and a search-index write per
article, which would make filling 100,000 rows take tens of minutes; the index is then built in one pass by
the product's own `reindex_all`.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from _serve_corpus import CORPUS_VERSION, LANGUAGES, Corpus
from django.db import connection, transaction
from django.db.models import F, Max, Min
from django.utils.text import slugify

from kiosque.articles.models import Article, Category, Image
from kiosque.articles.search import reindex_all
from kiosque.sources.models import Feed, Source

__all__ = [
    "bench_paths", "cache_name", "database_fill", "dates_shift", "migrations_compatible", "migrations_state",
    "search_reindex",
]

GENERATOR_VERSION = 1  # bump when what database_fill writes changes (the cache key)
REPO = Path(__file__).resolve().parent.parent
SPAN_DAYS = 730  # ~2 years of articles
IMAGES = 300  # a few hundred pictures, re-used across articles (as agency photos are)
IMAGE_SHARE = 0.7
BATCH = 2000

CATEGORIES = {
    "fr": ["Société", "Économie", "Politique", "Monde", "Sport", "Culture", "Sciences", "Régions", "Santé",
           "Technologie", "Éducation", "Environnement"],
    "ar": ["مجتمع", "اقتصاد", "سياسة", "دولي", "رياضة", "ثقافة", "علوم", "جهات", "صحة", "تكنولوجيا", "تعليم", "بيئة"],
    "en": ["World", "Business", "Politics", "Sports", "Arts", "Science", "Health", "Technology", "Environment",
           "Opinion", "Education", "Travel"],
}
_PLACES = ["Rabat", "Casablanca", "Tanger", "Fès", "Marrakech", "Agadir", "Oujda", "Laâyoune", "Dakhla", "Meknès",
           "Tétouan", "Kénitra", "Paris", "Dakar", "Tunis", "Alger", "London", "Cairo", "Dubai", "Madrid"]
_KINDS = {"fr": ["Le Journal de", "L'Écho de", "Le Courrier de", "Infos", "La Gazette de"],
          "ar": ["أخبار", "صدى", "جريدة", "بوابة", "نبض"],
          "en": ["The", "Daily", "Post of", "Herald of", "News of"]}


def cache_name() -> str:
    """What a cached database's file name must match: the generator and corpus versions."""
    return f"g{GENERATOR_VERSION}c{CORPUS_VERSION}"


def migrations_state() -> dict[str, str]:
    """Hash of every migration of the apps we fill (articles, sources), recorded with a built database."""
    state = {}
    for app in ("articles", "sources"):
        for path in sorted((REPO / "kiosque" / app / "migrations").glob("0*.py")):
            state[path.relative_to(REPO).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return state


def migrations_compatible(built: dict[str, str]) -> bool:
    """A database built under `built` can be brought up to date by `migrate`: none of its migrations changed
    or vanished (new ones are fine: migrate applies them, as on a real deployment). An edited migration means
    the tables may differ from what the current code expects: rebuild."""
    current = migrations_state()
    return bool(built) and all(current.get(path) == digest for path, digest in built.items())


# ------------------------------------------------------------------ filling
def database_fill(corpus: Corpus, *, articles: int, sources: int, seed: int, now: datetime) -> dict[str, Any]:
    """Insert sources, feeds, categories, images and articles; returns counts and timings."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        outlets = _sources_create(rng, corpus, count=sources)
        categories = _categories_create()
        images = _images_create(rng, now=now)
    made = 0
    with transaction.atomic():  # one transaction: SQLite commits once instead of 50 times
        while made < articles:
            size = min(BATCH, articles - made)
            _articles_batch(rng, corpus, start=made, size=size, outlets=outlets, categories=categories,
                            images=images, now=now)
            made += size
    return {"sources": len(outlets), "articles": made, "categories": sum(len(v) for v in categories.values()),
            "images": len(images), "fill_s": round(time.perf_counter() - started, 1)}


def search_reindex() -> dict[str, Any]:
    started = time.perf_counter()
    count = reindex_all()
    return {"indexed": count, "reindex_s": round(time.perf_counter() - started, 1)}


def dates_shift(delta: timedelta) -> float:
    """Move every article's dates by `delta` (a reused database keeps its last week busy); seconds taken."""
    started = time.perf_counter()
    with transaction.atomic():
        Article.objects.update(published_at=F("published_at") + delta, fetched_at=F("fetched_at") + delta,
                               updated_at=F("updated_at") + delta)
    return time.perf_counter() - started


def _sources_create(rng: random.Random, corpus: Corpus, *, count: int) -> list[Source]:
    shares = corpus.shares()
    langs = rng.choices(list(shares), weights=list(shares.values()), k=count)
    rows = []
    for i, lang in enumerate(langs):
        name = f"{rng.choice(_KINDS[lang])} {rng.choice(_PLACES)} {i + 1}"
        slug = f"{slugify(name)[:80] or 'source'}-{i + 1}"
        rows.append(Source(name=name, slug=slug, homepage=f"https://{slug}.example/", languages=[lang],
                           country="MA" if i % 3 else "FR"))
    outlets: list[Source] = Source.objects.bulk_create(rows, batch_size=500)
    Feed.objects.bulk_create([Feed(source=s, url=f"{s.homepage}feed/") for s in outlets], batch_size=500)
    return outlets


def _categories_create() -> dict[str, list[Category]]:
    made: dict[str, Category] = {}
    for names in CATEGORIES.values():
        for name in names:
            slug = slugify(name, allow_unicode=True)
            made.setdefault(slug, Category(name=name, slug=slug))
    Category.objects.bulk_create(list(made.values()))
    by_slug = {c.slug: c for c in Category.objects.all()}
    return {lang: [by_slug[slugify(n, allow_unicode=True)] for n in names] for lang, names in CATEGORIES.items()}


def _images_create(rng: random.Random, *, now: datetime) -> list[Image]:
    rows = []
    for i in range(IMAGES):
        digest = hashlib.sha256(f"image-{i}".encode()).hexdigest()
        width, height = rng.choice([(1200, 800), (1600, 900), (1024, 768), (800, 800)])
        rows.append(Image(
            origin_url=f"https://photos.example/{digest[:12]}.jpg", sha256=digest, phash=digest[:16], mime="image/jpeg",
            width=width, height=height, display_file=f"images/{digest[:2]}/{digest}-d.webp", display_width=960,
            display_height=960 * height // width, thumb_file=f"images/{digest[:2]}/{digest}-t.webp",
            thumb_width=320, thumb_height=320 * height // width, fetched_at=now,
        ))
    images: list[Image] = Image.objects.bulk_create(rows)
    return images


def _articles_batch(rng: random.Random, corpus: Corpus, *, start: int, size: int, outlets: list[Source],
                    categories: dict[str, list[Category]], images: list[Image], now: datetime) -> None:
    # Zipf-like activity: a few sources publish a lot, most a little (as in a real directory of outlets).
    weights = [1.0 / (rank + 10) for rank in range(len(outlets))]
    chosen = rng.choices(outlets, weights=weights, k=size)
    rows = [_article(rng, corpus, number=start + i, source=src, images=images, now=now) for i, src in enumerate(chosen)]
    Article.objects.bulk_create(rows, batch_size=500)
    through = Article.categories.through
    links = []
    for article in rows:
        for category in rng.sample(categories[article.language], k=rng.choice((1, 1, 2))):
            links.append(through(article_id=article.pk, category_id=category.pk))
    through.objects.bulk_create(links, batch_size=1000)


def _article(rng: random.Random, corpus: Corpus, *, number: int, source: Source, images: list[Image],
             now: datetime) -> Article:
    lang = source.languages[0]
    pool = corpus.pools[lang]
    title = _title(rng, pool.titles)
    paragraphs = rng.sample(pool.paragraphs, k=min(len(pool.paragraphs), rng.randint(4, 16)))
    text = "\n\n".join(paragraphs)
    published = now - timedelta(seconds=rng.uniform(0, SPAN_DAYS * 86400))
    url = f"{source.homepage}{published:%Y/%m/%d}/{slugify(title)[:60] or 'article'}-{number}.html"
    return Article(
        source=source, url=url, canonical_url=url, guid=url, title=title, lead=paragraphs[0], text=text,
        html="".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
        content_hash=hashlib.sha256(text.encode()).hexdigest(), language=lang, language_method="declared",
        author=rng.choice(pool.authors) if pool.authors and rng.random() < 0.6 else "",
        published_at=published, fetched_at=published + timedelta(minutes=5),
        updated_at=published + timedelta(minutes=5),
        image=rng.choice(images) if rng.random() < IMAGE_SHARE else None,
    )


def _title(rng: random.Random, titles: list[str]) -> str:
    """The head of one real title and the tail of another (same language)."""
    first, second = rng.choice(titles).split(), rng.choice(titles).split()
    cut_a, cut_b = max(1, len(first) // 2), len(second) // 2
    return " ".join(first[:cut_a] + second[cut_b:])[:300]


# ------------------------------------------------------------------ what the load runs request
_WORD = re.compile(r"[^\W\d_]{4,}")


def bench_paths(corpus: Corpus, *, seed: int) -> dict[str, Any]:
    """Paths per scenario: every article (shuffled), source pages 1-3, distinct search queries; plus sizes."""
    rng = random.Random(seed + 1)
    bounds = Article.objects.aggregate(lo=Min("id"), hi=Max("id"))
    ids = list(Article.objects.values_list("id", flat=True))
    rng.shuffle(ids)
    slugs = list(Source.objects.order_by("?").values_list("slug", flat=True))
    busiest = Source.objects.order_by("-articles__published_at").values_list("slug", flat=True).first()
    source_pages = [f"/{s}/" for s in slugs] + [f"/{s}/?page={p}" for p in (2, 3) for s in slugs]
    rng.shuffle(source_pages)
    return {
        "article_ids": bounds, "articles": [f"/article/{i}/" for i in ids], "sources": source_pages,
        "source_one": f"/{busiest}/", "article_one": f"/article/{ids[0]}/",
        "searches": [f"/search/?{urlencode({'q': q}, quote_via=quote)}" for q in _queries(rng, corpus)],
    }


def _queries(rng: random.Random, corpus: Corpus, *, count: int = 30_000) -> list[str]:
    """Distinct queries of real words: 60 % one word, 40 % two words from one paragraph, languages by share."""
    from kiosque.articles.search.stopwords import STOPWORDS  # the same stop words the index drops
    from kiosque.pipeline.enrich.normalize import normalize_text

    words: dict[str, list[list[str]]] = {}
    vocab: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        stop: frozenset[str] = STOPWORDS.get(lang, frozenset())
        per_paragraph = [[w for w in _WORD.findall(p.lower()) if normalize_text(w, lang) not in stop]
                         for p in corpus.pools[lang].paragraphs]
        words[lang] = [ws for ws in per_paragraph if len(ws) >= 2]
        counts = Counter(w for ws in per_paragraph for w in ws)
        vocab[lang] = [w for w, n in counts.most_common() if n >= 2]
    shares = corpus.shares()
    found: dict[str, None] = {}
    for _ in range(count * 3):
        if len(found) >= count:
            break
        lang = rng.choices(list(shares), weights=list(shares.values()))[0]
        single = rng.random() < 0.6
        query = rng.choice(vocab[lang]) if single else " ".join(rng.sample(rng.choice(words[lang]), k=2))
        found.setdefault(query, None)
    queries = list(found)
    rng.shuffle(queries)
    return queries


def database_counts() -> dict[str, int]:
    return {"articles": Article.objects.count(), "sources": Source.objects.count()}


def connection_close() -> None:
    connection.close()
