from django.urls import path

from kiosque.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:article_id>/", views.article, name="article"),
    path("images/<int:image_id>/<str:variant>", views.image_file, name="image"),
]
