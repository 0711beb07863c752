"""StreamField blocks that put maps on pages: a Map snippet, or one place with its address.

A block says what to show; its template draws it with the viewer's ``{% umap_map %}`` and
``{% umap_location %}`` tags. The place picker is wagtail-geo-widget's, without its requests to
other domains: its stock widget loads Leaflet from a CDN and draws OpenStreetMap tiles; here it
takes Leaflet from django-leaflet's static files and draws the site's default basemap.
"""

from __future__ import annotations

import copy

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
from wagtailgeowidget.widgets import LeafletField, LeafletFieldAdapter

try:  # Wagtail 7.1+
    from wagtail.admin.telepath import register
except ImportError:  # pragma: no cover - Wagtail 7.0
    from wagtail.telepath import register

from leaflet import app_settings as leaflet_settings

from wagtail_umap import safe_cache
from wagtail_umap.conf import get_default_basemap, get_setting
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.core.validation import validate_features

MIN_HEIGHT, MAX_HEIGHT = 200, 1200
RESTRICTED_PAGES = "_wagtail_umap_restricted_pages"  # on the request: page pk → restricted


def map_on_page_context(map_, *, request, page=None, **viewer_options) -> dict:
    """What a page shows of a chosen map: the live map (drawn by ``{% umap_map %}`` with
    ``umap_options``); in a preview, a notice for the editor when the map is not published;
    otherwise nothing."""
    if map_ is None:
        return {}
    # The map in the page's language when that translation is published, else a published
    # version of it (a draft translation falls back to the source map). Read with the page's
    # other maps: a page costs the same queries whatever the number of its maps.
    map_ = map_.get_live_on_page(request, page) or map_
    if map_.live:
        access = map_.access_for(request)
        for_some_visitors = getattr(request, "is_preview", False) or _is_restricted(page, request)
        # A page anyone may see links the map's own URLs (large layers' data URLs, downloads)
        # when the map is public: its HTML is the same for every visitor and may be cached. A
        # page for some visitors only (restricted, or a preview) links them when this visitor
        # may open them (docs/sharing.md): its large layers load from data URLs that answer
        # them privately. Otherwise (say, the reference index does not know this page yet),
        # every layer travels in the page and no URL is offered.
        links = access.allowed if for_some_visitors else access.public
        return {
            "umap_map": map_,
            "umap_options": {"inline_data": not links, **viewer_options},
            # oEmbed discovery: a public page of a public map only.
            "map_is_public": access.public and not for_some_visitors,
        }
    if getattr(request, "is_preview", False):
        notice = gettext("The map “%(title)s” is not published: the public will not see it here.")
        return {"editor_notice": notice % {"title": map_.title}}
    return {}


def _is_restricted(page, request) -> bool:
    """Whether a view restriction guards ``page`` (or an ancestor), asked once per request."""
    if page is None:
        return False
    if request is None:
        return page.get_view_restrictions().exists()
    # models/page_maps.py fills it with the page's other facts, kept across requests.
    known = request.__dict__.setdefault(RESTRICTED_PAGES, {})
    if page.pk not in known:
        known[page.pk] = page.get_view_restrictions().exists()
    return known[page.pk]


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


class MapChooserBlock(SnippetChooserBlock):
    """Wagtail's chooser of a Map snippet, whose rows a page reads from Django's cache, kept
    under the generation that every change of a map renews (``safe_cache.generation``): a warm
    page reads no row of its maps. Deconstructed as Wagtail's own block, so that the migrations
    of the pages that use it do not change."""

    ROWS_PREFIX = "wagtail_umap:map-rows:1:"

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.snippets.blocks.SnippetChooserBlock", args, kwargs

    def bulk_to_python(self, values):
        wanted = sorted({value for value in values if value is not None}, key=str)
        timeout = safe_cache.generation_timeout(get_setting("VIEWER_CACHE_TIMEOUT"))
        if not wanted or not timeout:
            return super().bulk_to_python(values)
        key = f"{self.ROWS_PREFIX}{safe_cache.generation()}:{','.join(map(str, wanted))}"
        rows = safe_cache.get_generational(key, timeout)
        if not isinstance(rows, dict):
            rows = self.model_class.objects.in_bulk(wanted)
            safe_cache.set_generational(key, rows, timeout)
        result, seen = [], set()
        for value in values:
            row = rows.get(value)
            # Each use its own instance, as Wagtail gives them (a page may choose a map twice).
            result.append(copy.copy(row) if row is not None and value in seen else row)
            seen.add(value)
        return result


class MapBlock(blocks.StructBlock):
    """A published Map on any page, with per-use height and caption."""

    map = MapChooserBlock("wagtail_umap.Map", label=_("Map"))
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


def default_location() -> dict:
    lat, lng = leaflet_settings["DEFAULT_CENTER"]
    return {"lat": lat, "lng": lng}


class LocationWidget(LeafletField):
    @cached_property
    def media(self):
        return forms.Media(
            css={"all": ("leaflet/leaflet.css", "wagtailgeowidget/css/leaflet-field.css")},
            js=(
                "leaflet/leaflet.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LocationWidgetAdapter(LeafletFieldAdapter):
    def js_args(self, widget):
        args = super().js_args(widget)
        basemap = get_default_basemap()
        args[-1] = {
            **args[-1],
            "defaultLocation": default_location(),
            "tileLayer": basemap["url"],
            "tileLayerOptions": {
                "attribution": basemap["attribution"],
                "maxZoom": basemap["max_zoom"],
                "referrerPolicy": basemap["referrer_policy"],
            },
        }
        return args


register(LocationWidgetAdapter(), LocationWidget)


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
            context["umap_location"] = self.place(value)
            context["umap_dom_id"] = page_dom_id(parent_context, "umap-location")
        return context

    def place(self, value) -> dict:
        """The place as the viewer's ``{% umap_location %}`` tag takes it."""
        description = "\n".join(filter(None, [value.get("address"), value.get("description")]))
        return {
            "name": value["name"],
            "feature": point_feature(
                value["point"], {"name": value["name"], "description": description}
            ),
            "summary": value.get("address") or value["name"],
            "zoom": value.get("zoom") or 16,
        }
