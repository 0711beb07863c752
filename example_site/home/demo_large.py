"""The large demo map: 100,000 charge points across France, like the national IRVE file.

Generated here (fixed seed, no network) and stored once: the features go straight to the
content-addressed store (they are valid by construction, so the costly per-feature
validation of an import is not needed) and the map document only refers to them. The stored
row is kept in memory for the rest of the process, so loading the demo again (the tests do)
costs one insert. A keyboard user gets clustered points whose clusters are buttons, and the
feature list, 50 at a time, searchable.
"""

from __future__ import annotations

import random

from wagtail.models import Page

from wagtail_umap.models import LayerData, Map

TITLE = "Bornes de recharge en France"
SLUG = "bornes-de-recharge"
POINTS = 100_000
OPERATORS = ["Izivia", "Freshmile", "Ionity", "TotalEnergies", "Électra", "Allego"]
PLUGS = ["T2", "CCS", "T2 et CCS", "CHAdeMO", "E/F"]
# (longitude, latitude, weight): charge points cluster around cities.
CITIES = [
    (2.35, 48.86, 10),
    (4.84, 45.76, 4),
    (5.37, 43.30, 4),
    (1.44, 43.60, 3),
    (7.26, 43.70, 3),
    (-1.55, 47.22, 3),
    (7.75, 48.58, 2),
    (3.06, 50.63, 3),
    (-0.58, 44.84, 3),
    (-1.68, 48.11, 2),
    (3.88, 43.61, 2),
    (2.85, 47.50, 1),
    (0.69, 47.39, 1),
    (5.04, 47.32, 1),
    (6.18, 48.69, 1),
]

_stored: dict[str, object] = {}


def charge_points(count: int = POINTS, seed: int = 7) -> list[dict]:
    """Charge points with 6 short properties, around cities and along the country."""
    rng = random.Random(seed)
    weights = [weight for _lng, _lat, weight in CITIES]
    features = []
    for i in range(count):
        if rng.random() < 0.7:
            lng, lat, _weight = rng.choices(CITIES, weights)[0]
            lng, lat = lng + rng.gauss(0, 0.25), lat + rng.gauss(0, 0.18)
        else:
            lng, lat = rng.uniform(-4.5, 7.8), rng.uniform(42.6, 50.9)
        operator = rng.choice(OPERATORS)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lng, 5), round(lat, 5)]},
                "properties": {
                    "name": f"Borne {operator} n° {i + 1}",
                    "operator": operator,
                    "power_kw": rng.choice([7, 11, 22, 50, 150]),
                    "plugs": rng.choice(PLUGS),
                    "access": rng.choice(["public", "clients"]),
                    "id": f"FR*{i + 1:07d}",
                },
            }
        )
    return features


def layer_data() -> LayerData:
    """The demo layer's row: computed once per process, inserted when the table lacks it."""
    if not _stored:
        row = LayerData.store(charge_points())
        _stored.update(
            {
                field.attname: getattr(row, field.attname)
                for field in LayerData._meta.concrete_fields
            }
        )
        return row
    row = LayerData.objects.filter(digest=_stored["digest"]).first()
    if row is None:
        row = LayerData(**_stored)
        row.save(force_insert=True)
    return row


def build_map() -> Map:
    """The published map, replacing an earlier one of the same title."""
    Map.objects.filter(title=TITLE).delete()
    data = layer_data()
    map_ = Map()
    map_.set_document(
        {
            "version": 1,
            "title": TITLE,
            "summary": "Les points de recharge pour véhicules électriques ouverts au public "
            f"en France métropolitaine ({POINTS:_} bornes, données générées pour la "
            "démonstration).".replace("_", "\u202f"),
            "options": {"credits": "Données de démonstration, sur le modèle du fichier IRVE."},
            "layers": [
                {
                    "name": "Bornes de recharge",
                    "description": "Regroupées par secteur : activez un groupe pour zoomer.",
                    "popup_template": "{operator} – {power_kw} kW\nPrises : {plugs}\n"
                    "Accès : {access}\nIdentifiant : {id}",
                    "data": data.reference,
                }
            ],
        }
    )
    map_.full_clean()
    map_.save()
    map_.save_revision().publish()
    return map_


def add_large_demo(home: Page) -> Map:
    """The large map and the page that shows it, under ``home``."""
    from example_site.home.models import StandardPage

    map_ = build_map()
    page = home.add_child(
        instance=StandardPage(
            title="Les bornes de recharge en France",
            slug=SLUG,
            body=[
                {
                    "type": "paragraph",
                    "value": "<p>Une carte nationale de 100 000 points : la carte regroupe les "
                    "bornes, la liste sous la carte les donne 50 par 50, avec une recherche."
                    "</p>",
                },
                {"type": "map", "value": {"map": map_.pk, "height": 560, "caption": ""}},
            ],
        )
    )
    page.save_revision().publish()
    return map_
