"""The editor's side of live layers (docs/live-data.md): a layer's source state and its
"Update now" button.

``GET`` answers the state of a layer's source (its address, last fetch, last error in the
editor's language); ``POST`` (JSON ``{"url", "format", "refresh", "name"}``, the layer's
settings as the editor holds them, saved or not) enqueues a fetch and answers ``202`` with
the state; the editor polls ``GET ?features=1`` until the attempt is recorded, then puts the
fetched features in its layer (an undoable edit of the draft). A fetch made here reaches the
public map only through the live version's own settings (``models/remote.py``).
"""

from __future__ import annotations

import json
import re

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.permission_policies import ModelPermissionPolicy

from wagtail_umap.conf import get_setting
from wagtail_umap.core.errors import IssueCollector, Location
from wagtail_umap.core.schema.options import LAYER_ID_PATTERN, REFRESH_CHOICES, REMOTE_FORMATS
from wagtail_umap.core.validation_remote import remote_data
from wagtail_umap.models import Map
from wagtail_umap.models.remote import RemoteLayer, enqueue, sync_layer


def remote_editor_config(map_id: int | None) -> dict:
    """What the editor's live data panel needs: its endpoint, choices and texts."""
    return {
        "url": reverse("wagtail_umap_editor_remote", args=[map_id, "LAYER"]) if map_id else "",
        "enabled": bool(get_setting("REMOTE_DATA_HOSTS")),
        "formats": list(REMOTE_FORMATS),
        "refresh": list(REFRESH_CHOICES),
        "strings": remote_strings(),
    }


def remote_strings() -> dict[str, str]:
    return {
        "legend": gettext("Live data"),
        "hint": gettext(
            "The server fetches the layer's features from this address and stores each "
            "version with the map; visitors never call that address. Only the hosts the "
            "site's administrators allow are fetched."
        ),
        "off": gettext(
            'No host is allowed on this site (WAGTAIL_UMAP["REMOTE_DATA_HOSTS"]): live data '
            "is kept but not fetched."
        ),
        "url": gettext("Address of the data (https://…)"),
        "format": gettext("Format"),
        "refresh": gettext("Update"),
        "refresh_0": gettext("Only when the map is saved or on request"),
        "refresh_300": gettext("Every 5 minutes"),
        "refresh_900": gettext("Every 15 minutes"),
        "refresh_3600": gettext("Every hour"),
        "refresh_21600": gettext("Every 6 hours"),
        "refresh_86400": gettext("Every day"),
        "now": gettext("Update now"),
        "never": gettext("Not fetched yet."),
        "last": gettext("Last update: %(when)s (%(count)s features)."),
        "fetching": gettext("Fetching the data…"),
        "fetched": gettext("Data updated: %(count)s features."),
        "failed": gettext("The last update failed: %(error)s"),
        "unsaved": gettext("Save the map once to fetch its live data here."),
        "changed": gettext("Live data of the layer"),
        "replaced": gettext("Features updated from the live data"),
    }


def remote_layer(request: HttpRequest, map_id: int, layer_id: str) -> JsonResponse:
    map_ = get_object_or_404(Map, pk=map_id)
    if not ModelPermissionPolicy(Map).user_has_permission_for_instance(
        request.user, "change", map_
    ):
        return JsonResponse({"errors": [gettext("You may not change this map.")]}, status=403)
    if not _valid_layer_id(layer_id):
        return JsonResponse({"errors": [gettext("Unknown layer.")]}, status=404)
    if request.method == "POST":
        return _refresh_now(request, map_, layer_id)
    state = RemoteLayer.objects.filter(map=map_, layer_id=layer_id).first()
    if state is None:
        return JsonResponse({"state": None})
    return JsonResponse({"state": state.as_json(features=request.GET.get("features") == "1")})


def _valid_layer_id(layer_id: str) -> bool:
    return re.fullmatch(LAYER_ID_PATTERN, layer_id) is not None


def _refresh_now(request: HttpRequest, map_: Map, layer_id: str) -> JsonResponse:
    try:
        posted = json.loads(request.body or b"{}")
    except ValueError:
        posted = None
    if not isinstance(posted, dict):
        return JsonResponse({"errors": [gettext("Bad request.")]}, status=400)
    issues = IssueCollector()
    name = posted.get("name") if isinstance(posted.get("name"), str) else ""
    where = Location(layer_name=name or None)
    source = {key: posted.get(key) for key in ("url", "format", "refresh") if key in posted}
    cleaned = remote_data(_Item, {"remote_data": source}, where, issues)
    if issues.issues or cleaned is None:
        return JsonResponse(
            {"errors": [issue.render(gettext) for issue in issues.issues]}, status=400
        )
    state, _changed = sync_layer(map_.pk, {"id": layer_id, "name": name, **cleaned})
    enqueue(state)  # with the immediate backend, done when this returns
    state.refresh_from_db()
    return JsonResponse({"state": state.as_json(features=True)}, status=202)


class _Item:
    key = "remote_data"
