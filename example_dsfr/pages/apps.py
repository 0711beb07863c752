from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "example_dsfr.pages"
    label = "example_dsfr_pages"
    verbose_name = "Pages avec cartes"
    default_auto_field = "django.db.models.AutoField"
