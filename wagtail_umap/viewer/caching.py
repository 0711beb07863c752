"""Conditional responses (a client that holds the current version gets a 304 and no body), and
the generation of what a page's maps are built from besides their content (cross-request keys),
and the warm-up of the pages that show a map after a publish (its task lives here: a model
never imports the viewer, tests/test_architecture.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

from wagtail_umap import safe_cache
from wagtail_umap.models.tasks import task

logger = logging.getLogger("wagtail_umap.cache")


def has_current_version(request: HttpRequest, etag: str) -> bool:
    """Whether the client's If-None-Match names ``etag`` (any encoding of it, see
    :func:`encoded_etag`): its copy is current, whatever the encoding it came in."""
    header = request.headers.get("If-None-Match", "")
    return f'"{etag}"' in header or f'"{etag}-' in header


def encoded_etag(etag: str, encoding: str) -> str:
    """A strong ETag per representation, as HTTP asks: ``"<etag>"``, ``"<etag>-gzip"``…"""
    return f'"{etag}"' if encoding == "identity" else f'"{etag}-{encoding}"'


def etag_response(
    request: HttpRequest,
    etag: str,
    build: Callable[[], HttpResponse],
    *,
    encoding: str = "identity",
    **cache_control,
) -> HttpResponse:
    """``build()``'s response with ``etag``, or a 304 when the client already has it: then
    ``build`` is never called, so nothing is read from the database. ``encoding`` names the
    representation in the ETag; ``build`` may set its own ETag when it chose another."""
    if has_current_version(request, etag):
        response = HttpResponseNotModified()
    else:
        response = build()
        response["X-Content-Type-Options"] = "nosniff"
    response.setdefault("ETag", encoded_etag(etag, encoding))
    patch_cache_control(response, public=True, **cache_control)
    return response


# The generation of the cached page facts and HTML (``safe_cache.generation``): renewed by these
# signal handlers.


def _bump_after_reference_index(sender, task_result=None, **_kwargs) -> None:
    """Wagtail updates its reference index (which pages show a map) in a task: when it has."""
    task = getattr(task_result, "task", None)
    if "reference_index" in str(getattr(task, "name", "")):
        safe_cache.bump_generation(safe_cache.PAGES)


# The rows that say which version of a map a page shows and who may see it ("pages"), and
# those a map's HTML is built from besides its own row ("viewer"); the layers' data is
# content-addressed and needs neither.
PAGES_MODELS = (
    "wagtailcore.PageViewRestriction",
    # Its rows are deleted with signals once someone listens (added in bulk, without: the page
    # saved before, and the end of the index task, renew the generation then).
    "wagtailcore.ReferenceIndex",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtail_umap.Map",
)
VIEWER_MODELS = (
    "wagtail_umap.CustomBasemap",
    "wagtail_umap.BasemapSettings",
    "wagtail_umap.VectorTiles",
    "wagtail_umap.RemoteLayer",
)


def _bump(**_signal_arguments) -> None:
    safe_cache.bump_generation(safe_cache.PAGES)


def _bump_viewer(**_signal_arguments) -> None:
    safe_cache.bump_generation(safe_cache.VIEWER)


def register_signal_handlers() -> None:
    """Draw a new generation whenever a watched row changes (any page model: each subclass of
    Page sends its own signals; the site's settings models), a page is published, unpublished
    or moved, a restriction's groups change, or Wagtail's reference index task is done."""
    from django.apps import apps
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    pages = {apps.get_model(label) for label in PAGES_MODELS if _installed(apps, label)}
    viewer = {apps.get_model(label) for label in VIEWER_MODELS if _installed(apps, label)}
    for model in apps.get_models():
        if model in pages or issubclass(model, Page):
            handler = _bump
        elif model in viewer or _is_site_setting(model):
            handler = _bump_viewer
        else:
            continue
        uid = f"wagtail_umap_generation_{model._meta.label}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=uid)
    restriction = apps.get_model("wagtailcore.PageViewRestriction")
    m2m_changed.connect(
        _bump, sender=restriction.groups.through, dispatch_uid="wagtail_umap_gen_m2m"
    )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_bump, dispatch_uid="wagtail_umap_generation_pages")
    # After the generation's renewal above (receivers run in the order they were connected).
    register_prewarm()
    try:
        from django_tasks.signals import task_finished
    except ImportError:  # pragma: no cover - a Wagtail without django-tasks
        return
    task_finished.connect(_bump_after_reference_index, dispatch_uid="wagtail_umap_gen_tasks")


# The first render of a new version, off the visitor's request: once a publish commits, a task
# renders the live public pages that show the map (``viewer.render.prewarm_page``).

PREWARM_UID = "wagtail_umap_prewarm"


def prewarm_after_commit(*, page_ids: list[int] = (), map_ids: list[int] = ()) -> None:
    """Enqueue the warm-up once the current transaction commits: the task (a worker, or the
    immediate backend at the end of the publish's request) reads the committed versions and
    the renewed generations."""
    transaction.on_commit(
        lambda: prewarm_map_pages_task.enqueue(page_ids=list(page_ids), map_ids=list(map_ids))
    )


@task()
def prewarm_map_pages_task(
    page_ids: list[int] | None = None, map_ids: list[int] | None = None
) -> dict:
    """Render, as an anonymous visitor would, the live public pages ``page_ids`` and those that
    show the maps ``map_ids`` (or a translation of them), so that the first visitor after a
    publish finds the maps' HTML in the cache (``viewer.render.prewarm_page``). A page that
    fails is logged and left to its first visitor: the warm-up is an optimisation."""
    from wagtail.models import Page

    from wagtail_umap.models.access import visibilities
    from wagtail_umap.models.map import Map
    from wagtail_umap.viewer.render import prewarm_page

    wanted = set(page_ids or ())
    rendered = {}
    try:
        if map_ids:
            maps = Map.objects.filter(pk__in=map_ids)
            for visibility in visibilities(maps, all_uses=True).values():
                wanted.update(use.page_id for use in visibility.uses if use.public)
        pages = list(Page.objects.filter(pk__in=wanted, live=True).specific())
    except Exception:  # the immediate backend runs in the publish's request: never break it
        logger.warning("Finding the pages to warm up failed.", exc_info=True)
        pages = []
    for page in pages:
        try:
            rendered[page.pk] = prewarm_page(page)
        except Exception:  # any failure of a page's own template: its visitor will see it
            logger.warning("Warming the maps of page %s failed.", page.pk, exc_info=True)
    return {"pages": len(wanted), "rendered": {str(pk): langs for pk, langs in rendered.items()}}


def _prewarm_published_page(sender, instance=None, **_kwargs) -> None:
    if instance is not None and instance.pk:
        prewarm_after_commit(page_ids=[instance.pk])


def _prewarm_published_map(sender, instance=None, **_kwargs) -> None:
    if instance is not None and instance.pk:
        prewarm_after_commit(map_ids=[instance.pk])


def register_prewarm() -> None:
    """Warm up the pages of a map when it is published, and a page when it is published."""
    from wagtail.signals import page_published, published

    from wagtail_umap.models.map import Map

    page_published.connect(_prewarm_published_page, dispatch_uid=PREWARM_UID + "_page")
    published.connect(_prewarm_published_map, sender=Map, dispatch_uid=PREWARM_UID + "_map")


def _installed(apps, label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _is_site_setting(model) -> bool:
    """The site's own settings (wagtail.contrib.settings): our defaults may read them."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    return issubclass(model, (BaseGenericSetting, BaseSiteSetting))
