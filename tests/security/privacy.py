"""The scenes of the privacy tests: a map placed where only some people may see it, the people,
and every URL of the map (docs/sharing.md, "Who may see a map")."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import PageViewRestriction

from example_site.home.models import StandardPage
from tests.factories import layer, make_home, make_map, point
from wagtail_umap.formats import EXPORT_FORMATS
from wagtail_umap.models import MapPage

PASSWORD = "plan-communal-2026"
TITLE = "Registre des personnes vulnérables"
SECRET_FEATURE = "Mme Dupont, 3 rue des Lilas"
# Where the map is placed: a page with each kind of Wagtail view restriction (the login one on
# the section above the page: inherited), a page that is not published, no page at all; and two
# controls where the map is public.
RESTRICTED_KINDS = ("password", "login", "groups")
PRIVATE_KINDS = (*RESTRICTED_KINDS, "unpublished", "no_page")
PUBLIC_KINDS = ("public_page", "shared")


@dataclass
class Scene:
    kind: str
    map: object
    page: object | None
    restriction: object | None


def private_map() -> object:
    return make_map(
        TITLE,
        shared=False,
        layers=[
            layer("Personnes", point(2.35, 48.85, SECRET_FEATURE), point(2.36, 48.86, "M. Martin")),
            layer("Points de rassemblement", point(2.37, 48.87, "Gymnase")),
        ],
    )


def build_scene(kind: str) -> Scene:
    home = make_home("accueil-prive")
    map_ = private_map()
    if kind == "shared":
        map_.shared_publicly = True
        map_.save_revision().publish()
    if kind == "no_page" or kind == "shared":
        return Scene(kind, map_, None, None)
    parent = home
    restriction = None
    if kind == "login":  # on the section: the page inherits it
        parent = home.add_child(instance=StandardPage(title="Intranet", slug="intranet"))
        restriction = PageViewRestriction.objects.create(page=parent, restriction_type="login")
    page = parent.add_child(instance=MapPage(title="Plan communal", slug="plan", map=map_))
    page.save_revision().publish()
    if kind == "password":
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type="password", password=PASSWORD
        )
    elif kind == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Cellule de crise"))
    elif kind == "unpublished":
        page.unpublish()
    page.refresh_from_db()
    return Scene(kind, map_, page, restriction)


def pass_restriction(client, scene: Scene) -> None:
    """Do what a visitor does to see the page: the password form, logging in, being in the
    group. For a page nobody may see (unpublished, or no page), log in as a plain user."""
    User = get_user_model()
    if scene.kind == "password":
        response = client.post(
            f"/_util/authenticate_with_password/{scene.restriction.pk}/{scene.page.pk}/",
            {"password": PASSWORD, "return_url": scene.page.url},
        )
        assert response.status_code == 302
        return
    user = User.objects.create_user("agent", password="x")
    if scene.kind == "groups":
        user.groups.add(*scene.restriction.groups.all())
    client.force_login(user)


def log_in_as_map_staff(client) -> None:
    """A user who may view maps in the admin (no superuser, in no group of the pages)."""
    User = get_user_model()
    user = User.objects.create_user("cartographe", password="x", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_map"),
    )
    client.force_login(user)


def map_urls(scene: Scene, origin: str = "http://testserver") -> dict[str, str]:
    """Every URL that serves the map or its data, by a name for the test reports (``origin``:
    where the site answers, for the embed URL given to oEmbed)."""
    map_ = scene.map
    pk = map_.pk
    embed = f"{origin}/cartes/{pk}/embed/"
    urls = {
        "embed": f"/cartes/{pk}/embed/",
        "oembed": "/cartes/oembed/?url=" + quote(embed, safe=""),
        "api detail": f"/api/v2/maps/{pk}/",
    }
    for name in EXPORT_FORMATS:
        urls[f"download {name}"] = f"/cartes/{pk}/download.{name}"
    for number, item in enumerate(map_.layers, 1):
        urls[f"layer {number} data"] = f"/cartes/data/{pk}/{item['data']['digest']}.geojson"
        urls[f"layer {number} list"] = f"/cartes/{pk}/layers/{item['id']}/features/"
        urls[f"layer {number} list search"] = (
            f"/cartes/{pk}/layers/{item['id']}/features/?q=Dupont&partial=1"
        )
        urls[f"layer {number} api"] = f"/api/v2/maps/{pk}/layers/{item['id']}/"
        for name in EXPORT_FORMATS:
            urls[f"layer {number} download {name}"] = f"/cartes/{pk}/layers/{item['id']}.{name}"
    return urls


def api_titles(client, query: str = "") -> list[str]:
    response = client.get("/api/v2/maps/" + query)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


def sitemap_locations(client) -> list[str]:
    """What a Wagtail sitemap (wagtail.contrib.sitemaps) of the site lists for this client."""
    from django.contrib.sites.requests import RequestSite
    from wagtail.contrib.sitemaps import Sitemap

    request = client.get("/").wsgi_request  # a request of this client, with its session
    urls = Sitemap(request).get_urls(site=RequestSite(request), protocol="http")
    return [url["location"] for url in urls]
