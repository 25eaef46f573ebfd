from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "helhed.assessment"
    label = "assessment"
    verbose_name = "Udredning og indhentning"
