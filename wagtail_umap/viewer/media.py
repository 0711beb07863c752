"""Popup media: Wagtail images and documents resolved for the viewer, cleaned HTML
descriptions, and the video player behind a popup's click-to-load facade.

The page never names the video host's player: the viewer carries a signed token for each
video address (``resolve_media``), and only when the citizen presses "Play the video" does the
script ask ``video_player`` for the player's address. The signature means the view only ever
resolves addresses an editor put in a published map (it is no open oEmbed proxy). Wagtail's
embeds (and their database cache) find the player.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core import signing
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException

from wagtail_umap import safe_cache

IMAGE_FILTER = "max-640x480"  # popups are at most 320 CSS pixels wide: sharp on 2× screens
VIDEO_SALT = "wagtail_umap.video"


def _rendition(image):
    """The popup rendition of an image. Wagtail keeps renditions in Django's cache: when the
    cache fails (its server down) the rendition is read from the database instead."""
    try:
        return image.get_rendition(IMAGE_FILTER)
    except Exception as error:  # the rendition cache's backend, whatever it is
        safe_cache.errors.error("set (image rendition)", error)
    from wagtail.images.models import Filter

    try:
        return image.find_existing_rendition(Filter(spec=IMAGE_FILTER))
    except image.get_rendition_model().DoesNotExist:
        return None


def resolve_media(layers: list) -> dict[str, dict[int, dict]]:
    """``{layer id: {feature index: media}}`` for the features with a ``_media``: image
    renditions (with their alt text), document URLs, and a signed token for each video that the
    script exchanges for the player only when the citizen asks (``video_player``). Two queries
    whatever the number of features: one for the images and their renditions, one for the
    documents."""
    from django.core import signing
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    wanted: list[tuple[str, int, dict]] = []
    image_ids, document_ids = set(), set()
    for layer in layers:
        for index, feature in enumerate(layer.features):
            media = (feature.get("properties") or {}).get("_media")
            if not isinstance(media, dict) or not media:
                continue
            wanted.append((layer.id, index, media))
            image_ids.update(_media_id(media.get("image")))
            document_ids.update(_media_id(media.get("audio")))
    if not wanted:
        return {}
    images = {}
    if image_ids:
        queryset = get_image_model().objects.filter(pk__in=image_ids)
        images = {image.pk: image for image in queryset.prefetch_renditions(IMAGE_FILTER)}
    documents = {}
    if document_ids:
        documents = {d.pk: d for d in get_document_model().objects.filter(pk__in=document_ids)}
    resolved: dict[str, dict[int, dict]] = {}
    for layer_id, index, media in wanted:
        entry: dict[str, Any] = {}
        image = images.get(next(iter(_media_id(media.get("image"))), None))
        rendition = None
        if image is not None:
            rendition = _rendition(image)
        if rendition is not None:
            entry["image"] = {
                "url": rendition.url,
                "width": rendition.width,
                "height": rendition.height,
                "alt": str(media["image"].get("alt") or ""),
            }
        document = documents.get(next(iter(_media_id(media.get("audio"))), None))
        if document is not None:
            entry["audio"] = {
                "url": document.url,
                "title": str(media["audio"].get("title") or document.title),
            }
        video = media.get("video")
        if isinstance(video, str) and video.lower().startswith("https://"):
            from urllib.parse import urlsplit

            entry["video"] = {
                "token": signing.dumps(video, salt=VIDEO_SALT),
                "host": urlsplit(video).hostname or "",
            }
        if entry:
            resolved.setdefault(layer_id, {})[index] = entry
    return resolved


def _media_id(item: Any) -> set[int]:
    pk = item.get("id") if isinstance(item, dict) else None
    return {pk} if isinstance(pk, int) and not isinstance(pk, bool) else set()


def description_html(text: Any) -> str:
    """A description written in HTML, cleaned again by the allowlist and marked safe ("" for
    plain text, which the template escapes as usual)."""
    from django.utils.safestring import mark_safe

    from wagtail_umap.core.sanitize import clean_html, looks_like_html

    if not isinstance(text, str) or not looks_like_html(text):
        return ""
    return mark_safe(clean_html(text))  # nh3 allowlist output


IFRAME_SRC_RE = re.compile(r"<iframe\b[^>]*?\bsrc=[\"']([^\"']+)[\"']", re.IGNORECASE)


@require_safe
def video_player(request: HttpRequest) -> JsonResponse:
    """``{"src", "title", "width", "height"}`` of the video's player (an https iframe)."""
    try:
        url = signing.loads(request.GET.get("token", ""), salt=VIDEO_SALT)
    except signing.BadSignature:
        return JsonResponse({"error": "bad token"}, status=400)
    try:
        embed = get_embed(url, max_width=640)
    except EmbedException:
        return JsonResponse({"error": "no player"}, status=404)
    match = IFRAME_SRC_RE.search(embed.html or "")
    src = match.group(1).replace("&amp;", "&") if match else ""
    # Only an https player goes into the page (never markup from the provider).
    if urlsplit(src).scheme != "https":
        return JsonResponse({"error": "no player"}, status=404)
    response = JsonResponse(
        {
            "src": src,
            "title": embed.title or "",
            "width": embed.width or 640,
            "height": embed.height or 360,
        }
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
