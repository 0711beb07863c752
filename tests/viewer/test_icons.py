"""An editor's own marker icon served by the site (viewer/icons.py): a cleaned SVG with a
Content Security Policy of its own, a small PNG rendition of an image, nothing else."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import layer, make_map, point
from wagtail_umap.viewer.build import viewer_map_for
from wagtail_umap.viewer.config import viewer_config

pytestmark = pytest.mark.django_db

HOSTILE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 15 15" onload="alert(1)">'
    b'<script>alert(2)</script><path d="M1 1h13v13z"/>'
    b'<use href="https://evil.example/x.svg#a"/></svg>'
)


@pytest.fixture(autouse=True)
def root_collection():
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def document(data: bytes, name: str = "velo.svg"):
    from wagtail.documents import get_document_model

    return get_document_model().objects.create(title="Vélo", file=ContentFile(data, name=name))


def icon_url(value: str) -> str:
    return reverse("wagtail_umap:marker_icon") + "?icon=" + value


def test_an_svg_document_is_served_cleaned_with_its_own_policy(client):
    response = client.get(icon_url(f"document:{document(HOSTILE).pk}"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert 'd="M1 1h13v13z"' in body
    assert "alert" not in body and "evil" not in body and "script" not in body


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><path d='M0 0'/></svg>", "icone.txt"),
        (b"<html><script>alert(1)</script></html>", "page.svg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g/>" * 60_000 + b"</svg>", "big.svg"),
    ],
)
def test_other_documents_are_not_served(client, data, name):
    response = client.get(icon_url(f"document:{document(data, name).pk}"))
    assert response.status_code == 404


def test_a_private_collection_is_not_served(client):
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Privé")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    item = document(HOSTILE)
    item.collection = private
    item.save()
    assert client.get(icon_url(f"document:{item.pk}")).status_code == 404


@pytest.mark.parametrize("value", ["", "school", "document:0", "image:x", "document:999999"])
def test_unknown_icons_are_not_found(client, value):
    assert client.get(icon_url(value)).status_code == 404


def test_an_image_redirects_to_a_small_png_rendition(client):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(
        title="Logo", file=get_test_image_file("logo.png", size=(400, 300))
    )
    response = client.get(icon_url(f"image:{image.pk}"))
    assert response.status_code == 302
    rendition = image.renditions.get()
    assert response["Location"] == rendition.url
    assert rendition.width <= 96 and rendition.height <= 96
    assert rendition.url.endswith(".png")


def test_the_viewer_config_names_the_pictograms_a_map_uses():
    named = point(2.35, 48.85, "")
    named["properties"]["_style"] = {"icon": "pharmacy"}
    map_ = make_map("Santé", layers=[layer("Lieux", named, style={"icon": "hospital"})])
    config = viewer_config(viewer_map_for(map_))
    assert config["pictogramNames"] == {"hospital": "Hôpital", "pharmacy": "Pharmacie"}
    assert config["assets"]["pictograms"].endswith("wagtail_umap/vendor/maki/pictograms.svg")
    assert config["assets"]["icon"] == reverse("wagtail_umap:marker_icon")
    assert config["layers"][0]["style"]["icon"] == "hospital"


def test_a_rule_legend_names_the_pictogram_in_words():
    from django.utils import translation

    from wagtail_umap.viewer.rule_legends import style_words

    with translation.override("fr"):
        assert style_words({"icon": "school", "color": "#000091"}).endswith("école")
    with translation.override("en"):
        assert "school" in style_words({"icon": "school"})
    assert style_words({"icon": "document:3"}) == style_words({})  # an own icon has no name
