"""The demo's live layer and geocoded map (example_site/home/demo_live.py): loaded without
internet, the live layer then fetched from the site that serves its file (here a local server
serving the same static file, as the demo site does in DEBUG)."""

from __future__ import annotations

import io
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from example_site.home import demo_live
from wagtail_umap.models import LayerData, Map, RemoteLayer
from wagtail_umap.models.remote import refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", no_large=True, stdout=io.StringIO())


def names(map_: Map) -> list[str]:
    digest = map_.document["layers"][0]["data"]["digest"]
    return sorted(f["properties"]["name"] for f in LayerData.objects.get(digest=digest).features())


def test_the_geocoded_map_flags_a_row_and_leaves_out_the_one_not_found(demo, client):
    map_ = Map.objects.get(title="Équipements géocodés")
    digest = map_.document["layers"][0]["data"]["digest"]
    features = LayerData.objects.get(digest=digest).features()
    by_name = {f["properties"]["nom"]: f["properties"] for f in features}
    assert set(by_name) == {"Mairie", "Halle du marché", "Salle des Vignes"}
    assert by_name["Salle des Vignes"]["result_review"] is True
    assert client.get("/equipements-geocodes/").status_code == 200


def test_the_live_layer_is_shown_at_once_then_fetched_from_the_site(demo, client, settings):
    map_ = Map.objects.get(title="Stationnements vélo en direct")
    assert names(map_) == [
        "Abri vélos du collège",
        "Arceaux de la gare",
        "Arceaux de la mairie",
        "Arceaux du marché",
    ]
    assert client.get("/velos-en-direct/").status_code == 200
    state = RemoteLayer.objects.get(map=map_)
    assert state.reference == map_.document["layers"][0]["data"]

    # The demo site serves the file; the example's settings allow localhost in DEBUG.
    handler = partial(SimpleHTTPRequestHandler, directory=str(demo_live.HERE))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.WAGTAIL_UMAP = {
            **settings.WAGTAIL_UMAP,
            "REMOTE_DATA_HOSTS": ["localhost", "127.0.0.1"],
            "REMOTE_DATA_HTTP_HOSTS": ["localhost", "127.0.0.1"],
            "REMOTE_DATA_PRIVATE_HOSTS": ["localhost", "127.0.0.1"],
        }
        url = f"http://127.0.0.1:{server.server_address[1]}/static/home/demo/stationnements-velo.geojson"
        state.url = url
        state.save()
        Map.objects.filter(pk=map_.pk).update(
            document={
                **map_.document,
                "layers": [
                    {
                        **map_.document["layers"][0],
                        "remote_data": {"url": url, "format": "geojson", "refresh": 300},
                    }
                ],
            }
        )
        assert refresh(state), state.error
    finally:
        server.shutdown()
        server.server_close()
    state.refresh_from_db()
    assert state.error == {} and state.last_success_at is not None
    assert Map.objects.get(pk=map_.pk).document["layers"][0]["data"] == state.reference
