"""Purge a map from the frontend cache when it is published, unpublished or deleted.

Through Wagtail's frontend cache (``wagtail.contrib.frontend_cache``), only when the site
configures ``WAGTAILFRONTENDCACHE`` (or ``WAGTAILFRONTENDCACHE_LOCATION``). The URLs purged:

- every live page that shows the map (or one of its translations: a page shows the map in its
  own language), found through Wagtail's reference index: a ``MapBlock`` in a StreamField, the
  ``map`` of a ``MapPage``;
- its embed view;
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
from django.db.models.signals import post_delete, pre_delete, pre_save
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


def map_paths(map_, *, extra_documents=()) -> set[str]:
    """The site-relative paths of a map's own URLs: embed, data and downloads."""
    from wagtail_umap.formats import EXPORT_FORMATS
    from wagtail_umap.models.store import layer_digests

    paths = {_reverse("embed", map_id=map_.pk)}
    digests = layer_digests(map_.document)
    for document in extra_documents:
        digests |= layer_digests(document)
    for digest in digests:
        paths.add(_reverse("layer_data", map_id=map_.pk, digest=digest))
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
    try:
        import swapper

        return swapper.load_model("wagtailcore", "Page")
    except (ImportError, LookupError, ValueError):  # Wagtail 7: no swappable page
        from wagtail.models import Page

        return Page


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


def register_signal_handlers() -> None:
    from wagtail.signals import published, unpublished

    from wagtail_umap.models import Map

    pre_save.connect(remember_live_document, sender=Map, dispatch_uid=DISPATCH_PREFIX + "pre_save")
    published.connect(on_published, sender=Map, dispatch_uid=DISPATCH_PREFIX + "published")
    unpublished.connect(on_unpublished, sender=Map, dispatch_uid=DISPATCH_PREFIX + "unpublished")
    pre_delete.connect(before_delete, sender=Map, dispatch_uid=DISPATCH_PREFIX + "pre_delete")
    post_delete.connect(after_delete, sender=Map, dispatch_uid=DISPATCH_PREFIX + "post_delete")
