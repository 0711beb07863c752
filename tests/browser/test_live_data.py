"""A live layer configured in the editor against a local server (tests/remote_server.py) is
fetched by the server, shown in the editor, published, and shows on the public map; a refresh
brings the source's new data to the public map without a new revision."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    TIMEOUT,
    hidden_document,
    open_map,
    open_map_editor,
    past_the_side_column,
    publish,
)
from tests.factories import layer, make_map, point, root_page
from tests.remote_server import collection, serve
from wagtail_umap.models import Map, RemoteLayer
from wagtail_umap.models.remote import refresh

pytestmark = [pytest.mark.browser, pytest.mark.admin_ui, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def remote_server(settings, monkeypatch):
    yield from serve(settings, monkeypatch)


def list_names(section) -> list[str]:
    """The names of the features the list shows (one line each, with its buttons)."""
    text = section.locator(".umap-viewer__features").inner_text()
    return sorted(name for name in ("Ancienne", "Borne A", "Borne B", "Borne C") if name in text)


def test_a_live_layer_set_in_the_editor_shows_on_the_public_map_after_a_refresh(
    page, live_server, watch, axe, screenshot, django_user_model, remote_server
):
    root_page()
    map_ = make_map("Bornes de recharge", layers=[layer("Bornes", point(2.3, 48.8, "Ancienne"))])
    revisions = map_.revisions.count()
    open_map_editor(page, live_server, django_user_model, map_)
    details = page.locator(".umap-editor__layer-details")
    if not details.evaluate("node => node.open"):
        details.locator("summary").click()
    panel = page.locator("[data-umap-panel=remote]")
    address = panel.get_by_label("Adresse des données (https://…)")
    address.fill(remote_server.url("/good.geojson"))
    address.press("Tab")
    panel.get_by_label("Mise à jour", exact=True).select_option(label="Toutes les 5 minutes")
    assert hidden_document(page)["layers"][0]["remote_data"] == {
        "url": remote_server.url("/good.geojson"),
        "format": "geojson",
        "refresh": 300,
    }
    # "Update now", by keyboard: the server fetches, the features replace the layer's.
    button = panel.get_by_role("button", name="Mettre à jour maintenant")
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator("[data-umap-remote-status]")
    status.filter(has_text="Dernière mise à jour").wait_for(timeout=TIMEOUT)
    assert "2 éléments" in status.inner_text()
    page.locator(".umap-editor__features", has_text="Borne B").wait_for(timeout=TIMEOUT)
    assert axe(page, "[data-umap-panel=remote]") == []
    assert past_the_side_column(page, "[data-umap-panel=remote]") == []  # nothing cut
    panel.evaluate("node => { node.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }")
    screenshot(page, "live-data-editor")

    publish(page)
    page.wait_for_url(lambda url: "/edit/" not in url, timeout=TIMEOUT)
    live = Map.objects.get(pk=map_.pk)
    assert live.document["layers"][0]["remote_data"]["refresh"] == 300
    section = open_map(page, live_server.url + f"/cartes/{map_.pk}/embed/")
    assert list_names(section) == ["Borne A", "Borne B"]

    # The source changes; the periodic refresh (umap_refresh_remote's task) fetches it.
    revisions_after_publish = Map.objects.get(pk=map_.pk).revisions.count()
    remote_server.files["/good.geojson"] = collection("Borne A", "Borne B", "Borne C")
    assert refresh(RemoteLayer.objects.get(map=map_))
    section = open_map(page, live_server.url + f"/cartes/{map_.pk}/embed/")
    assert list_names(section) == ["Borne A", "Borne B", "Borne C"]
    assert Map.objects.get(pk=map_.pk).revisions.count() == revisions_after_publish
    assert revisions_after_publish == revisions + 1  # the editor's publish only
    watch.assert_clean()


def test_a_refused_source_says_why_in_the_editor(
    page, live_server, watch, django_user_model, remote_server, screenshot
):
    root_page()
    remote = {"url": remote_server.url("/redirect-loopback"), "format": "geojson", "refresh": 0}
    map_ = make_map(
        "Bornes", layers=[layer("Bornes", point(2.3, 48.8, "Ancienne"), remote_data=remote)]
    )
    open_map_editor(page, live_server, django_user_model, map_)
    details = page.locator(".umap-editor__layer-details")
    if not details.evaluate("node => node.open"):
        details.locator("summary").click()
    page.get_by_role("button", name="Mettre à jour maintenant").click()
    error = page.locator("[data-umap-remote-error]")
    error.wait_for(timeout=TIMEOUT)
    assert "redirigé vers un autre hôte (127.0.0.1)" in error.inner_text()
    assert "Ancienne" in page.locator(".umap-editor__features").inner_text()
    panel = page.locator("[data-umap-panel=remote]")
    panel.evaluate("node => { node.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }")
    screenshot(page, "live-data-error")
    watch.assert_clean()
