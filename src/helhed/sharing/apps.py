from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "helhed.sharing"
    label = "sharing"
    verbose_name = "Deling"
