from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "helhed.plans"
    label = "plans"
    verbose_name = "Planer"

    def ready(self) -> None:
        # The family overview shows that a plan exists (ARCHITECTURE.md rule 3); its reader
        # is appended here so that sharing does not import the plans app.
        from helhed.plans.overview import plans_for_overview
        from helhed.sharing import overview

        if plans_for_overview not in overview.SOURCES:
            overview.SOURCES.append(plans_for_overview)
