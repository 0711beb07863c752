from wagtail_umap.models.layer_data import LayerData
from wagtail_umap.models.map import Map
from wagtail_umap.models.pages import MapPage, MapPageMixin

__all__ = ["LayerData", "Map", "MapPage", "MapPageMixin"]
