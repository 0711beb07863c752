"""Modern uMap files (tests/fixtures/umap_modern): what a uMap user sees after the import, the
options applied rather than merely kept."""

import json
from pathlib import Path

import pytest

from wagtail_umap.core.markup import feature_name, render_popup
from wagtail_umap.core.schema import resolve_style
from wagtail_umap.formats import read_map_file, write_map_file

MODERN = Path(__file__).resolve().parents[1] / "fixtures" / "umap_modern"
FILES = sorted(path.name for path in MODERN.iterdir() if path.suffix in (".umap", ".geojson"))


def read(name):
    return read_map_file(name, (MODERN / name).read_bytes())


def notes(result):
    return [note.render() for note in result.notes]


@pytest.mark.parametrize("name", FILES)
def test_each_modern_file_imports_and_round_trips(name):
    document = read(name).document
    again = read_map_file("again.umap", write_map_file(document, "umap")).document
    assert again == document


def test_labels_and_markup():
    result = read("labels_and_markup.umap")
    document = result.document
    assert notes(result) == []
    maisons, ecoles = document["layers"]
    # The map's label key and popup template go to the layer without its own.
    assert maisons["label_key"] == "{nom} ({commune})"
    assert maisons["popup_template"].startswith("# {nom}\n**Statut** : {statut}")
    assert (maisons["popup_layout"], ecoles["popup_layout"]) == ("default", "table")
    assert ecoles["label_key"] == "nom"
    assert ecoles["popup_template"] == "## {nom}\n{adresse}"
    assert ecoles["umap"] == {"popupShape": "Panel"}  # a table in a panel: the panel is kept
    # Permanent labels: on the map's style, overridden by a layer and a feature.
    options = document["options"]
    assert options["style"] == {
        "show_label": "always",
        "label_direction": "right",
        "label_interactive": True,
    }
    bazois, relais = maisons["features"]
    assert resolve_style(options, maisons, bazois["properties"])["show_label"] == "always"
    relais_style = resolve_style(options, maisons, relais["properties"])
    assert (relais_style["show_label"], relais_style["label_direction"]) == ("hover", "left")
    school = ecoles["features"][0]["properties"]
    assert resolve_style(options, ecoles, school)["show_label"] == "never"
    assert options["umap"] == {"umap_id": 42}
    # What a citizen reads: names from the label key, popups with the markup rendered.
    assert [feature_name(f["properties"], maisons["label_key"]) for f in maisons["features"]] == [
        "Maison du Bazois (Moulins-Engilbert)",
        "Relais <b>Santé</b> (Châtillon)",  # text: escaped wherever it is shown
    ]
    assert feature_name(school, ecoles["label_key"]) == "École Jules Ferry"
    wikimedia = "upload.wikimedia.org"
    html = render_popup(
        maisons["popup_template"],
        bazois["properties"],
        image_hosts_allowed=lambda host: host == wikimedia,
    )
    assert html == (
        "<h3>Maison du Bazois</h3>"
        "<p><strong>Statut</strong> : ouvert<br><em>Ouvert au public</em></p><hr>"
        '<p><a href="https://bazois.example.fr" rel="noopener noreferrer nofollow">Site web</a>'
        f'<br><img src="https://{wikimedia}/wikipedia/commons/x/xy/Maison.jpg" alt="" '
        'width="200" loading="lazy"></p>'
    )
    hostile = render_popup(
        maisons["popup_template"], relais["properties"], image_hosts_allowed=None
    )
    assert hostile.startswith("<h3>Relais &lt;b&gt;Santé&lt;/b&gt;</h3>")
    assert "javascript" not in hostile and "<img" not in hostile
    assert f'<a href="https://{wikimedia}/' in hostile  # an image the site does not allow


def test_rules_colour_the_features():
    document = read("rules.umap").document
    options = document["options"]
    (layer,) = document["layers"]
    assert [rule["label"] for rule in layer["rules"]] == [
        "En cours",
        "Pas terminé",
        "Gros budget",
        "",
    ]  # the condition uMap cannot read either ("mauvaise condition") is not a rule here
    rue_a, rue_b, rue_c = (feature["properties"] for feature in layer["features"])
    a = resolve_style(options, layer, rue_a)
    # Each setting comes from the first matching rule that sets it, as in uMap.
    assert (a["color"], a["marker_shape"], a["weight"]) == ("Orange", "circle", 8)
    assert a["fill_color"] == "Gold"  # "en cours" != "termine"
    b = resolve_style(options, layer, rue_b)
    assert (b["color"], b["dash_array"]) == ("SteelBlue", "4,4")  # duree 3 < 7
    c = resolve_style(options, layer, rue_c)
    assert c["color"] == "Purple"  # its own style beats every rule
    assert c["fill_color"] == "Gold"  # "prévu" != "termine"
    assert (
        resolve_style(options, layer, {"name": "Rue D", "urgent": "oui", "etat": "termine"})[
            "color"
        ]
        == "SteelBlue"
    )  # the layer's style beats the map's rules
    assert options["rules"][0]["style"] == {"color": "Crimson", "weight": 6}
    # uMap's rules go back as they came (the unreadable one too).
    written = json.loads(write_map_file(document, "umap"))["layers"][0]["properties"]
    unreadable = {"condition": "mauvaise condition", "properties": {"color": "Black"}}
    assert written["rules"][4] == unreadable


def test_filters_from_umap_filters_facet_key_and_filter_key():
    document = read("filters.umap").document
    marches, parkings = document["layers"]
    assert marches["filters"] == [
        {"type": "range", "field": "etals", "label": "Nombre d'étals"},
        {"type": "yes_no", "field": "bio", "label": ""},  # uMap's Switch
        {"type": "radio", "field": "jour", "label": "Jour du marché"},  # facetKey's radio
        {"type": "date_range", "field": "ouverture", "label": "Ouverture"},
        {"type": "search", "fields": ["name", "commune"], "label": ""},
    ]
    # The map's filters go to the layers that have their property.
    assert parkings["filters"] == [{"type": "search", "fields": ["name", "commune"], "label": ""}]
    assert "facetKey" not in document["options"]["umap"]


def test_map_defaults_and_default_view():
    result = read("map_defaults.umap")
    document = result.document
    options = document["options"]
    assert options["default_view"] == "data"
    assert options["style"] == {
        "color": "Teal",
        "weight": 4,
        "opacity": 0.7,
        "marker_shape": "circle",
        "pictogram": "⛲",
        "marker_size": 40,
    }
    assert (options["controls"]["fullscreen"], options["controls"]["search"]) == (False, False)
    fontaines, lavoirs = document["layers"]
    first, second = (feature["properties"] for feature in fontaines["features"])
    inherited = resolve_style(options, fontaines, first)
    assert (inherited["color"], inherited["marker_shape"], inherited["marker_size"]) == (
        "Teal",
        "circle",
        40,
    )
    own = resolve_style(options, fontaines, second)
    assert (own["color"], own["marker_shape"], own["pictogram"]) == ("Navy", "drop", "⛲")
    assert lavoirs["style"] == {"color": "Sienna", "marker_shape": "circle"}
    assert notes(result) == []
    # uMap gets its own words back: the large circle, the ball, the explicit search control.
    written = json.loads(write_map_file(document, "umap"))
    assert written["properties"]["iconClass"] == "LargeCircle"
    assert written["properties"]["iconSize"] == 40
    assert written["properties"]["searchControl"] is False
    assert written["properties"]["defaultView"] == "data"
    assert written["layers"][1]["properties"]["iconClass"] == "Ball"


def test_legacy_zooms_and_storage():
    document = read("legacy_zooms.umap").document
    arrets, lignes = document["layers"]
    assert (arrets["name"], arrets["description"]) == ("Arrêts", "Arrêts de bus")
    assert (arrets["min_zoom"], arrets["max_zoom"]) == (12, 17)
    assert arrets["umap"] == {"remoteData": {}}
    assert (lignes["min_zoom"], lignes["max_zoom"]) == (8, 14)
    assert document["options"]["default_view"] == "latest"
    written = json.loads(write_map_file(document, "umap"))["layers"][0]["properties"]
    assert (written["fromZoom"], written["toZoom"]) == (12, 17)


def test_modern_layer_export():
    result = read("modern_layer.geojson")
    (layer,) = result.document["layers"]
    assert layer["label_key"] == "{nom} – {lieu}"
    assert layer["style"] == {"show_label": "hover"}
    assert layer["popup_layout"] == "table"
    assert layer["min_zoom"] == 10
    mairie, gymnase = (feature["properties"] for feature in layer["features"])
    options = result.document["options"]
    assert resolve_style(options, layer, mairie)["color"] == "Green"
    assert resolve_style(options, layer, gymnase)["color"] == "#1f5fa8"
    assert notes(result) == []
