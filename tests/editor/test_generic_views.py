"""Wagtail's generic screens for maps read as plain French: no "(e)", "ce(tte)" or "sûr(e)"
(issue 19)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import make_home, make_map
from wagtail_umap.models import Map, MapPage

pytestmark = pytest.mark.django_db

GENERIC_FORMS = re.compile(r"\((e|tte|s)\)")


def url(name: str, map_) -> str:
    return reverse(f"wagtailsnippets_wagtail_umap_map:{name}", args=[map_.pk])


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def texts(response) -> list[str]:
    return [" ".join(str(message).split()) for message in get_messages(response.wsgi_request)]


def test_delete_screen_and_message(admin):
    make_home()
    map_ = make_map("Fête")
    text = main_text(admin.get(url("delete", map_)))
    assert "Cette carte n’est utilisée nulle part." in text
    assert "Voulez-vous vraiment supprimer cette carte ?" in text
    assert not GENERIC_FORMS.search(text), text
    response = admin.post(url("delete", map_))
    assert "Carte « Fête » supprimée." in texts(response)
    assert not Map.objects.exists()


def test_unpublish_screen_and_message_count_the_pages(admin):
    home = make_home()
    map_ = make_map("Travaux")
    home.add_child(instance=MapPage(title="Travaux", slug="travaux", map=map_))
    text = main_text(admin.get(url("unpublish", map_)))
    assert "Cette carte est utilisée à 1 endroit." in text
    assert "Voulez-vous vraiment dépublier cette carte ?" in text
    assert not GENERIC_FORMS.search(text), text
    response = admin.post(url("unpublish", map_))
    assert "Carte « Travaux » dépubliée : les visiteurs ne la voient plus." in [
        message.split(" <span")[0] for message in texts(response)
    ]
    map_.refresh_from_db()
    assert not map_.live


def test_unlock_message(admin):
    make_home()
    map_ = make_map("Bureaux de vote")
    admin.post(url("lock", map_))
    response = admin.post(url("unlock", map_))
    assert "Carte « Bureaux de vote » déverrouillée." in texts(response)
    assert not any(GENERIC_FORMS.search(message) for message in texts(response))
