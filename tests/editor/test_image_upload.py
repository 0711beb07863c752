"""The place panel's "Choose an image on your computer": the file is sent as soon as it is chosen
and Wagtail makes the image (its form, permissions, collections and messages)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from wagtail_umap.editor.image_upload import image_title
from wagtail_umap.editor.panels import panel_config

pytestmark = pytest.mark.django_db

URL = "/admin/wagtail_umap/editor/image/"


def jpeg(name: str = "scène-1.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (400, 300), (200, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("agent", "a@example.org", "pw")


def test_a_chosen_photo_becomes_a_wagtail_image_at_once(client, admin_user):
    client.force_login(admin_user)
    response = client.post(URL, {"file": jpeg()})
    assert response.status_code == 200, response.content
    answer = response.json()
    image = get_image_model().objects.get(pk=answer["id"])
    assert image.title == answer["title"] == "scène-1"
    assert image.uploaded_by_user == admin_user
    assert (image.width, image.height) == (400, 300)
    assert answer["preview"]["width"] == 165 and answer["preview"]["url"].endswith(".jpg")
    assert "default_alt_text" in answer


def test_a_file_that_is_not_an_image_is_refused_in_the_users_language(client, admin_user):
    client.force_login(admin_user)
    text = SimpleUploadedFile("programme.txt", b"Fanfares", content_type="text/plain")
    with translation.override("fr"):
        response = client.post(URL, {"file": text}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "n'est pas une image" in " ".join(errors), errors
    assert not get_image_model().objects.exists()
    with translation.override("fr"):
        nothing = client.post(URL, {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert nothing.json() == {"errors": ["Choisissez un fichier d’image."]}


def test_only_users_who_may_add_images_send_one(client, django_user_model):
    assert client.post(URL, {"file": jpeg()}).status_code == 302  # to the admin's login
    user = django_user_model.objects.create_user("lecteur", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.post(URL, {"file": jpeg()}).status_code == 403
    group = Group.objects.create(name="Photographes")
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="add_image"),
    )
    user.groups.add(group)
    assert client.post(URL, {"file": jpeg()}).status_code == 200
    assert client.get(URL).status_code == 405


def test_csrf_is_required(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.post(URL, {"file": jpeg()}).status_code == 403


def test_the_editor_knows_the_address_and_the_title_is_the_files_name():
    assert panel_config()["choosers"]["image_upload"] == URL
    assert image_title("IMG_2041.JPEG") == "IMG_2041"
    assert image_title("photos/place de l’église.png") == "place de l’église"
