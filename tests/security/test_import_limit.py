"""One size limit for imported files, MAX_IMPORT_BYTES: the editor's import endpoint (plain or
gzip-compressed), the readers, ``umap_import`` and the editor's configuration all use it, and
every refusal states it with the readers' own message."""

from __future__ import annotations

import gzip
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.factories import point
from wagtail_umap.conf import get_import_limits
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.editor.widget import MapEditorWidget
from wagtail_umap.formats import read_map_file

pytestmark = pytest.mark.django_db

URL = "/admin/wagtail_umap/editor/import/"
LIMIT = 5_000
MESSAGE = "le fichier est trop volumineux : {size} octets, la limite est de 5000 octets"


@pytest.fixture
def limited(settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "MAX_IMPORT_BYTES": LIMIT}


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("e", "e@example.org", "pw"))
    return client


def big_file() -> bytes:
    features = [point(2 + i / 1000, 47, f"École {i}") for i in range(60)]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    assert len(data) > LIMIT
    return data


def test_the_endpoint_the_reader_and_the_command_state_the_same_limit(admin, limited, tmp_path):
    data = big_file()
    expected = MESSAGE.format(size=len(data))

    response = admin.post(URL, {"file": SimpleUploadedFile("ecoles.geojson", data)})
    assert response.status_code == 413
    assert response.json()["errors"] == [expected[0].upper() + expected[1:]]

    # Compressed on the wire, it is still too large once read.
    packed = SimpleUploadedFile("ecoles.geojson", gzip.compress(data))
    response = admin.post(URL, {"file": packed, "encoding": "gzip"})
    assert response.status_code == 413
    assert "la limite est de 5000 octets" in response.json()["errors"][0]

    with pytest.raises(MapDocumentError) as error:
        read_map_file("ecoles.geojson", data, get_import_limits())
    assert error.value.messages() == [
        f"the file is too large: {len(data)} bytes, the limit is 5000 bytes"
    ]

    path = tmp_path / "ecoles.geojson"
    path.write_bytes(data)
    with pytest.raises(CommandError) as command_error:
        call_command("umap_import", str(path))
    assert expected in str(command_error.value)


def test_the_editor_knows_the_limit(limited):
    config = MapEditorWidget().get_context("document", None, {"id": "id_document"})
    assert config["editor_config"]["maxImportBytes"] == LIMIT
    assert config["editor_config"]["strings"]["file_too_large"] == (
        "Le fichier est trop volumineux : %(value)s octets, la limite est de %(limit)s octets"
    )
