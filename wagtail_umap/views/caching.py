"""Conditional responses: a client that holds the current version gets a 304 and no body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control


def etag_response(
    request: HttpRequest, etag: str, build: Callable[[], HttpResponse], **cache_control
) -> HttpResponse:
    """``build()``'s response with ``etag``, or a 304 when the client already has it."""
    quoted = f'"{etag}"'
    if quoted in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = build()
        response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = quoted
    patch_cache_control(response, public=True, **cache_control)
    return response
