"""Views of the example site itself (the maps' own views are wagtail-umap's)."""

from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView


@require_GET
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request):
    """robots.txt: crawlers stay off the maps' data, download and feature-list URLs, wherever
    the site includes wagtail-umap's URLs (here at /cartes/)."""
    maps_prefix = reverse("wagtail_umap:oembed").removesuffix("oembed/")
    return TemplateView.as_view(
        template_name="robots.txt",
        content_type="text/plain; charset=utf-8",
        extra_context={"maps_prefix": maps_prefix},
    )(request)
