from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "kiosque.sources"
    verbose_name = "Sources"
