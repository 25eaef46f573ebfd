from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "helhed.catalogue"
    label = "catalogue"
    verbose_name = "Kataloger"
