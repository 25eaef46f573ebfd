from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "helhed.core"
    label = "core"
    verbose_name = "Kerne"

    def ready(self) -> None:
        from helhed.core import checks  # noqa: F401  (registers system checks)
