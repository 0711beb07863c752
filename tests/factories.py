"""Small builders of real objects for the tests (no mocks)."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Locale, Page, Site

from wagtail_umap.models import Map


def point(lng: float, lat: float, name: str = "", **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {"name": name, **properties},
    }


def square(lng: float, lat: float, name: str = "", size: float = 0.01) -> dict:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"name": name},
    }


def document(*layers: dict, **options) -> dict:
    return {"version": 1, "options": {"basemap": "plan_ign", **options}, "layers": list(layers)}


def layer(name: str, *features: dict, **fields) -> dict:
    return {"name": name, "features": list(features), **fields}


def make_map(
    title: str = "Écoles",
    *,
    publish: bool = True,
    layers: list | None = None,
    shared: bool = True,
) -> Map:
    """A saved Map; published (live) unless ``publish`` is false; shared publicly (public on its
    own URLs wherever it is used) unless ``shared`` is false (docs/sharing.md)."""
    layers = layers if layers is not None else [layer("Écoles", point(2.35, 48.85, "École A"))]
    map_ = Map(title=title, summary=f"Résumé de {title}", shared_publicly=shared)
    map_.set_document(document(*layers))
    map_.full_clean()
    if publish:
        map_.save()
        map_.save_revision().publish()
    else:
        map_.live = False
        map_.save()
        map_.save_revision()
    return map_


def loaded_revision(map_: Map) -> dict:
    """The hidden fields of Wagtail's edit form that say which revision it was loaded from
    (the edit view refuses a save without them, or made on an older revision)."""
    revision = map_.latest_revision
    if revision is None:
        return {}
    return {
        "loaded_revision_id": str(revision.pk),
        "loaded_revision_created_at": revision.created_at.isoformat(),
    }


def location_block(name: str = "Mairie", lat: float = 47.5016, lng: float = 2.8527) -> dict:
    """The raw StreamField value of a LocationBlock, as the admin saves it."""
    return {
        "type": "location",
        "value": {
            "name": name,
            "address": "1 place de la Mairie",
            "point": {"lat": lat, "lng": lng, "srid": 4326},
            "zoom": 16,
            "description": "Ouverte le matin",
        },
    }


def root_page() -> Page:
    """Wagtail's root page, put back when needed: its migrations make it, and the flush after
    each transactional (live server) test removes it."""
    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def make_home(slug: str = "accueil-test", hostname: str = "localhost") -> Page:
    """A home page, root of the only (default) site."""
    from example_site.home.models import StandardPage

    home = root_page().add_child(instance=StandardPage(title="Accueil", slug=slug))
    Site.objects.all().delete()
    Site.objects.create(hostname=hostname, port=80, root_page=home, is_default_site=True)
    return home


def publish_page(home: Page, slug: str, *maps: Map) -> Page:
    """A published StandardPage under ``home``: a paragraph, then a MapBlock of each map."""
    from example_site.home.models import StandardPage

    body = [{"type": "paragraph", "value": "<p>Texte de la page.</p>"}]
    body += [{"type": "map", "value": {"map": m.pk, "height": 400, "caption": ""}} for m in maps]
    page = home.add_child(instance=StandardPage(title=slug, slug=slug, body=body))
    page.save_revision().publish()
    return page
