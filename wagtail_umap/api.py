"""Kept for sites that wrote ``from wagtail_umap.api import MapsAPIViewSet`` in their urls.py:
the maps endpoint lives in :mod:`wagtail_umap.sharing.api`."""

from wagtail_umap.sharing.api import MapsAPIViewSet

__all__ = ["MapsAPIViewSet"]
