from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kiosque.portal"
    verbose_name = "Portal"
