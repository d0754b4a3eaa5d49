from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kiosque.moderation.urls import api_urlpatterns as moderation_api

# Pages carry their interface language in the path (/ French, /ar/ Arabic, /en/ English), so a page's URL
# alone decides its language: cacheable, linkable, and crawlable per language.
urlpatterns = [
    path("admin/", admin.site.urls),
    # Image reports (JSON), before the API's own patterns: its last one answers any other path with a JSON 404.
    path("api/", include((moderation_api, "moderation-api"))),
    path("api/v1/", include((moderation_api, "moderation-api-v1"))),
    # Feeds, sitemaps, OPML and the API are the same in every language: no language prefix.
    path("", include("kiosque.syndication.urls")),
    path("api/v1/", include("kiosque.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("kiosque.moderation.urls")),  # the report form; before the portal's catch-all outlet slug
    path("", include("kiosque.portal.urls")),
    prefix_default_language=False,
)
