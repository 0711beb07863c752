"""An editor's own marker icon, served from the site: a Wagtail image (PNG, JPEG…) as a small
rendition, or a Wagtail document holding an SVG, cleaned by ``formats.svg.clean_svg`` and
served as an image that can neither run a script nor load anything (its own Content Security
Policy). A style names it ``image:<id>`` or ``document:<id>`` (core/pictograms.py); the
viewer asks ``?icon=<that>``. Documents in a collection with view restrictions are not served.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from wagtail_umap.core.pictograms import own_icon
from wagtail_umap.formats.svg import MAX_BYTES, SvgRefused, clean_svg

logger = logging.getLogger(__name__)
IMAGE_FILTER = "max-96x96|format-png"  # markers show icons at 12 to 24 CSS pixels
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_safe
def marker_icon(request: HttpRequest) -> HttpResponse:
    found = own_icon(request.GET.get("icon", ""))
    if found is None:
        raise Http404("not an icon")
    kind, pk = found
    if kind == "image":
        return _image(pk)
    return _document(pk)


def _image(pk: int) -> HttpResponse:
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=pk).first()
    if image is None:
        raise Http404("no such image")
    rendition = image.get_rendition(IMAGE_FILTER)
    response = HttpResponseRedirect(rendition.url)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _document(pk: int) -> HttpResponse:
    from wagtail.documents import get_document_model

    document = get_document_model().objects.filter(pk=pk).select_related("collection").first()
    if document is None or not document.filename.lower().endswith(".svg"):
        raise Http404("no such SVG document")
    if document.collection.get_view_restrictions().exists():
        raise Http404("a private document")
    try:
        with document.file.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
        cleaned = clean_svg(data)
    except (OSError, SvgRefused) as error:
        logger.warning("marker icon from document %s refused: %s", pk, error)
        raise Http404("not a usable SVG") from None
    response = HttpResponse(cleaned, content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = 'inline; filename="icon.svg"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
