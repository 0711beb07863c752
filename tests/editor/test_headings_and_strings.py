"""The map's admin views have a level-one heading (RGAA 9.1), and the editor's texts for the
language of the data, unnamed features and MultiPoint lists are in French."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.factories import make_map
from wagtail_umap.editor.widget import editor_strings

pytestmark = pytest.mark.django_db


def headings_one(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


def test_the_add_and_edit_views_have_one_level_one_heading(admin):
    add = admin.get("/admin/snippets/wagtail_umap/map/add/").content.decode()
    assert len(headings_one(add)) == 1
    map_ = make_map("Écoles de la commune")
    edit = admin.get(f"/admin/snippets/wagtail_umap/map/edit/{map_.pk}/").content.decode()
    assert headings_one(edit) == [f"{headings_one(edit)[0].split(':')[0]}: Écoles de la commune"]


def test_the_editor_strings_for_rgaa_are_french():
    with translation.override("fr"):
        strings = editor_strings()
    assert strings["layer_language"] == "Langue des données"
    assert "« Élément sans nom n° N »" in strings["unnamed_warning"]
    assert strings["multipoint_insert"] % {"number": 2} == (
        "Ajouter un point au viseur après le point 2"
    )
