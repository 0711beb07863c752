from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailUmapAppConfig(AppConfig):
    name = "wagtail_umap"
    label = "wagtail_umap"
    verbose_name = _("Maps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail_umap import compare  # noqa: F401  (registers the revision comparison)
