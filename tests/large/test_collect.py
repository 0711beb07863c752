"""The collection of unused layer data: killed saves, purged revisions, referenced digests
kept, saves in progress safe, the periodic task."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from tests.factories import layer, make_map, point
from wagtail_umap.core.errors import MapDocumentError
from wagtail_umap.models import LayerData, Map
from wagtail_umap.models.collect import collect_layer_data, referenced_digests
from wagtail_umap.models.layer_data import LayerDataCollection, PublishedLayer
from wagtail_umap.models.store import layer_digests, store_document

pytestmark = pytest.mark.django_db


def features(name: str, count: int = 3) -> list[dict]:
    return [point(2.0 + i / 100, 47.0, f"{name} {i}") for i in range(count)]


def age(*digests: str, hours: float = 48) -> None:
    """As if no save had used these rows for ``hours``."""
    LayerData.objects.filter(digest__in=digests).update(
        touched_at=timezone.now() - timedelta(hours=hours)
    )


def age_everything() -> None:
    age(*LayerData.objects.values_list("digest", flat=True))


def killed_save(name: str) -> str:
    """A save killed after storing its layer and before writing its revision: a row no map
    or revision refers to."""
    return LayerData.store(features(name)).digest


def revision_digests(map_: Map) -> set[str]:
    return {d for r in map_.revisions.all() for d in layer_digests(r.content["document"])}


def every_reference_resolves() -> None:
    for map_ in Map.objects.all():
        map_.full_document()
        for revision in map_.revisions.all():
            revision.as_object().full_document()


def save_draft(map_: Map, name: str) -> None:
    map_ = Map.objects.get(pk=map_.pk)
    document = map_.full_document()
    document["layers"][0]["features"] = features(name)
    map_.set_document(document)
    map_.save_revision()


def test_killed_saves_are_collected_and_every_reference_kept():
    published = make_map("Publiée", layers=[layer("A", *features("publiée"))])
    draft_only = make_map("Brouillon", publish=False, layers=[layer("B", *features("brouillon"))])
    save_draft(published, "brouillon de la publiée")  # a draft revision over the live map
    orphans = {killed_save("tuée 1"), killed_save("tuée 2")}
    age_everything()
    kept = referenced_digests()
    assert layer_digests(published.document) <= kept
    assert revision_digests(published) | revision_digests(draft_only) <= kept
    assert not orphans & kept

    result = collect_layer_data()
    assert set(result.deleted) == orphans
    assert result.freed_bytes > 0
    assert not LayerData.objects.filter(digest__in=orphans).exists()
    assert set(LayerData.objects.values_list("digest", flat=True)) == kept
    every_reference_resolves()


def test_recent_data_is_kept_whatever_refers_to_it():
    """A save in progress has stored its layer and not yet written its revision."""
    old, recent = killed_save("ancienne"), killed_save("récente")
    age(old)
    assert collect_layer_data().deleted == [old]
    assert LayerData.objects.filter(digest=recent).exists()


def test_storing_data_again_touches_it_so_a_save_keeps_it():
    """An orphan a new save stores again (same content) is touched: no longer collectable."""
    digest = killed_save("reprise")
    age(digest)
    assert LayerData.store(features("reprise")).digest == digest
    assert collect_layer_data().deleted == []


def test_a_reference_to_collected_data_is_refused_with_its_place():
    """The other order: the collection deleted the row before the save touched it. The save
    refuses with a located message instead of writing a revision with missing data."""
    map_ = make_map(layers=[layer("Écoles", *features("école"))])
    document = map_.document
    Map.objects.all().delete()
    age_everything()
    collect_layer_data()
    with pytest.raises(MapDocumentError) as error:
        store_document(document)
    with translation.override("fr"):
        (message,) = error.value.messages(translation.gettext)
    assert message.startswith("calque 1 « Écoles » : les données de ce calque ne sont plus")


def test_a_reference_held_is_touched_by_the_save():
    map_ = make_map(layers=[layer("Écoles", *features("école"))])
    age_everything()
    store_document(map_.document)  # a save that keeps the layer as it was
    digest = next(iter(layer_digests(map_.document)))
    assert LayerData.objects.get(digest=digest).touched_at > timezone.now() - timedelta(minutes=1)


def test_purge_revisions_then_collect_frees_what_only_old_revisions_used():
    map_ = make_map("Travaux", layers=[layer("Travaux", *features("v1"))])
    first = set(layer_digests(map_.document))
    for version in ("v2", "v3", "v4"):
        save_draft(map_, version)
    latest = Map.objects.get(pk=map_.pk).latest_revision
    latest.publish()
    live = set(layer_digests(Map.objects.get(pk=map_.pk).document))
    in_revisions = revision_digests(map_)
    assert len(in_revisions) == 4
    age_everything()
    assert collect_layer_data().deleted == []  # every revision still refers to its data

    call_command("purge_revisions", stdout=io.StringIO())
    remaining = revision_digests(map_)
    assert remaining == live  # the live, latest revision only
    result = collect_layer_data()
    # v1 was live until the publish of v4: its data URLs answer for the grace period.
    assert set(result.deleted) == in_revisions - live - first
    PublishedLayer.objects.exclude(retired_at=None).update(
        retired_at=timezone.now() - timedelta(days=2)
    )
    assert set(collect_layer_data().deleted) == first
    every_reference_resolves()


def test_dry_run_lists_and_deletes_nothing():
    orphan = killed_save("orpheline")
    age(orphan)
    out = io.StringIO()
    call_command("umap_collect_layer_data", "--dry-run", "-v", "2", stdout=out)
    assert orphan in out.getvalue()
    assert "1 inutilisées seraient supprimées" in out.getvalue()
    assert LayerData.objects.filter(digest=orphan).exists()
    call_command("umap_collect_layer_data", stdout=io.StringIO())
    assert not LayerData.objects.filter(digest=orphan).exists()


def test_min_age_option_of_the_command():
    orphan = killed_save("orpheline")
    age(orphan, hours=3)
    call_command("umap_collect_layer_data", "--min-age", "6", stdout=io.StringIO())
    assert LayerData.objects.filter(digest=orphan).exists()
    call_command("umap_collect_layer_data", "--min-age", "2", stdout=io.StringIO())
    assert not LayerData.objects.filter(digest=orphan).exists()


def test_a_translation_source_keeps_its_data():
    from wagtail_localize.models import TranslationSource

    map_ = make_map(layers=[layer("Écoles", *features("source"))])
    TranslationSource.get_or_create_from_instance(map_)
    source_digests = set(layer_digests(map_.document))
    Map.objects.filter(pk=map_.pk).update(document={"version": 1, "options": {}, "layers": []})
    map_.revisions.all().delete()
    age_everything()
    assert collect_layer_data().deleted == []
    assert source_digests <= set(LayerData.objects.values_list("digest", flat=True))


def test_publishing_enqueues_the_collection_once_per_interval(settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "LAYER_DATA_COLLECT_INTERVAL": 3600}
    orphan = killed_save("orpheline")
    age(orphan)
    make_map("Première")  # publish: the immediate backend runs the task at once
    runs = list(LayerDataCollection.objects.all())
    assert len(runs) == 1 and runs[0].finished_at is not None and runs[0].deleted == 1
    assert not LayerData.objects.filter(digest=orphan).exists()
    make_map("Seconde")  # within the interval: not again
    assert LayerDataCollection.objects.count() == 1


def test_no_periodic_collection_when_turned_off(settings):
    settings.WAGTAIL_UMAP = {**settings.WAGTAIL_UMAP, "LAYER_DATA_COLLECT_INTERVAL": 0}
    make_map()
    assert not LayerDataCollection.objects.exists()
