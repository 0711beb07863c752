"""Public URLs of wagtail-umap. A site includes them, for example at ``maps/``."""

from django.urls import path, re_path

from wagtail_umap.views.data import layer_data
from wagtail_umap.views.downloads import download_layer, download_map
from wagtail_umap.views.embed import embed
from wagtail_umap.views.feature_list import feature_list
from wagtail_umap.views.media import video_player
from wagtail_umap.views.oembed import oembed

app_name = "wagtail_umap"

urlpatterns = [
    re_path(r"^(?P<map_id>\d+)/embed/$", embed, name="embed"),
    path("oembed/", oembed, name="oembed"),
    path("media/video/", video_player, name="video_player"),
    re_path(
        r"^data/(?P<map_id>\d+)/(?P<digest>[0-9a-f]{64})\.geojson$",
        layer_data,
        name="layer_data",
    ),
    re_path(
        r"^(?P<map_id>\d+)/layers/(?P<layer_id>[A-Za-z0-9_-]{1,64})/features/$",
        feature_list,
        name="feature_list",
    ),
    re_path(
        r"^(?P<map_id>\d+)/download\.(?P<format_name>[a-z]+)$",
        download_map,
        name="download_map",
    ),
    re_path(
        r"^(?P<map_id>\d+)/layers/(?P<layer_id>[A-Za-z0-9_-]{1,64})\.(?P<format_name>[a-z]+)$",
        download_layer,
        name="download_layer",
    ),
]
