"""Starting points of a new map: a first named layer, its markers and popups, and the
controls that suit the everyday maps of a commune, so a newcomer starts drawing at once.

Each new map also opens on the view the webmaster set in the "New maps" settings (the
commune), instead of all of France.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy

from wagtail_umap.core.document import DEFAULT_CONTROLS, new_layer
from wagtail_umap.models.map import empty_stored_document
from wagtail_umap.models.site_settings import settings_for_request

BLANK = "blank"


@dataclass(frozen=True)
class StartingPoint:
    key: str
    label: str
    help_text: str
    layer_name: str = ""
    layer_options: dict = field(default_factory=dict)
    controls: dict = field(default_factory=dict)


STARTING_POINTS = (
    StartingPoint(
        "event",
        gettext_lazy("Event: places with a photo"),
        gettext_lazy("A layer of places whose popup shows the name, description and photo."),
        gettext_lazy("Places of the event"),
        {"style": {"color": "#6a3d9a", "marker_shape": "pin"}, "popup_layout": "default"},
        {"fullscreen": True, "home": True, "locate": True},
    ),
    StartingPoint(
        "works",
        gettext_lazy("Road works"),
        gettext_lazy("A layer of work sites: draw a line or an area for each one."),
        gettext_lazy("Work sites"),
        {
            "style": {"color": "#b35900", "weight": 6, "pictogram": "🚧"},
            "popup_template": "# {name}\n{description}",
        },
        {"home": True, "search": True},
    ),
    StartingPoint(
        "polling",
        gettext_lazy("Polling stations"),
        gettext_lazy("A layer of polling stations, with an address search for voters."),
        gettext_lazy("Polling stations"),
        {"style": {"color": "#1f5fa8", "pictogram": "🗳"}, "popup_layout": "table"},
        {"search": True, "home": True, "locate": True},
    ),
    StartingPoint(
        BLANK,
        gettext_lazy("Blank map"),
        gettext_lazy("No layer yet: the first drawing makes one."),
    ),
)


def starting_point(key: str | None) -> StartingPoint:
    """The starting point called ``key``; the blank map for an unknown or missing key."""
    return next((p for p in STARTING_POINTS if p.key == key), STARTING_POINTS[-1])


def starting_document(key: str | None, request=None) -> dict:
    """A new map's stored document: the starting point's layer and controls, on the site's
    default view (its "New maps" settings) when one is set."""
    point = starting_point(key)
    document = empty_stored_document()
    options = document["options"]
    site_settings = settings_for_request(request) if request is not None else None
    if site_settings and (view := site_settings.default_view()):
        options.update(view)
    options["controls"] = {**DEFAULT_CONTROLS, **options.get("controls", {}), **point.controls}
    if point.layer_name:
        document["layers"] = [new_layer(gettext(point.layer_name), **point.layer_options)]
    return document
