from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "helhed.web"
    label = "web"
    verbose_name = "Sider"
