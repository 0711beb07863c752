"""Public URLs of wagtail-umap. A site includes them, for example at ``maps/``."""

from django.urls import re_path

from wagtail_umap.views.data import layer_data

app_name = "wagtail_umap"

urlpatterns = [
    re_path(
        r"^data/(?P<map_id>\d+)/(?P<digest>[0-9a-f]{64})\.geojson$",
        layer_data,
        name="layer_data",
    ),
]
