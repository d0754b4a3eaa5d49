from django.apps import AppConfig


class CrawlerConfig(AppConfig):
    name = "kiosque.crawler"
    verbose_name = "Crawler"
