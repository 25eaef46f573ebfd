from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "helhed.messaging"
    label = "messaging"
    verbose_name = "Beskeder og forsendelser"
