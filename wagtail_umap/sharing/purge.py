"""Purge a map from the frontend cache when it is published, unpublished or deleted, and when
who may see it changes: a page that shows it gains or loses a view restriction, is published,
unpublished, moved or deleted (``models.access``, docs/sharing.md).

Through Wagtail's frontend cache (``wagtail.contrib.frontend_cache``), only when the site
configures ``WAGTAILFRONTENDCACHE`` (or ``WAGTAILFRONTENDCACHE_LOCATION``). The URLs purged:

- every live page that shows the map (or one of its translations: a page shows the map in its
  own language), found through Wagtail's reference index: a ``MapBlock`` in a StreamField, the
  ``map`` of a ``MapPage``;
- its embed view and its print view;
- its data URLs, for the layer data of the new version and of the version it replaces (a data
  URL is served only while a live map uses it);
- its download URLs, whole map and each layer, in every format.

Paths that are not pages are purged on every host of the Wagtail sites (``Site.root_url``),
since the package's URLs answer on each of them.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.urls import NoReverseMatch, reverse

DISPATCH_PREFIX = "wagtail_umap.purge."


def frontend_cache_configured() -> bool:
    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


def _reverse(route: str, **kwargs) -> str | None:
    try:
        return reverse(f"wagtail_umap:{route}", kwargs=kwargs)
    except NoReverseMatch:  # a site without that URL (e.g. an older urls.py): nothing to purge
        return None


def _tiles_editions(map_id: int, digests: set[str]) -> set[str | None]:
    """The archives' URLs as the viewer reads them, with their edition (``?v=``): a cache
    keeps each apart (one query, none without a digest)."""
    from wagtail_umap.models.vector_tiles import VectorTiles, edition

    if not digests:
        return set()
    rows = VectorTiles.objects.filter(layer_data_id__in=digests).values_list(
        "layer_data_id", "keys"
    )
    paths = set()
    for digest, keys in rows:
        path = _reverse("layer_tiles", map_id=map_id, digest=digest)
        paths.add(f"{path}?v={edition(keys or [])}" if path else None)
    return paths


def map_paths(map_, *, extra_documents=()) -> set[str]:
    """The site-relative paths of a map's own URLs: embed, print, data (and vector tiles) and
    downloads."""
    from wagtail_umap.formats import EXPORT_FORMATS
    from wagtail_umap.models.store import layer_digests

    paths = {_reverse("embed", map_id=map_.pk), _reverse("print", map_id=map_.pk)}
    digests = layer_digests(map_.document)
    for document in extra_documents:
        digests |= layer_digests(document)
    for digest in digests:
        paths.add(_reverse("layer_data", map_id=map_.pk, digest=digest))
        paths.add(_reverse("layer_tiles", map_id=map_.pk, digest=digest))  # its vector tiles
    paths |= _tiles_editions(map_.pk, digests)
    layer_ids = {layer["id"] for layer in map_.layers if layer.get("id")}
    for document in extra_documents:
        layer_ids |= {layer["id"] for layer in document.get("layers", []) if "id" in layer}
    for format_name in EXPORT_FORMATS:
        paths.add(_reverse("download_map", map_id=map_.pk, format_name=format_name))
        for layer_id in layer_ids:
            paths.add(
                _reverse(
                    "download_layer", map_id=map_.pk, layer_id=layer_id, format_name=format_name
                )
            )
    paths.discard(None)
    return paths


def _page_model():
    from wagtail_umap.models.access import page_model

    return page_model()


def pages_showing(map_) -> list:
    """The live pages that show ``map_`` or one of its translations (reference index)."""
    from wagtail.models import ReferenceIndex

    Page = _page_model()
    maps = [map_]
    if getattr(map_, "translation_key", None) and map_.pk:
        maps += list(
            type(map_).objects.filter(translation_key=map_.translation_key).exclude(pk=map_.pk)
        )
    page_ids = set()
    for one in maps:
        references = ReferenceIndex.get_references_to(one)
        for content_type_id, object_id in references.values_list(
            "base_content_type_id", "object_id"
        ).distinct():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is not None and issubclass(model, Page):
                page_ids.add(object_id)
    if not page_ids:
        return []
    return list(Page.objects.live().filter(pk__in=page_ids).specific(defer=True))


def site_root_urls() -> list[str]:
    from wagtail.models import Site

    roots = sorted({site.root_url for site in Site.objects.all()})
    if not roots and getattr(settings, "WAGTAILADMIN_BASE_URL", None):
        roots = [settings.WAGTAILADMIN_BASE_URL.rstrip("/")]
    return roots


def urls_to_purge(map_, *, extra_documents=()) -> set[str]:
    """Every full URL that shows ``map_`` or serves its data."""
    urls = set()
    for page in pages_showing(map_):
        page_url = page.get_full_url()
        if page_url:
            urls.update(page_url + path.lstrip("/") for path in page.get_cached_paths())
    roots = site_root_urls()
    for path in map_paths(map_, extra_documents=extra_documents):
        urls.update(urljoin(root + "/", path.lstrip("/")) for root in roots)
    return urls


def purge_map(map_, *, extra_documents=()) -> set[str]:
    """Purge a map's pages and URLs from the frontend cache; returns the URLs purged."""
    if not frontend_cache_configured() or not map_.pk:
        return set()
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = urls_to_purge(map_, extra_documents=extra_documents)
    purge_urls_from_cache(sorted(urls))
    return urls


# Signal handlers


def remember_live_document(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a map's row changes, keep the document the public saw (its data URLs go)."""
    if raw or not instance.pk or not frontend_cache_configured():
        return
    if update_fields is not None and "document" not in update_fields:
        return  # e.g. a draft: Wagtail only updates the row's revision pointers
    previous = (
        sender.objects.filter(pk=instance.pk, live=True).values_list("document", flat=True).first()
    )
    if previous is not None and previous != instance.document:
        instance._wagtail_umap_previous_document = previous


def on_published(sender, instance, **kwargs):
    previous = getattr(instance, "_wagtail_umap_previous_document", None)
    purge_map(instance, extra_documents=[previous] if previous else [])
    instance.__dict__.pop("_wagtail_umap_previous_document", None)


def on_unpublished(sender, instance, **kwargs):
    purge_map(instance)


def before_delete(sender, instance, **kwargs):
    """Collect the URLs while the map and the references to it still exist."""
    if frontend_cache_configured() and instance.live:
        instance._wagtail_umap_purge_urls = urls_to_purge(instance)


def after_delete(sender, instance, **kwargs):
    urls = getattr(instance, "_wagtail_umap_purge_urls", None)
    if urls:
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(sorted(urls))


# Who may see a map changes with the pages that show it


def maps_shown_by(page, *, descendants: bool = False) -> list:
    """The live maps ``page`` (and, with ``descendants``, the pages below it) shows, with their
    translations: a map and its translations are seen by the same people (models.access)."""
    from wagtail.models import ReferenceIndex

    from wagtail_umap.models import Map

    Page = _page_model()
    pages = (
        Page.objects.filter(path__startswith=page.path)
        if descendants
        else Page.objects.filter(pk=page.pk)
    )
    map_ids = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=pages.values(text_pk=Cast("pk", output_field=CharField())),
        to_content_type=ContentType.objects.get_for_model(Map),
    ).values_list("to_object_id", flat=True)
    keys = Map.objects.filter(pk__in={int(pk) for pk in map_ids}).values("translation_key")
    return list(Map.objects.live().filter(translation_key__in=keys))


def purge_maps_of(page, *, descendants: bool = False, also=()) -> None:
    """Once the transaction commits, purge the maps ``page`` shows (and the maps ``also``): the
    cache must not keep a public copy of what has just become private."""
    if not frontend_cache_configured() or page is None or not page.pk:
        return
    maps = {map_.pk: map_ for map_ in [*also, *maps_shown_by(page, descendants=descendants)]}
    if maps:
        transaction.on_commit(lambda: [purge_map(map_) for map_ in maps.values()])


def on_restriction_changed(sender, instance, **kwargs):
    """A page gained, changed or lost a view restriction: it covers the pages below it too."""
    if kwargs.get("raw"):
        return
    page = _page_model().objects.filter(pk=instance.page_id).first()
    purge_maps_of(page, descendants=True)


def remember_maps_of_live_page(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a live page's content changes (a publish saves the whole row; a draft only its
    revision pointers), keep the maps it showed: one it no longer shows may become private."""
    if raw or update_fields is not None or not frontend_cache_configured():
        return
    if isinstance(instance, _page_model()) and instance.pk and instance.live:
        instance._wagtail_umap_maps_before = maps_shown_by(instance)


def on_page_published(sender, instance, **kwargs):
    purge_maps_of(instance, also=instance.__dict__.pop("_wagtail_umap_maps_before", ()))


def on_page_moved(sender, instance, **kwargs):
    purge_maps_of(instance, descendants=True)  # under other ancestors, other restrictions


def before_page_delete(sender, instance, **kwargs):
    if isinstance(instance, _page_model()):
        purge_maps_of(instance)  # collected now: the references go with the page


def register_signal_handlers() -> None:
    from wagtail.models import PageViewRestriction
    from wagtail.signals import (
        page_published,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    )

    from wagtail_umap.models import Map

    for signal, handler, name in [
        (post_save, on_restriction_changed, "restriction_saved"),
        (post_delete, on_restriction_changed, "restriction_deleted"),
    ]:
        signal.connect(handler, sender=PageViewRestriction, dispatch_uid=DISPATCH_PREFIX + name)
    pre_save.connect(remember_maps_of_live_page, dispatch_uid=DISPATCH_PREFIX + "page_pre_save")
    page_published.connect(on_page_published, dispatch_uid=DISPATCH_PREFIX + "page_published")
    page_unpublished.connect(on_page_published, dispatch_uid=DISPATCH_PREFIX + "page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid=DISPATCH_PREFIX + "page_moved")
    pre_delete.connect(before_page_delete, dispatch_uid=DISPATCH_PREFIX + "page_pre_delete")

    pre_save.connect(remember_live_document, sender=Map, dispatch_uid=DISPATCH_PREFIX + "pre_save")
    published.connect(on_published, sender=Map, dispatch_uid=DISPATCH_PREFIX + "published")
    from wagtail_umap.models.remote import remote_data_applied  # a live layer's new data

    remote_data_applied.connect(on_published, sender=Map, dispatch_uid=DISPATCH_PREFIX + "remote")
    unpublished.connect(on_unpublished, sender=Map, dispatch_uid=DISPATCH_PREFIX + "unpublished")
    pre_delete.connect(before_delete, sender=Map, dispatch_uid=DISPATCH_PREFIX + "pre_delete")
    post_delete.connect(after_delete, sender=Map, dispatch_uid=DISPATCH_PREFIX + "post_delete")
