"""The video player behind a popup's click-to-load facade.

The page never names the video host's player: the viewer carries a signed token for each
video address (``viewer_viz.resolve_media``), and only when the citizen presses "Play the
video" does the script ask this view for the player's address. The signature means the view
only ever resolves addresses an editor put in a published map (it is no open oEmbed proxy).
Wagtail's embeds (and their database cache) find the player.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import signing
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException

from wagtail_umap.viewer_viz import VIDEO_SALT

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
