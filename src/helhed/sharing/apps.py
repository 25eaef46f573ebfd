from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SharingConfig(AppConfig):
    name = "helhed.sharing"
    label = "sharing"
    verbose_name = "Deling"

    def ready(self) -> None:
        from helhed.sharing import policy
        from helhed.sharing.models import DataCategory

        # The policy keeps the categories for a minute; an administrator's edit counts at once.
        post_save.connect(policy.forget, sender=DataCategory, dispatch_uid="categories-saved")
        post_delete.connect(policy.forget, sender=DataCategory,
                            dispatch_uid="categories-deleted")
