"""Conditional responses: a client that holds the current version gets a 304 and no body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control


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
