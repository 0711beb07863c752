"""The example site's URLs plus a view that fails, to see the site's 500 page and its log line."""

from django.urls import path

from example_site.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("the map server fell over")


urlpatterns = [path("boom/", broken), *site_urlpatterns]
