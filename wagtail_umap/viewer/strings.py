"""Every text the viewer's scripts show or speak, translated on the server and sent in the
configuration: the script itself holds no user-facing string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext, ngettext


def _plural(forms: Callable[[int], str]) -> dict[str, str]:
    """Both forms with a %(count)s placeholder; the script picks one with Intl.PluralRules.

    ``forms`` calls ngettext with literal strings, so that makemessages extracts them.
    """
    return {"one": forms(1), "other": forms(2)}


def ui_strings() -> dict[str, Any]:
    """Every text the script shows or speaks, translated on the server."""
    return {
        "zoomIn": gettext("Zoom in"),
        "zoomOut": gettext("Zoom out"),
        "close": gettext("Close"),
        "closePopup": gettext("Close this information window"),
        "layers": gettext("Layers"),
        "showOnMap": gettext("Show on the map"),
        "showInList": gettext("Show in the list"),
        "loading": gettext("Loading the map…"),
        "layerError": gettext("The layer “%(name)s” could not be loaded."),
        "layerLoading": gettext("Loading the layer “%(name)s”…"),
        "listLoading": gettext("Loading the list…"),
        "listError": gettext("The list could not be loaded. Try again."),
        "mapError": gettext("The interactive map could not be displayed."),
        "unnamed": gettext("Unnamed feature no. %(number)s"),
        "featuresShown": _plural(
            lambda n: ngettext("%(count)s feature shown", "%(count)s features shown", n)
        ),
        "markerCount": _plural(lambda n: ngettext("%(count)s place", "%(count)s places", n)),
        # Controls
        "fullscreen": gettext("Full screen"),
        "exitFullscreen": gettext("Exit full screen"),
        "home": gettext("Back to the initial view"),
        "locate": gettext("Show my position"),
        "yourPosition": gettext("Your position"),
        "locating": gettext("Looking for your position…"),
        "located": gettext("Your position is shown on the map (accurate to about %(meters)s m)."),
        "locateDenied": gettext("You did not allow the map to know your position."),
        "locateUnavailable": gettext("Your position could not be found."),
        "search": gettext("Search"),
        "searchLabel": gettext("Search for an address"),
        "searchResults": gettext("Addresses found"),
        "searching": gettext("Searching…"),
        "searchEmpty": gettext("No address found."),
        "searchError": gettext("The address search is not available at the moment."),
        "searchSource": gettext("Addresses: %(source)s"),
        "searchMoved": gettext("The map shows “%(label)s”."),
        "print": gettext("Print or save as an image"),
        "basemaps": gettext("Basemaps and overlays"),
        "basemap": gettext("Basemap"),
        "overlays": gettext("Overlays"),
        "opacity": gettext("Opacity of “%(name)s”"),
        "searchCount": _plural(
            lambda n: ngettext("%(count)s address found", "%(count)s addresses found", n)
        ),
        **pan_strings(),
    }


def pan_strings() -> dict[str, Any]:
    """The pan buttons (WCAG 2.2, 2.5.7: no dragging needed) and what they announce."""
    return {
        "pan": gettext("Move the map"),
        "panNorth": gettext("Move the map north"),
        "panSouth": gettext("Move the map south"),
        "panEast": gettext("Move the map east"),
        "panWest": gettext("Move the map west"),
        "panned": gettext("Map moved."),
    }


def cluster_strings() -> dict[str, Any]:
    """A cluster's name says where it is on the map ("17 280 lieux, nord-est de la carte"),
    and opening one says how many places the map now shows."""
    return {
        "clusterAt": gettext("%(places)s, %(where)s"),
        "clusterWhere": {
            "nw": gettext("north-west of the map"),
            "n": gettext("north of the map"),
            "ne": gettext("north-east of the map"),
            "w": gettext("west of the map"),
            "c": gettext("centre of the map"),
            "e": gettext("east of the map"),
            "sw": gettext("south-west of the map"),
            "s": gettext("south of the map"),
            "se": gettext("south-east of the map"),
        },
        "clusterOpened": _plural(
            lambda n: ngettext("%(count)s place shown", "%(count)s places shown", n)
        ),
    }


def viz_strings() -> dict[str, Any]:
    """The texts the data-visualisation scripts show or speak, translated."""

    def plural(forms):
        return {"one": forms(1), "other": forms(2)}

    return {
        "cluster": plural(lambda n: ngettext("%(count)s place", "%(count)s places", n)),
        **cluster_strings(),
        "filters": gettext("Filter the map"),
        "filterFrom": gettext("From"),
        "filterTo": gettext("To"),
        "filterReset": gettext("Show everything"),
        "filtersMap": gettext("All the layers"),
        "filterAll": gettext("All"),
        "filterYes": gettext("Yes"),
        "filterNo": gettext("No"),
        "filtered": plural(
            lambda n: ngettext(
                "%(count)s feature of %(total)s shown", "%(count)s features of %(total)s shown", n
            )
        ),
        "noValue": gettext("No value"),
        "allFields": gettext("All the information"),
        "field": gettext("Field"),
        "value": gettext("Value"),
        "slideshow": gettext("Slideshow"),
        "previous": gettext("Previous step"),
        "next": gettext("Next step"),
        "play": gettext("Play the slideshow"),
        "pause": gettext("Pause the slideshow"),
        "step": gettext("Step %(number)s of %(count)s: %(name)s"),
        "playVideo": gettext("Play the video"),
        "videoNotice": gettext("The video is loaded from %(host)s only when you ask for it."),
        "videoError": gettext("The video could not be loaded."),
        "video": gettext("Video"),
        "transcript": gettext("Transcript"),
        "audio": gettext("Audio"),
        "zoomToSee": gettext("Zoom in to see the layer “%(name)s”."),
        "zoomOutToSee": gettext("Zoom out to see the layer “%(name)s”."),
    }
