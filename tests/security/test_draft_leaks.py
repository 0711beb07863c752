"""Nothing of a draft reaches a public URL: a published map with unpublished changes shows its
published version on every URL, and a never-published map has none (with the existing tests of
tests/sharing and tests/viewer, each URL on its own)."""

from __future__ import annotations

import pytest

from tests.factories import document, layer, make_map, point
from tests.security.privacy import Scene, api_titles, map_urls

pytestmark = pytest.mark.django_db

DRAFT_TEXT = "Brouillon confidentiel"


def test_unpublished_changes_reach_no_url(client):
    map_ = make_map("Carte publiée")
    draft = map_.get_latest_revision_as_object()
    draft.title = DRAFT_TEXT
    draft.summary = DRAFT_TEXT
    draft.set_document(
        document(layer(DRAFT_TEXT, point(2.4, 48.9, DRAFT_TEXT, description=DRAFT_TEXT)))
    )
    draft.save_revision()
    draft_urls = map_urls(Scene("draft", draft, None, None))  # the draft's own layer ids
    for name, url in {**map_urls(Scene("live", map_, None, None)), **draft_urls}.items():
        response = client.get(url)
        assert DRAFT_TEXT not in response.content.decode("utf-8", "replace"), name
    assert DRAFT_TEXT not in api_titles(client)


def test_a_map_never_published_has_no_url(client, django_user_model):
    map_ = make_map(DRAFT_TEXT, publish=False)
    scene = Scene("draft", map_, None, None)
    client.force_login(django_user_model.objects.create_superuser("admin", "a@b.fr", "x"))
    statuses = {name: client.get(url).status_code for name, url in map_urls(scene).items()}
    assert set(statuses.values()) == {404}  # even for staff: a draft has no public URL
