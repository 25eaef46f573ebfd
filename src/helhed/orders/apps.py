from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "helhed.orders"
    label = "orders"
    verbose_name = "Bestillinger"
