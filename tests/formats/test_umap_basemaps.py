"""uMap's ``overlay`` and ``limitBounds`` in and out of a ``.umap`` backup: an overlay whose
tiles are one of the site's presets becomes that overlay, any other is kept for the round trip;
the limits are read and written back."""

from __future__ import annotations

import json

from wagtail_umap.core.overlays import OVERLAY_PRESETS
from wagtail_umap.formats import umap

# How uMap writes the Géoplateforme's cadastre (lower-case query, another order).
UMAP_CADASTRE = (
    "https://data.geopf.fr/wmts?layer=CADASTRALPARCELS.PARCELLAIRE_EXPRESS&style=PCI%20vecteur"
    "&tilematrixset=PM&Service=WMTS&Request=GetTile&Version=1.0.0&Format=image%2Fpng"
    "&TileMatrix={z}&TileCol={x}&TileRow={y}"
)
LIMITS = {"south": 47.48, "west": 2.82, "north": 47.53, "east": 2.9}


def backup(**properties) -> bytes:
    return json.dumps(
        {
            "type": "umap",
            "uri": "https://umap.openstreetmap.fr/fr/map/belleville_1",
            "properties": {"name": "Belleville", **properties},
            "geometry": {"type": "Point", "coordinates": [2.86, 47.5]},
            "layers": [
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [2.86, 47.5]},
                            "properties": {"name": "Mairie"},
                        }
                    ],
                    "_umap_options": {"name": "Lieux"},
                }
            ],
        }
    ).encode()


def notes(result) -> list[str]:
    return [note.render() for note in result.notes]


def test_a_known_overlay_and_the_limits_are_applied():
    result = umap.read(
        backup(
            overlay={"url_template": UMAP_CADASTRE, "opacity": 0.5, "attribution": "IGN"},
            limitBounds={key: str(value) for key, value in LIMITS.items()},  # uMap's text
        )
    )
    options = result.document["options"]
    assert options["overlays"] == [{"id": "cadastre", "opacity": 0.5, "shown": True}]
    assert options["limit_bounds"] == LIMITS
    assert not any("overlay" in text or "limitBounds" in text for text in notes(result))


def test_they_go_back_to_umap_as_the_file_wrote_them():
    original = {"url_template": UMAP_CADASTRE, "opacity": 0.5}
    document = umap.read(backup(overlay=original, limitBounds=LIMITS)).document
    properties = json.loads(umap.write(document))["properties"]
    assert properties["limitBounds"] == LIMITS
    assert properties["overlay"] == original  # unchanged here: uMap's own spelling goes back
    assert umap.read(umap.write(document)).document["options"] == document["options"]


def test_overlays_and_choice_made_here_are_written_for_umap():
    document = umap.read(backup()).document
    document["options"]["overlays"] = [{"id": "cadastre", "opacity": 0.4, "shown": True}]
    document["options"]["basemap_choice"] = ["ign_orthophotos"]
    written = umap.write(document)
    overlay = json.loads(written)["properties"]["overlay"]
    assert overlay["url_template"] == OVERLAY_PRESETS["cadastre"]["url"]
    assert overlay["opacity"] == 0.4
    assert "<" not in overlay["attribution"]  # uMap shows it as text
    again = umap.read(written).document["options"]
    assert again["overlays"] == document["options"]["overlays"]
    assert again["basemap_choice"] == ["ign_orthophotos"]  # ours, under our namespace


def test_an_unknown_overlay_is_kept_verbatim_and_noted():
    other = {"url_template": "https://tiles.example.org/{z}/{x}/{y}.png", "opacity": 0.4}
    result = umap.read(backup(overlay=other))
    assert "overlays" not in result.document["options"]
    assert json.loads(umap.write(result.document))["properties"]["overlay"] == other


def test_limits_that_are_no_box_are_kept_not_applied():
    upside_down = {"south": 48, "west": 2, "north": 47, "east": 3}
    result = umap.read(backup(limitBounds=upside_down))
    assert "limit_bounds" not in result.document["options"]
    assert json.loads(umap.write(result.document))["properties"]["limitBounds"] == upside_down
