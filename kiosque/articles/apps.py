from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "kiosque.articles"
    verbose_name = "Articles"
