"""Public URLs of wagtail-umap. A site includes them, for example at ``maps/``."""

from django.urls import path, re_path

from wagtail_umap.sharing.downloads import download_file, download_layer, download_map
from wagtail_umap.sharing.embed import embed
from wagtail_umap.sharing.oembed import oembed
from wagtail_umap.sharing.printing import print_map
from wagtail_umap.viewer.data import layer_data
from wagtail_umap.viewer.feature_list import feature_list, feature_popup
from wagtail_umap.viewer.icons import marker_icon
from wagtail_umap.viewer.media import video_player
from wagtail_umap.viewer.tiles import layer_feature, layer_tiles

app_name = "wagtail_umap"

urlpatterns = [
    re_path(r"^(?P<map_id>\d+)/embed/$", embed, name="embed"),
    re_path(r"^(?P<map_id>\d+)/print/$", print_map, name="print"),
    path("oembed/", oembed, name="oembed"),
    path("media/video/", video_player, name="video_player"),
    path("media/icon/", marker_icon, name="marker_icon"),
    re_path(
        r"^data/(?P<map_id>\d+)/(?P<digest>[0-9a-f]{64})\.geojson$",
        layer_data,
        name="layer_data",
    ),
    re_path(
        r"^data/(?P<map_id>\d+)/(?P<digest>[0-9a-f]{64})\.pmtiles$",
        layer_tiles,
        name="layer_tiles",
    ),
    re_path(
        r"^(?P<map_id>\d+)/layers/(?P<layer_id>[A-Za-z0-9_-]{1,64})/features/(?P<index>\d{1,9})\.geojson$",
        layer_feature,
        name="layer_feature",
    ),
    re_path(
        r"^(?P<map_id>\d+)/layers/(?P<layer_id>[A-Za-z0-9_-]{1,64})/features/$",
        feature_list,
        name="feature_list",
    ),
    re_path(
        r"^(?P<map_id>\d+)/layers/(?P<layer_id>[A-Za-z0-9_-]{1,64})/popups/(?P<index>\d{1,9})\.json$",
        feature_popup,
        name="feature_popup",
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
    re_path(
        r"^(?P<map_id>\d+)/downloads/(?P<key>[0-9a-f]{64})/(?P<filename>[A-Za-z0-9_.-]{1,200})$",
        download_file,
        name="download_file",
    ),
]
