"""StreamField blocks that put maps on pages: a Map snippet, or one place with its address."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtailgeowidget.blocks import GeoAddressBlock
from wagtailgeowidget.blocks import LeafletBlock as GeoWidgetLeafletBlock
from wagtailgeowidget.helpers import geosgeometry_str_to_struct

from wagtail_umap.conf import get_basemap, get_setting
from wagtail_umap.core.document import new_layer
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_features
from wagtail_umap.viewer import ViewerLayer, ViewerMap
from wagtail_umap.widgets import LocationWidget

MIN_HEIGHT, MAX_HEIGHT = 200, 1200


def map_on_page_context(map_, *, request, page=None, **viewer_options) -> dict:
    """What a page shows of a chosen map: the live map; in a preview, a notice for the editor
    when the map is not published; otherwise nothing."""
    if map_ is None:
        return {}
    # The map in the page's language when that translation is published, else a published
    # version of it (a draft translation falls back to the source map).
    map_ = map_.get_live_localized() or map_
    if map_.live:
        private = page is not None and page.get_view_restrictions().exists()
        return {
            "viewer_map": map_.get_viewer_map(inline_data=private, **viewer_options),
            # A private page's map gets no public URL: no data URL, no oEmbed discovery.
            "map_is_public": not private,
        }
    if getattr(request, "is_preview", False):
        notice = gettext("The map “%(title)s” is not published: the public will not see it here.")
        return {"editor_notice": notice % {"title": map_.title}}
    return {}


def page_dom_id(parent_context, base: str) -> str:
    """An id for a map on a page that is the same on every visit (permalinks rely on it):
    ``base``, then ``base-2``, ``base-3``… for the next maps with the same base on the page."""
    request = (parent_context or {}).get("request")
    counts = getattr(request, "_wagtail_umap_dom_ids", None)
    if counts is None:
        counts = {}
        if request is not None:
            request._wagtail_umap_dom_ids = counts
    counts[base] = counts.get(base, 0) + 1
    return base if counts[base] == 1 else f"{base}-{counts[base]}"


class MapBlock(blocks.StructBlock):
    """A published Map on any page, with per-use height and caption."""

    map = SnippetChooserBlock("wagtail_umap.Map", label=_("Map"))
    height = blocks.IntegerBlock(
        label=_("Height in pixels"),
        required=False,
        min_value=MIN_HEIGHT,
        max_value=MAX_HEIGHT,
        help_text=_("Leave empty for the default height."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)

    class Meta:
        icon = "site"
        label = _("Map")
        template = "wagtail_umap/blocks/map_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        map_ = value.get("map")
        parent_context = parent_context or {}
        context.update(
            map_on_page_context(
                map_,
                request=parent_context.get("request"),
                page=parent_context.get("page"),
                dom_id=page_dom_id(parent_context, f"umap-{map_.pk}") if map_ else None,
                height=value.get("height"),
                caption=value.get("caption", ""),
            )
        )
        return context


class PointBlock(GeoWidgetLeafletBlock):
    """wagtail-geo-widget's point picker, drawn with our Leaflet and our basemap."""

    @cached_property
    def field(self):
        widget = LocationWidget(
            srid=4326,
            id_prefix="",
            address_field=self.address_field,
            zoom_field=self.zoom_field,
            hide_latlng=self.hide_latlng,
        )
        return forms.CharField(widget=widget, **self.field_options)

    def clean(self, value):
        value = super().clean(value)
        if value:
            point_feature(value)  # raises ValidationError on a bad position
        return value


def point_feature(point: dict, properties: dict | None = None) -> dict:
    """A validated GeoJSON point feature from wagtail-geo-widget's ``{"lat", "lng"}`` value."""
    if isinstance(point, str):
        parsed = geosgeometry_str_to_struct(point) or {}
        point = {"lat": parsed.get("y"), "lng": parsed.get("x")}
    try:
        position = [float(point["lng"]), float(point["lat"])]
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError(gettext("Enter a position as latitude and longitude.")) from error
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": position},
        "properties": properties or {},
    }
    try:
        return validate_features([feature])[0]
    except MapDocumentError as error:
        raise ValidationError(error.messages(gettext)) from error


class LocationBlock(blocks.StructBlock):
    """One place with its address (a town hall, a school), shown by the same map viewer."""

    name = blocks.CharBlock(label=_("Name of the place"), max_length=200)
    address = GeoAddressBlock(label=_("Address"), required=False)
    point = PointBlock(label=_("Position"), address_field="address", zoom_field="zoom")
    zoom = blocks.IntegerBlock(
        label=_("Zoom"), required=False, min_value=1, max_value=19, default=16
    )
    description = blocks.TextBlock(
        label=_("Description"), required=False, help_text=_("Opening hours, access, phone…")
    )

    class Meta:
        icon = "site"
        label = _("Location")
        template = "wagtail_umap/blocks/location_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        if value.get("point"):
            dom_id = page_dom_id(parent_context, "umap-location")
            context["viewer_map"] = self.viewer_map(value, dom_id)
        return context

    def viewer_map(self, value, dom_id: str = "umap-location") -> ViewerMap:
        description = "\n".join(filter(None, [value.get("address"), value.get("description")]))
        feature = point_feature(value["point"], {"name": value["name"], "description": description})
        layer = new_layer(value["name"], [feature])
        lng, lat = feature["geometry"]["coordinates"][:2]
        return ViewerMap(
            dom_id=dom_id,
            title=value["name"],
            summary=value.get("address") or value["name"],
            basemap=get_basemap(get_setting("DEFAULT_BASEMAP")),
            center={"lat": lat, "lng": lng},
            zoom=value.get("zoom") or 16,
            # One place: no layers to switch, nothing to search, no view worth a link.
            controls={
                "zoom": True,
                "scale": True,
                "fullscreen": True,
                "layers": False,
                "locate": False,
                "home": True,
                "search": False,
                "permalink": False,
            },
            credits="",
            layers=[
                ViewerLayer(
                    id=layer["id"],
                    name=layer["name"],
                    description="",
                    shown_on_load=True,
                    style={},
                    popup_template="",
                    features=[feature],
                )
            ],
            heading_level=3,
        )
