from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# Pages carry their interface language in the path (/ French, /ar/ Arabic, /en/ English), so a page's URL
# alone decides its language: cacheable, linkable, and crawlable per language.
urlpatterns = [
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(path("", include("kiosque.portal.urls")), prefix_default_language=False)
