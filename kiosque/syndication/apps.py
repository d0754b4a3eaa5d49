from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "kiosque.syndication"
    label = "kiosque_syndication"  # "syndication" is django.contrib.syndication's label
    verbose_name = "Syndication"
