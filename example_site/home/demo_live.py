"""Two demo maps of issue 17 (docs/live-data.md), built without internet:

- "Stationnements vélo en direct": a live layer reading a GeoJSON file the demo site serves
  itself (``static/home/demo/stationnements-velo.geojson``, at ``DEMO_SITE_URL``, which the
  example's settings allow for live data in DEBUG only). Its first version is stored here from
  the same file, so the map shows at once; ``manage.py umap_refresh_remote`` (or "Mettre à jour
  maintenant" in the editor) then fetches it from the running site.
- "Équipements géocodés": a CSV of addresses turned into points by the same code as the
  editor's BAN geocoding (``formats/geocode.py``), from the BAN's answer kept in
  ``demo_data/`` (a row to review, a row not found).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from wagtail.models import Page

from wagtail_umap.formats import geocode
from wagtail_umap.models import LayerData, Map, RemoteLayer

HERE = Path(__file__).resolve().parent
LIVE_FILE = HERE / "static" / "home" / "demo" / "stationnements-velo.geojson"
LIVE_PATH = "/static/home/demo/stationnements-velo.geojson"
SITE_URL = os.environ.get("DEMO_SITE_URL", "http://localhost:8000")


def live_document() -> dict:
    return {
        "title": "Stationnements vélo en direct",
        "summary": "Les places libres des stationnements vélo, mises à jour toutes les 5 minutes.",
        "version": 1,
        "options": {"basemap": "plan_ign", "center": {"lat": 47.502, "lng": 2.853}, "zoom": 15},
        "layers": [
            {
                "name": "Stationnements vélo",
                "popup_template": "# {name}\n{libres} places libres sur {places}",
                "remote_data": {"url": SITE_URL + LIVE_PATH, "format": "geojson", "refresh": 300},
                "features": json.loads(LIVE_FILE.read_text())["features"],
            }
        ],
    }


def geocoded_document() -> dict:
    table = geocode.read_table((HERE / "demo_data" / "adresses_equipements.csv").read_bytes())
    choice = geocode.Choice(("adresse",), postcode="cp", city="commune")
    answer = geocode.read_answer((HERE / "demo_data" / "adresses_equipements_ban.csv").read_bytes())
    found = geocode.features(table, choice, answer, 0.5)
    return {
        "title": "Équipements géocodés",
        "summary": "Les équipements de la commune, placés d'après leur adresse (Base Adresse "
        "Nationale) ; la salle des Vignes est à vérifier, l'atelier municipal n'a pas été trouvé.",
        "version": 1,
        "options": {"basemap": "plan_ign"},
        "layers": [
            {
                "name": "Équipements",
                "popup_template": "# {nom}\n{result_label} (score {result_score})",
                "features": found.features,
            }
        ],
    }


def add_live_demo(home: Page, publish_map) -> list[Map]:
    """Both maps, published, with a page each under ``home``."""
    from wagtail_umap.models import MapPage

    live = publish_map(live_document())
    # The state of the live layer: its first version is the stored file (not fetched yet).
    layer = live.document["layers"][0]
    RemoteLayer.objects.update_or_create(
        map=live,
        layer_id=layer["id"],
        defaults={
            "layer_name": layer["name"],
            "url": layer["remote_data"]["url"],
            "format": "geojson",
            "refresh": 300,
            "reference": layer["data"],
        },
    )
    LayerData.touch({layer["data"]["digest"]})
    geocoded = publish_map(geocoded_document())
    for map_, slug in ((live, "velos-en-direct"), (geocoded, "equipements-geocodes")):
        for old in Page.objects.filter(slug=slug):
            old.delete()
        page = home.add_child(
            instance=MapPage(title=map_.title, slug=slug, intro=f"<p>{map_.summary}</p>", map=map_)
        )
        page.save_revision().publish()
    return [live, geocoded]
