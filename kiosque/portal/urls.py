from django.urls import path

from kiosque.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:article_id>/", views.article, name="article"),
    path("story/<int:story_id>/", views.story, name="story"),
    path("category/<str:slug>/", views.category, name="category"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.archive_day, name="archive-day"),
    path("search/", views.search, name="search"),
    path("sources/", views.sources_page, name="sources"),
    path("ticker.json", views.ticker_json, name="ticker-json"),
    path("images/<int:image_id>/<str:variant>", views.image_file, name="image"),
    # Last: an outlet's page sits at the top level, like Maghress's /<source>/.
    path("<slug:slug>/", views.source, name="source"),
]
