"""Demo content of the Sites Conformes example: a préfecture's content page with a map of its
reception points (categories, a filter, a slideshow) and its districts. Generated here, with
fictional places; no network."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Locale, Page, Site

from wagtail_umap.models import Map

CENTRE = (2.398, 47.081)  # lng, lat

RECEPTION = [
    # order, name, type, lng offset, lat offset, description
    (1, "Préfecture de l’Exemple", "Préfecture", 0.0, 0.0, "Du lundi au vendredi."),
    (2, "Sous-préfecture de Val-Joli", "Sous-préfecture", -0.21, 0.12, "Sur rendez-vous."),
    (3, "Sous-préfecture des Coteaux", "Sous-préfecture", 0.24, -0.10, "Le matin."),
    (4, "France services du Bourg", "France services", -0.09, -0.15, "Aide aux démarches."),
    (5, "France services de la Plaine", "France services", 0.15, 0.16, "Aide aux démarches."),
]


def _point(order, name, kind, dx, dy, description) -> dict:
    lng, lat = CENTRE
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lng + dx, 6), round(lat + dy, 6)]},
        "properties": {"name": name, "description": description, "type": kind, "ordre": order},
    }


def _district(name: str, west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"name": name, "description": f"Arrondissement de {name}."},
    }


def reception_map_document() -> dict:
    lng, lat = CENTRE
    return {
        "version": 1,
        "title": "Où nous rencontrer",
        "summary": (
            "Les cinq points d’accueil du public de la préfecture, par type, et les deux "
            "arrondissements du département."
        ),
        "options": {
            "basemap": "plan_ign",
            "center": None,
            "zoom": None,
            "credits": "Préfecture de l’Exemple",
            "slideshow": {"enabled": True, "layer": None, "sort_field": "ordre", "delay": 6},
        },
        "layers": [
            {
                "name": "Points d’accueil",
                "description": "Préfecture, sous-préfectures et France services.",
                "shown_on_load": True,
                "style": {"color": "#000091"},
                "popup_template": "",
                "features": [_point(*row) for row in RECEPTION],
                "representation": {
                    "type": "categorized",
                    "field": "type",
                    "categories": [
                        {"value": "Préfecture", "label": "Préfecture", "pictogram": "P"},
                        {"value": "Sous-préfecture", "label": "Sous-préfectures", "pictogram": "S"},
                        {"value": "France services", "label": "France services", "pictogram": "F"},
                    ],
                },
                "filters": [{"type": "category", "field": "type", "label": "Type d’accueil"}],
            },
            {
                "name": "Arrondissements",
                "description": "",
                "shown_on_load": True,
                "style": {"color": "#6a6af4", "fill_opacity": 0.1},
                "popup_template": "",
                "features": [
                    _district("Val-Joli", lng - 0.35, lat - 0.22, lng + 0.02, lat + 0.22),
                    _district("Les Coteaux", lng + 0.02, lat - 0.22, lng + 0.35, lat + 0.22),
                ],
            },
        ],
    }


def publish_map(document: dict) -> Map:
    for old in Map.objects.filter(title=document["title"]):
        Map.objects.filter(translation_key=old.translation_key).delete()
    map_ = Map()
    map_.set_document(document)
    map_.full_clean()
    map_.save()
    map_.save_revision().publish()
    return map_


def root_page() -> Page:
    """Wagtail's root page (made by Wagtail's migrations; a test database built without them,
    or flushed, lacks it)."""
    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def build_demo(hostname: str = "localhost", port: int = 80):
    """The home page (a content page with a map), root of the default site. Returns it."""
    from example_dsfr.pages.models import MapContentPage

    root = root_page()  # and the default locale, which a map needs too
    map_ = publish_map(reception_map_document())
    for page in root.get_children():
        page.specific.delete()
    root.refresh_from_db()
    home = root.add_child(
        instance=MapContentPage(
            title="Accueil du public",
            slug="accueil",
            body=[
                (
                    "paragraph",
                    "<p>La préfecture vous reçoit en cinq lieux. La carte les montre ; la "
                    "liste qui la suit donne les mêmes informations.</p>",
                ),
                ("map", {"map": map_, "height": None, "caption": "Mise à jour : juin 2025."}),
            ],
        )
    )
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        is_default_site=True,
        site_name=settings.WAGTAIL_SITE_NAME,
    )
    return home
