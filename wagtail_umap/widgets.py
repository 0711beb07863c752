"""wagtail-geo-widget's Leaflet point picker, without its requests to other domains.

Its stock widget loads Leaflet from a CDN and draws OpenStreetMap tiles. Here it takes Leaflet
from django-leaflet's static files and draws the site's default basemap, so the admin loads no
script from another domain and the basemap is the one the site chose.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import cached_property
from wagtailgeowidget.widgets import LeafletField, LeafletFieldAdapter

try:  # Wagtail 7.1+
    from wagtail.admin.telepath import register
except ImportError:  # pragma: no cover - Wagtail 7.0
    from wagtail.telepath import register

from leaflet import app_settings as leaflet_settings

from wagtail_umap.conf import get_basemap, get_setting


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
        basemap = get_basemap(get_setting("DEFAULT_BASEMAP"))
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
