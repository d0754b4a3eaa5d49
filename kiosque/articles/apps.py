from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "kiosque.articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from kiosque.maintenance import refresh_after_migrate

        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="kiosque-statistics-after-migrate")
