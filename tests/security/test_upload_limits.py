"""The editor's import endpoint refuses what is too large before reading it, and says so in the
editor's language (JSON the editor shows), never with a bare 400 page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/wagtail_umap/editor/import/"
GEOJSON = b'{"type": "FeatureCollection", "features": []}'


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = readline = read


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editrice", "e@example.org", "pw")


@pytest.fixture
def admin(client, editor):
    client.force_login(editor)
    return client


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(admin, settings):
    settings.WAGTAIL_UMAP = {"MAX_IMPORT_BYTES": 1000}
    response = admin.generic(
        "POST",
        IMPORT_URL,
        b"x",
        content_type="multipart/form-data; boundary=frontiere",
        CONTENT_LENGTH=str(10**9),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    (message,) = response.json()["errors"]
    assert (
        message
        == "Le fichier est trop volumineux : 1000000000 octets, la limite est de 1000 octets"
    )


def test_the_refusal_is_in_the_editor_s_language(admin, editor, settings):
    in_english(editor)
    settings.WAGTAIL_UMAP = {"MAX_IMPORT_BYTES": 1000}
    response = admin.generic(
        "POST",
        IMPORT_URL,
        b"x",
        content_type="multipart/form-data; boundary=frontiere",
        CONTENT_LENGTH=str(10**9),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.json()["errors"] == [
        "The file is too large: 1000000000 bytes, the limit is 1000 bytes"
    ]


def test_a_file_over_the_limit_within_the_multipart_allowance_is_refused_too(admin, settings):
    settings.WAGTAIL_UMAP = {"MAX_IMPORT_BYTES": 1000}
    big = SimpleUploadedFile("gros.geojson", b" " * 2000 + GEOJSON)
    response = admin.post(IMPORT_URL, {"file": big})
    assert response.status_code == 413
    assert "2045 octets" in response.json()["errors"][0]


def test_form_fields_over_django_s_limit_get_a_message_not_a_bare_400(admin, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = admin.post(IMPORT_URL, {"file": "x" * 5000})  # the map as text, not as a file
    assert response.status_code == 413
    (message,) = response.json()["errors"]
    assert "1000 octets (DATA_UPLOAD_MAX_MEMORY_SIZE)" in message
    assert "champ « file »" in message

    in_english(editor)
    response = admin.post(
        IMPORT_URL, "file=" + "x" * 5000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "limit of 1000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)" in response.json()["errors"][0]


def test_too_many_fields_get_a_message(admin, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = admin.post(IMPORT_URL, {f"champ{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "La requête a trop de champs ou de fichiers : envoyez un seul fichier."
    ]


def test_the_csrf_token_is_still_checked_once_the_size_is_known(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.geojson", GEOJSON)})
    assert response.status_code == 403
    assert "jeton de sécurité" in response.json()["errors"][0]

    client.get("/admin/")  # the admin sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("a.geojson", GEOJSON)},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_an_anonymous_request_is_sent_to_the_login_page_unread(client):
    response = client.generic(
        "POST",
        IMPORT_URL,
        b"x",
        content_type="multipart/form-data; boundary=frontiere",
        CONTENT_LENGTH=str(10**9),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
