"""Published maps in Wagtail's API (v2): list, detail, and each layer as GeoJSON.

A site registers the endpoint in its API router::

    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail_umap.sharing.api import MapsAPIViewSet

    api_router = WagtailAPIRouter("wagtailapi")
    api_router.register_endpoint("maps", MapsAPIViewSet)
    urlpatterns = [path("api/v2/", api_router.urls), ...]

Only live maps appear, as published: the Map row holds the live version, drafts live in
revisions that this endpoint never reads. A private map (``models.access``) appears only to
those who may see it, in answers marked private. ``?search=`` searches titles and summaries,
``?order=`` sorts; URLs name the host the request came to. Responses carry an ETag (a hash of
their content) and answer ``If-None-Match`` with 304.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from rest_framework import serializers
from rest_framework.response import Response
from wagtail.api import APIField
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Locale

from wagtail_umap.core.content import canonical_json, content_digest
from wagtail_umap.models import LayerData, Map
from wagtail_umap.models.access import make_private, visible_map_ids
from wagtail_umap.sharing.downloads import DOWNLOAD_MAX_AGE
from wagtail_umap.sharing.embed import embed_url
from wagtail_umap.viewer.build import map_downloads
from wagtail_umap.viewer.caching import etag_response

# The map options the API shows: what a reuser needs to draw the map as published.
PUBLIC_OPTIONS = ("basemap", "center", "zoom", "controls", "credits", "licence")
LAYER_FIELDS = ("id", "name", "description", "shown_on_load", "style", "popup_template")


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def layer_geojson_url(request, map_: Map, layer_id: str) -> str:
    router = request.wagtailapi_router
    endpoint_name, _ = router.get_model_endpoint(Map)
    url = reverse(
        f"{router.url_namespace}:{endpoint_name}:layer",
        kwargs={"pk": map_.pk, "layer_id": layer_id},
    )
    return _absolute(request, url)


class DetailURLField(serializers.Field):
    """The map's URL in this endpoint, on the host the request came to (Wagtail's own field
    takes the Site's), unless the site set ``WAGTAILAPI_BASE_URL``."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, map_: Map) -> str:
        request = self.context["request"]
        router = self.context["router"]
        path = router.get_object_detail_urlpath(Map, map_.pk)
        base_url = getattr(settings, "WAGTAILAPI_BASE_URL", None)
        if base_url:
            return base_url.rstrip("/") + path
        return request.build_absolute_uri(path)


class MapURLsField(serializers.Field):
    """Where the map lives for people and programs: embed, oEmbed, downloads."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, map_: Map) -> dict:
        request = self.context.get("request")
        return {
            "embed": embed_url(map_, request),
            "downloads": {
                download.label: _absolute(request, download.url) for download in map_downloads(map_)
            },
        }


class MapOptionsField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, map_: Map) -> dict:
        return {key: map_.options[key] for key in PUBLIC_OPTIONS if key in map_.options}


class MapLayersField(serializers.Field):
    """Each layer's metadata and the URLs of its GeoJSON (no features: they can be large)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, map_: Map) -> list[dict]:
        request = self.context.get("request")
        layers = []
        for layer in map_.layers:
            item = {key: layer[key] for key in LAYER_FIELDS if key in layer}
            reference = layer.get("data") or {}
            item["feature_count"] = reference.get("feature_count", 0)
            item["geojson_url"] = layer_geojson_url(request, map_, layer["id"])
            item["data_url"] = (
                _absolute(
                    request,
                    reverse(
                        "wagtail_umap:layer_data",
                        kwargs={"map_id": map_.pk, "digest": reference["digest"]},
                    ),
                )
                if reference.get("digest")
                else None
            )
            item["downloads"] = {
                download.label: _absolute(request, download.url)
                for download in map_downloads(map_, layer["id"])
            }
            layers.append(item)
        return layers


class MapsAPIViewSet(BaseAPIViewSet):
    model = Map
    name = "maps"
    body_fields = BaseAPIViewSet.body_fields + [
        "title",
        "summary",
        APIField("options", serializer=MapOptionsField()),
        APIField("layers", serializer=MapLayersField()),
    ]
    # Filters as in Wagtail's pages endpoint: ?title=…, ?order=…, ?search=… (search last: its
    # results cannot be filtered further).
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
    meta_fields = [
        "type",
        APIField("detail_url", serializer=DetailURLField()),
        APIField("layer_count", serializer=serializers.IntegerField(read_only=True)),
        APIField("feature_count", serializer=serializers.IntegerField(read_only=True)),
        APIField("urls", serializer=MapURLsField()),
    ]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + [
        "title",
        "summary",
        "layer_count",
        "feature_count",
        "urls",
    ]
    detail_only_fields = ["options", "layers"]

    known_query_parameters = BaseAPIViewSet.known_query_parameters.union(["locale"])

    def get_queryset(self):
        if getattr(self, "_visible_maps", None) is None:
            self._visible_maps = self._find_visible_maps()
        return self._visible_maps

    def _find_visible_maps(self):
        # The live row only: a draft (never published) map is absent, a published map with
        # unpublished changes shows what is published.
        maps = Map.objects.live().order_by("id")
        if language_code := self.request.GET.get("locale"):  # ?locale=en: one language
            maps = maps.filter(locale=Locale.objects.filter(language_code=language_code).first())
        # Only the maps this request may see (models.access); the search backend can filter
        # on the primary key.
        visible, self.all_public = visible_map_ids(
            self.request, maps.only("pk", "live", "translation_key")
        )
        return maps.filter(pk__in=sorted(visible))

    def _conditional(self, data) -> HttpResponse:
        etag = content_digest(canonical_json(data))
        response = etag_response(
            self.request, etag, lambda: Response(data), max_age=DOWNLOAD_MAX_AGE
        )
        return response if getattr(self, "all_public", True) else make_private(response)

    def listing_view(self, request):
        response = super().listing_view(request)
        return self._conditional(response.data)

    def detail_view(self, request, pk):
        response = super().detail_view(request, pk)
        return self._conditional(response.data)

    def layer_view(self, request, pk, layer_id):
        """One layer of a live map as a GeoJSON FeatureCollection."""
        map_ = self.get_queryset().filter(pk=pk).only("document").first()
        layer = next(
            (item for item in (map_.layers if map_ else []) if item["id"] == layer_id), None
        )
        if layer is None:
            raise Http404("not found")
        digest = (layer.get("data") or {}).get("digest")

        def build() -> HttpResponse:
            body = (
                bytes(LayerData.objects.only("geojson").get(digest=digest).geojson)
                if digest
                else b'{"type":"FeatureCollection","features":[]}'
            )
            return HttpResponse(body, content_type="application/geo+json")

        response = etag_response(request, digest or "empty", build, max_age=DOWNLOAD_MAX_AGE)
        return response if self.all_public else make_private(response)

    @classmethod
    def get_urlpatterns(cls):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/layers/<str:layer_id>/",
                cls.as_view({"get": "layer_view"}),
                name="layer",
            ),
        ]
