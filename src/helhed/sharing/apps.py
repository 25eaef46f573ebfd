from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class SharingConfig(AppConfig):
    name = "helhed.sharing"
    label = "sharing"
    verbose_name = "Deling"

    def ready(self) -> None:
        from helhed.sharing import consumers, policy
        from helhed.sharing.models import AccessRule, DataCategory

        # In-process delivery (embedded profile): the outbox publisher hands every event to
        # the advis consumer; in the server profile ``helhed consume_advis`` does it.
        consumers.register()

        # The policy keeps the categories and the rules for a minute; an administrator's
        # edit counts at once (in this process; in others within the minute).
        for model in (DataCategory, AccessRule):
            label = model._meta.model_name
            post_save.connect(policy.forget, sender=model, dispatch_uid=f"{label}-saved")
            post_delete.connect(policy.forget, sender=model, dispatch_uid=f"{label}-deleted")
        for through in (AccessRule.roles.through, AccessRule.categories.through):
            m2m_changed.connect(policy.forget, sender=through,
                                dispatch_uid=f"{through._meta.model_name}-changed")
