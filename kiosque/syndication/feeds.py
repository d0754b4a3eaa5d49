"""Output feeds of the latest articles (50) of everything, a source, a category, a language, a story or a search
query, each in RSS 2.0, Atom and JSON Feed (`ArticleFeed(fmt)`). Unknown source/category/language/story: 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, SyndicationFeed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kiosque.articles import selectors
from kiosque.articles.stories import selectors as story_selectors
from kiosque.sources import selectors as source_selectors
from kiosque.syndication.entries import SITE_NAME, Absolute, Entry, entry_for, xml_safe
from kiosque.syndication.generators import GENERATORS

if TYPE_CHECKING:
    from kiosque.articles.models import Article

FEED_SIZE = 50


@dataclass(frozen=True)
class Scope:
    """What a feed shows, read in `get_object`; `absolute` turns our paths into URLs for the request's host."""

    title: str
    link: str  # our page with the same articles
    description: str
    language: str | None  # None: several languages (then each item carries its own)
    feed_url: str
    articles: list[Article]
    absolute: Absolute


def _languages() -> dict[str, str]:
    return dict(settings.LANGUAGES)


class ArticleFeed(Feed):
    """Everything; subclasses narrow the scope by overriding `scope`."""

    def __init__(self, fmt: str) -> None:
        self.feed_type = GENERATORS[fmt]

    def scope(self, request: HttpRequest, **kwargs: str) -> Scope:
        return self._scope(
            request,
            title=SITE_NAME,
            link=reverse("portal:home"),
            description=_("Latest articles from every source"),
            language=None,
            articles=selectors.articles_for_output()[:FEED_SIZE],
        )

    @staticmethod
    def _scope(
        request: HttpRequest, *, title: str, link: str, description: str, language: str | None, articles: Any
    ) -> Scope:
        return Scope(
            title=xml_safe(title),
            link=link,
            description=xml_safe(description),
            language=language,
            feed_url=request.get_full_path(),
            articles=list(articles),
            absolute=request.build_absolute_uri,
        )

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: str) -> Scope:
        return self.scope(request, **kwargs)

    def get_feed(self, obj: Scope, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.language  # Django would put the interface language on a mixed feed
        return feed

    def title(self, obj: Scope) -> str:
        return obj.title

    def link(self, obj: Scope) -> str:
        return obj.link

    def description(self, obj: Scope) -> str:
        return obj.description

    def feed_url(self, obj: Scope) -> str:
        return obj.feed_url

    def items(self, obj: Scope) -> list[Entry]:
        return [entry_for(article, absolute=obj.absolute) for article in obj.articles]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        # Readers treat RSS descriptions and Atom type="html" summaries as HTML: escaping the plain-text lead
        # makes them show it as text, whatever it contains.
        return escape(item.lead)

    def item_pubdate(self, item: Entry) -> Any:
        return item.published

    def item_updateddate(self, item: Entry) -> Any:
        return item.updated

    def item_author_name(self, item: Entry) -> str:
        return item.author

    def item_categories(self, item: Entry) -> tuple[str, ...]:
        return item.categories

    def item_enclosures(self, item: Entry) -> list[Enclosure]:
        image = item.image
        return [] if image is None else [Enclosure(image.url, str(image.length), image.mime_type)]

    def item_extra_kwargs(self, item: Entry) -> dict[str, Any]:
        return {
            "language": item.language,
            "canonical_url": item.canonical_url,
            "content_text": item.lead,
            "image_url": item.image.url if item.image else None,
            "source_name": item.source_name,
            "source_feed": item.source_feed,
        }


class SourceFeed(ArticleFeed):
    def scope(self, request: HttpRequest, **kwargs: str) -> Scope:
        source = source_selectors.source_by_slug(kwargs["slug"])
        if source is None:
            raise Http404("No such source")
        languages = source.languages or []
        return self._scope(
            request,
            title=f"{source.name} — {SITE_NAME}",
            link=reverse("portal:source", args=[source.slug]),
            description=_("Latest articles from %(source)s") % {"source": source.name},
            language=languages[0] if len(languages) == 1 else None,
            articles=selectors.articles_for_output(source_slug=source.slug)[:FEED_SIZE],
        )


class CategoryFeed(ArticleFeed):
    def scope(self, request: HttpRequest, **kwargs: str) -> Scope:
        category = selectors.category_by_slug(kwargs["slug"])
        if category is None:
            raise Http404("No such category")
        return self._scope(
            request,
            title=f"{category.name} — {SITE_NAME}",
            link=reverse("portal:category", args=[category.slug]),
            description=_("Latest articles in %(category)s") % {"category": category.name},
            language=None,
            articles=selectors.articles_for_output(category_slug=category.slug)[:FEED_SIZE],
        )


class LanguageFeed(ArticleFeed):
    def scope(self, request: HttpRequest, **kwargs: str) -> Scope:
        lang = kwargs["lang"]
        name = _languages().get(lang)
        if name is None:
            raise Http404("No such language")
        return self._scope(
            request,
            title=f"{SITE_NAME} — {name}",
            link=f"{reverse('portal:home')}?{urlencode({'lang': lang})}",
            description=_("Latest articles in %(language)s") % {"language": name},
            language=lang,
            articles=selectors.articles_for_output(language=lang)[:FEED_SIZE],
        )


class StoryFeed(ArticleFeed):
    """The articles of one story, newest first: follow an event across outlets and languages."""

    def scope(self, request: HttpRequest, **kwargs: str) -> Scope:
        found = story_selectors.story_by_id(int(kwargs["story_id"]))
        story = story_selectors.story_live(found) if found is not None else None
        if story is None:
            raise Http404("No such story")
        languages = story.languages
        return self._scope(
            request,
            title=f"{story.title()} — {SITE_NAME}",
            link=reverse("portal:story", args=[story.pk]),
            description=_("Every article of the story “%(story)s”") % {"story": story.title()},
            language=languages[0] if len(languages) == 1 else None,
            articles=story_selectors.story_articles_for_output(story)[:FEED_SIZE],
        )


class SearchFeed(ArticleFeed):
    """The newest of the best 1,000 matches of `q` (optionally in `lang`): a feed that alerts on new matches."""

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        query, lang = request.GET.get("q", "").strip(), request.GET.get("lang") or None
        if not query:
            return HttpResponseBadRequest("The q parameter is required.", content_type="text/plain; charset=utf-8")
        if lang is not None and lang not in _languages():
            return HttpResponseBadRequest("Unknown lang.", content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def scope(self, request: HttpRequest, **kwargs: str) -> Scope:
        query, lang = request.GET["q"].strip(), request.GET.get("lang") or None
        ids = selectors.article_ids_matching(query, language=lang)
        return self._scope(
            request,
            title=f"{query} — {SITE_NAME}",
            link=f"{reverse('portal:search')}?{urlencode({'q': query, **({'lang': lang} if lang else {})})}",
            description=_("Latest articles matching “%(query)s”") % {"query": query},
            language=lang,
            articles=selectors.articles_for_output(ids=ids)[:FEED_SIZE],
        )
