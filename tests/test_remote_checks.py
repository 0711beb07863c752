"""System checks of live data's settings: a malformed allowlist is an error, the test-only
loosenings left on without DEBUG a warning (docs/live-data.md)."""

from __future__ import annotations

from wagtail_umap.checks import check_remote_data


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_defaults_are_quiet(settings):
    settings.WAGTAIL_UMAP = {}
    assert check_remote_data() == []


def test_an_allowlist_of_host_names_is_quiet(settings):
    settings.WAGTAIL_UMAP = {"REMOTE_DATA_HOSTS": ["www.data.gouv.fr", ".opendatasoft.com"]}
    assert check_remote_data() == []


def test_urls_wildcards_and_strings_are_refused(settings):
    for hosts in (["https://www.data.gouv.fr/"], ["*.example.fr"], ["example.fr:8443"], "x.fr"):
        settings.WAGTAIL_UMAP = {"REMOTE_DATA_HOSTS": hosts}
        assert ids(check_remote_data()) == ["wagtail_umap.E017"], hosts


def test_test_only_loosenings_warn_without_debug(settings):
    settings.DEBUG = False
    settings.WAGTAIL_UMAP = {
        "REMOTE_DATA_HOSTS": ["localhost"],
        "REMOTE_DATA_PRIVATE_HOSTS": ["localhost"],
    }
    assert ids(check_remote_data()) == ["wagtail_umap.W017"]
    settings.DEBUG = True
    assert check_remote_data() == []
