from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SharingConfig(AppConfig):
    name = "helhed.sharing"
    label = "sharing"
    verbose_name = "Deling"

    def ready(self) -> None:
        from helhed.sharing import consumers, policy
        from helhed.sharing.models import DataCategory

        # In-process delivery (embedded profile): the outbox publisher hands every event to
        # the advis consumer; in the server profile ``helhed consume_advis`` does it.
        consumers.register()

        # The policy keeps the categories for a minute; an administrator's edit counts at once.
        post_save.connect(policy.forget, sender=DataCategory, dispatch_uid="categories-saved")
        post_delete.connect(policy.forget, sender=DataCategory,
                            dispatch_uid="categories-deleted")
