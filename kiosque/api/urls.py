from django.urls import path, re_path

from kiosque.api import views

app_name = "api"
urlpatterns = [
    path("articles", views.article_list, name="articles"),
    path("articles/<int:article_id>", views.article_detail, name="article"),
    path("stories", views.story_list, name="stories"),
    path("stories/<int:story_id>", views.story_detail, name="story"),
    path("sources", views.source_list, name="sources"),
    path("categories", views.category_list, name="categories"),
    path("search", views.search, name="search"),
    path("openapi.json", views.openapi, name="openapi"),
    re_path(r"^(?P<rest>.*)$", views.not_found),  # a JSON 404 rather than the portal's HTML page
]
