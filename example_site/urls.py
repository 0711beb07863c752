from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from example_site.views import robots_txt
from wagtail_umap.sharing.api import MapsAPIViewSet

# Published maps in Wagtail's API: /api/v2/maps/ (see docs/sharing.md).
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("maps", MapsAPIViewSet)

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("cartes/", include("wagtail_umap.urls")),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages in their language: French ones keep their URLs, English ones live under /en/. The
# admin, the map data, downloads and embeds above stay outside: one URL for every language.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
