"""The example site's 404 and 500 pages, its robots.txt, and what a 500 leaves in the log."""

import logging
import re
import tempfile

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

DIGEST = "0" * 64


@pytest.mark.django_db
def test_an_unknown_address_gets_the_french_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Page introuvable</h1>" in html
    assert "Commune de Belleville-sur-Loire" in html  # the site's header, its look
    assert 'href="/"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_the_error_pages_ask_nothing_of_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
        html_404 = render_to_string("404.html", request=request)
    assert response.status_code == 500
    assert "Le site rencontre un problème" in response.content.decode()
    assert "Erreur 404" in html_404


def test_the_500_page_renders_without_a_static_files_manifest():
    """A 500 caused by a missing collectstatic must still show the site's page."""
    empty = tempfile.mkdtemp(prefix="no-collectstatic-")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=empty):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert 'href="/static/home/site.css"' in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.deployment.urls")
def test_a_500_shows_the_french_page_and_logs_the_traceback(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Erreur 500" in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info and "the map server fell over" in str(record.exc_info[1])


def test_errors_reach_the_console_handler():
    """The record above reaches a console handler (stderr: gunicorn and journald keep it), not
    only Django's mail to ADMINS, which a site rarely sets."""
    handlers = logging.getLogger().handlers
    assert any(
        type(handler) is logging.StreamHandler and handler.level <= logging.ERROR
        for handler in handlers
    )
    assert logging.getLogger("django.request").getEffectiveLevel() <= logging.ERROR
    assert logging.getLogger("django.request").propagate


def _robots_rules(text):
    """The Disallow rules of the "*" group, as regular expressions (RFC 9309: `*` is any
    characters, `$` the end)."""
    rules = []
    for line in text.splitlines():
        if line.lower().startswith("disallow:"):
            path = line.split(":", 1)[1].strip()
            pattern = re.escape(path).replace(r"\*", ".*").replace(r"\$", "$")
            rules.append(re.compile(pattern))
    return rules


def _disallowed(rules, path):
    return any(rule.match(path) for rule in rules)


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_off_data_and_downloads(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text.splitlines()
    rules = _robots_rules(text)

    def url(name, **kwargs):
        return reverse(f"wagtail_umap:{name}", kwargs=kwargs)

    for path in (
        url("layer_data", map_id=12, digest=DIGEST),
        url("download_map", map_id=12, format_name="geojson"),
        url("download_map", map_id=12, format_name="umap"),
        url("download_layer", map_id=12, layer_id="ecoles", format_name="csv"),
        url("feature_list", map_id=12, layer_id="ecoles"),
        url("oembed") + "?url=http://localhost/velo/",
        "/admin/",
        "/admin/snippets/",
    ):
        assert _disallowed(rules, path), path
    # Pages, maps on them and their embed view (which says noindex itself) stay open.
    for path in ("/", "/velo/", "/en/velo/", url("embed", map_id=12), "/static/home/site.css"):
        assert not _disallowed(rules, path), path
