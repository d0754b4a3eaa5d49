from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kiosque.api"
    label = "kiosque_api"
    verbose_name = "API"
