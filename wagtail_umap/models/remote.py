"""Live data layers: a layer whose features the server fetches from a URL (docs/live-data.md).

A layer's ``remote_data`` (``{"url", "format", "refresh"}``) is part of the map document, so it
is drafted, reviewed and published like everything else. What is *fetched* is not: one
``RemoteLayer`` row per map and layer keeps the source's state (its last attempt, its last good
data, its error in the site's languages, when it is due again).

Each fetch (``models/remote_fetch.py``: allowlist, addresses checked after DNS, size and time
limits) goes through the import's reader and validation, and its features are stored in the
content-addressed store like any layer. A failing fetch keeps the last good data.

**How new data reaches the public map.** The live version's reference to the layer's data is
replaced in the Map row (the live version) when the fetched content differs; no revision is
written. Why: a fetch is not an editorial change (the URL and the period are, and they are
versioned); a revision every five minutes would bury the history; and publishing a revision
made by the system would either publish an editor's pending draft (a privacy breach) or make
it look superseded. The Map row's save records the new data URL as live and starts the old
one's grace period (``PublishedLayer``), so pages and embeds open before the refresh still load
their data. Only a layer of the live version whose ``remote_data.url`` is the fetched one is
touched: a URL only a draft names is fetched for its editor (the "Update now" button), its
data stored but never served publicly. After a publish, the last good data of each live
layer is put back at once (the published draft may carry older data).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wagtail_umap.conf import get_import_limits
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.formats import read_map_file
from wagtail_umap.models.remote_fetch import FetchError, fetch
from wagtail_umap.models.tasks import task

logger = logging.getLogger(__name__)

# Sent after a live version's layer data was replaced by a fetch (the frontend cache purges).
remote_data_applied = Signal()

EXTENSIONS = {
    "geojson": ".geojson",
    "csv": ".csv",
    "kml": ".kml",
    "gpx": ".gpx",
    "osm": ".json",  # OpenStreetMap JSON (Overpass's [out:json]), recognised by content
    "georss": ".rss",
}
# A failing source is tried again after its period, but not sooner than this.
RETRY_SECONDS = 300
# A save enqueues a fetch of a layer not tried for this many seconds (autosave is frequent).
SAVE_REFRESH_SECONDS = 60
FAILED = gettext_noop("the fetch failed on the server (logged for its administrators)")
LOCATED = gettext_noop("Live data of the layer “%(layer)s” (%(url)s): %(message)s")


class RemoteLayer(models.Model):
    map = models.ForeignKey(
        "wagtail_umap.Map", on_delete=models.CASCADE, related_name="remote_layers"
    )
    layer_id = models.CharField(_("layer"), max_length=64)
    layer_name = models.CharField(_("layer name"), max_length=255, blank=True)
    url = models.URLField(_("address"), max_length=2000)
    format = models.CharField(_("format"), max_length=16, default="geojson")
    refresh = models.PositiveIntegerField(_("refresh period, seconds"), default=3600)
    next_due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    # The last good data: a layer's ``data`` reference ({"digest", counts}).
    reference = models.JSONField(_("last good data"), null=True, blank=True)
    # The last attempt's error, in each of the site's languages: {"fr": "...", "en": "..."}.
    error = models.JSONField(_("error"), default=dict, blank=True)

    class Meta:
        verbose_name = _("live layer")
        verbose_name_plural = _("live layers")
        constraints = [
            models.UniqueConstraint(fields=["map", "layer_id"], name="wagtail_umap_remote_layer")
        ]

    def __str__(self) -> str:
        return f"{self.map_id}/{self.layer_id} {self.url}"

    def error_text(self) -> str:
        """The last error in the current language (English when the site has no such one)."""
        if not self.error:
            return ""
        language = (translation.get_language() or "en").split("-")[0]
        return self.error.get(language) or self.error.get("en") or next(iter(self.error.values()))

    def as_json(self, *, features: bool = False) -> dict:
        answer = {
            "layer_id": self.layer_id,
            "url": self.url,
            "format": self.format,
            "refresh": self.refresh,
            "last_attempt_at": _iso(self.last_attempt_at),
            "last_success_at": _iso(self.last_success_at),
            "error": self.error_text(),
            "data": self.reference,
        }
        if features and self.reference:
            from wagtail_umap.models.layer_data import LayerData

            row = LayerData.objects.filter(digest=self.reference["digest"]).first()
            answer["features"] = row.features() if row else None
        return answer


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def remote_layers(document: object) -> list[dict]:
    """The live layers of a (stored or full) document: ``[{"id", "name", **remote_data}]``."""
    layers = document.get("layers") if isinstance(document, dict) else None
    found = []
    for layer in layers if isinstance(layers, list) else []:
        remote = layer.get("remote_data") if isinstance(layer, dict) else None
        if isinstance(remote, dict) and remote.get("url") and layer.get("id"):
            found.append({"id": layer["id"], "name": layer.get("name", ""), **remote})
    return found


def sync_layer(map_id: int, layer: dict, *, now=None) -> tuple[RemoteLayer, bool]:
    """The state row of one live layer, created or brought in step with its settings; True
    when its source changed (or is new): it should be fetched now."""
    now = now or timezone.now()
    state, created = RemoteLayer.objects.get_or_create(
        map_id=map_id,
        layer_id=layer["id"],
        defaults={
            "url": layer["url"],
            "format": layer.get("format", "geojson"),
            "refresh": layer.get("refresh", 3600),
            "layer_name": layer.get("name", "")[:255],
        },
    )
    changed = created or (state.url, state.format) != (layer["url"], layer.get("format"))
    fields = {
        "url": layer["url"],
        "format": layer.get("format", "geojson"),
        "refresh": layer.get("refresh", 3600),
        "layer_name": layer.get("name", "")[:255],
    }
    if changed and not created:
        fields.update(reference=None, error={}, last_success_at=None, next_due_at=None)
    if any(getattr(state, key) != value for key, value in fields.items()):
        for key, value in fields.items():
            setattr(state, key, value)
        state.save()
    return state, changed


def is_stale(state: RemoteLayer, now=None) -> bool:
    """Not tried for ``SAVE_REFRESH_SECONDS``: a save fetches it again."""
    now = now or timezone.now()
    last = state.last_attempt_at
    return last is None or now - last > timedelta(seconds=SAVE_REFRESH_SECONDS)


def on_map_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A save (a draft or a publish): each live layer's state follows its settings and is
    fetched when its source changed or was not tried for a minute; a write of the live
    version gets the last good data back at once."""
    layers = remote_layers(instance.document)
    if not layers or getattr(instance, "_wagtail_umap_remote_applying", False):
        return
    live_written = instance.live and (
        update_fields is None or {"document", "live"} & set(update_fields)
    )
    map_id = instance.pk

    def after_commit() -> None:
        for layer in layers:
            state, changed = sync_layer(map_id, layer)
            if live_written and state.reference:
                apply_to_live(map_id, state.layer_id, state.url, state.reference)
            if changed or is_stale(state):
                enqueue(state)

    transaction.on_commit(after_commit)


def enqueue(state: RemoteLayer) -> None:
    refresh_remote_layer.enqueue(state_id=state.pk)


@task()
def refresh_remote_layer(state_id: int) -> str:
    """Fetch one live layer (the background task; ``refresh`` does the work)."""
    state = RemoteLayer.objects.filter(pk=state_id).first()
    if state is None:
        return "gone"
    return "ok" if refresh(state) else "failed"


def refresh(state: RemoteLayer) -> bool:
    """Fetch, read, validate and store ``state``'s source; on success, make it the layer's
    data (in the live version when it names this source). On failure keep the last good data
    and record the error. True on success."""
    now = timezone.now()
    state.last_attempt_at = now
    try:
        data = fetch(state.url)
        reference = store_fetched(state, data)
    except (FetchError, MapDocumentError) as error:
        state.error = _rendered(state, error)
        state.next_due_at = now + timedelta(seconds=max(state.refresh, RETRY_SECONDS))
        state.save()
        return False
    except Exception:
        logger.exception("wagtail-umap: live layer %s could not be refreshed", state.pk)
        state.error = _rendered(state, FetchError(FAILED))
        state.next_due_at = now + timedelta(seconds=max(state.refresh, RETRY_SECONDS))
        state.save()
        return False
    state.reference, state.error, state.last_success_at = reference, {}, now
    state.next_due_at = now + timedelta(seconds=state.refresh) if state.refresh else None
    state.save()
    apply_to_live(state.map_id, state.layer_id, state.url, reference)
    return True


def store_fetched(state: RemoteLayer, data: bytes) -> dict:
    """The fetched file read as an import is (the same readers and validation, the import
    limits), all its layers' features as one layer, stored: its reference."""
    from wagtail_umap.models import store

    name = f"{state.layer_name or 'remote'}{EXTENSIONS.get(state.format, '.geojson')}"
    result = read_map_file(name, data, get_import_limits())
    features = [f for layer in result.document.get("layers", []) for f in layer["features"]]
    layer = {"name": state.layer_name or state.layer_id, "features": features}
    stored = store.store_imported({"layers": [layer]})
    return stored["layers"][0]["data"]


def _rendered(state: RemoteLayer, error: FetchError | MapDocumentError) -> dict:
    """The error, located (the layer and its address), in each of the site's languages."""
    texts = {}
    languages = {code.split("-")[0] for code, _name in settings.LANGUAGES} | {"en"}
    for language in sorted(languages):
        with translation.override(language):
            if isinstance(error, FetchError):
                message = error.render(gettext)
            else:
                message = " ; ".join(error.messages(gettext))
            texts[language] = gettext(LOCATED) % {
                "layer": state.layer_name or state.layer_id,
                "url": state.url,
                "message": message,
            }
    return texts


def apply_to_live(map_id: int, layer_id: str, url: str, reference: dict) -> bool:
    """Replace the data of the live version's layer ``layer_id`` when it still reads ``url``;
    True when the live version changed."""
    from wagtail_umap.models.map import Map

    with transaction.atomic():
        map_ = Map.objects.select_for_update().filter(pk=map_id, live=True).first()
        if map_ is None or not isinstance(map_.document, dict):
            return False
        layers = []
        changed = False
        for layer in map_.document.get("layers", []):
            remote = layer.get("remote_data") or {}
            current = (layer.get("data") or {}).get("digest")
            if (
                layer.get("id") == layer_id
                and remote.get("url") == url
                and current != reference["digest"]
            ):
                layer = {key: value for key, value in layer.items() if key != "features"}
                layer["data"] = reference
                changed = True
            layers.append(layer)
        if not changed:
            return False
        from wagtail_umap.models.layer_data import LayerData

        LayerData.touch({reference["digest"]})
        map_.document = {**map_.document, "layers": layers}
        map_._wagtail_umap_remote_applying = True
        map_.save(update_fields=["document"])
    remote_data_applied.send(sender=Map, instance=map_)
    return True


def due_states(now=None) -> list[RemoteLayer]:
    """The live layers of live maps whose period has passed (or that were never fetched)."""
    from wagtail_umap.models.map import Map

    now = now or timezone.now()
    due = []
    for map_ in Map.objects.filter(live=True).only("pk", "document").iterator():
        for layer in remote_layers(map_.document):
            if not layer.get("refresh"):
                continue
            state, changed = sync_layer(map_.pk, layer, now=now)
            if changed or state.next_due_at is None or state.next_due_at <= now:
                due.append(state)
    return due


def remote_digests() -> set[str]:
    """The last good data of every live layer (kept by the collection of unused data)."""
    return {
        reference["digest"]
        for reference in RemoteLayer.objects.exclude(reference=None).values_list(
            "reference", flat=True
        )
        if isinstance(reference, dict) and "digest" in reference
    }


def register_signal_handlers() -> None:
    models.signals.post_save.connect(
        on_map_saved, sender="wagtail_umap.Map", dispatch_uid="wagtail_umap.remote_layers"
    )
