from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailUmapAppConfig(AppConfig):
    name = "wagtail_umap"
    label = "wagtail_umap"
    verbose_name = _("Maps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail_umap import checks  # noqa: F401  (registers the system checks)
        from wagtail_umap.editor import compare  # noqa: F401  (registers the revision comparison)
        from wagtail_umap.models import collect, layer_data, remote, vector_tiles
        from wagtail_umap.sharing.purge import register_signal_handlers
        from wagtail_umap.viewer import caching

        register_signal_handlers()
        collect.register_signal_handlers()  # the periodic collection of unused layer data
        layer_data.register_signal_handlers()  # the live versions' data URLs and their grace
        remote.register_signal_handlers()  # live layers: fetched on save (docs/live-data.md)
        vector_tiles.register_signal_handlers()  # large layers' tile archives (on publish)
        caching.register_signal_handlers()  # the generation of the cached page maps and HTML
