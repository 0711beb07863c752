"""Publishing a map page publishes its map too, when the page's editor ticked the offer
(``models/page_panel.py``): the map's latest revision is published, or, when the map is under a
workflow, submitted to it (Wagtail's workflow then decides). Called by the ``after_publish_page``
hook; the editor is told in Wagtail's messages what became of the map."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from wagtail_umap.models import MapPageMixin
from wagtail_umap.models.page_panel import AUTO, PUBLISH_FIELD, map_offer


def publish_map_with_page(request, page) -> None:
    page = page.specific
    wanted = request.method == "POST" and request.POST.get(PUBLISH_FIELD)
    map_ = getattr(page, "map", None) if isinstance(page, MapPageMixin) else None
    if not wanted or map_ is None or not page.live:
        return
    map_ = type(map_).objects.get(pk=map_.pk)
    offer = map_offer(map_, request.user)
    title = map_.latest_revision.object_str if map_.latest_revision else map_.title
    if wanted == AUTO and not offer.action:
        if not map_.live or map_.has_unpublished_changes:
            messages.warning(request, offer.status)  # why the map was left as it is
        return
    if (offer.action != wanted and wanted != AUTO) or map_.latest_revision is None:
        # Offered on the form, but no longer possible (locked, a workflow started meanwhile…).
        messages.warning(
            request,
            gettext("The map “%(title)s” was not published with the page: %(status)s")
            % {"title": title, "status": offer.status},
        )
        return
    if offer.action == "submit":
        map_.get_workflow().start(map_, request.user)
        messages.success(
            request,
            gettext("Map “%(title)s” submitted to its workflow “%(workflow)s”.")
            % {"title": title, "workflow": offer.workflow},
        )
        return
    try:
        map_.latest_revision.publish(user=request.user)
    except PermissionDenied:
        messages.warning(
            request,
            gettext("The map “%(title)s” was not published: you may not publish maps.")
            % {"title": title},
        )
        return
    messages.success(
        request, gettext("Map “%(title)s” published with the page.") % {"title": title}
    )
