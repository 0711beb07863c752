"""The ``task`` decorator of the site's task framework: Django's own (``django.tasks``) on
Django 6+, whose backends (django-tasks-db 0.13's database backend among them) check that a task
is one of theirs; Wagtail's django-tasks backport on Django 5.2. And the tasks that belong to no
other module: the warm-up of the pages that show a map after a publish."""

import logging

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

__all__ = ["prewarm_map_pages_task", "task"]

logger = logging.getLogger("wagtail_umap.cache")


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
    if map_ids:
        for visibility in visibilities(Map.objects.filter(pk__in=map_ids), all_uses=True).values():
            wanted.update(use.page_id for use in visibility.uses if use.public)
    rendered = {}
    for page in Page.objects.filter(pk__in=wanted, live=True).specific():
        try:
            rendered[page.pk] = prewarm_page(page)
        except Exception:  # any failure of a page's own template: its visitor will see it
            logger.warning("Warming the maps of page %s failed.", page.pk, exc_info=True)
    return {"pages": len(wanted), "rendered": {str(pk): langs for pk, langs in rendered.items()}}
