"""Shared by the editor's tests: a client logged in as a superuser."""

import pytest


@pytest.fixture
def admin(client, django_user_model):
    """The test client, logged in as the superuser ``editor`` (``client.user``)."""
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    client.user = user
    return client
