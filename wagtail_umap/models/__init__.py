from wagtail_umap.models.basemaps import BasemapSettings, CustomBasemap
from wagtail_umap.models.import_job import ImportJob
from wagtail_umap.models.layer_data import LayerData
from wagtail_umap.models.map import Map
from wagtail_umap.models.pages import MapPage, MapPageMixin
from wagtail_umap.models.remote import RemoteLayer
from wagtail_umap.models.site_settings import MapSiteSettings

__all__ = [
    "BasemapSettings",
    "CustomBasemap",
    "ImportJob",
    "LayerData",
    "Map",
    "MapPage",
    "MapPageMixin",
    "MapSiteSettings",
    "RemoteLayer",
]
