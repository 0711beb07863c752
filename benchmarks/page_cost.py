"""What a map costs the page it is on: render time with and without it, and queries per page.

A script, not a test. It builds the demo in a throw-away SQLite database (as
``benchmarks/sharing.py`` does), then renders with Django's test client, in process:

- the demo's municipal page (``/mairie-et-travaux/``: a place and the road-works map among the
  text) beside the same page without its two maps, alternating, medians: cold (every cache
  emptied before each request, Wagtail's too), the first render of a new version (a new version
  of the map published before each request, untimed; the demo's tasks go to a database queue
  that no worker runs here, so no warm-up), the first visitor render after a publish with the
  warm-up done (the worker's task ``prewarm_map_pages_task`` run, untimed, after each publish)
  and warm;
- pages holding 1, 2, 4 and 8 MapBlocks of different maps, and a map of 1 and of 8 layers,
  counting the SQL queries of one cold and one warm render.

    PYTHONPATH=. python benchmarks/page_cost.py [--repeat 40]

The cache is Redis's (database 15, emptied) when it answers on 127.0.0.1:6379, as a site in
production has it (``CACHE_URL`` chooses another); a per-process memory cache keeps the maps'
HTML only a few seconds (``safe_cache.PROCESS_LOCAL_TIMEOUT``), which a warm render would
outlive.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import socket
import statistics
import time

from benchmarks.sharing import setup_django

MUNICIPAL_PAGE = "mairie-et-travaux"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def compare(client, with_map: str, without: str, repeat: int, before) -> tuple[float, float]:
    """Median render times of the two pages, requested in turn so that both see the same load;
    ``before()`` runs (untimed) before each request, then a garbage collection (untimed): what
    ``before()`` left (a publish, a warm-up a worker would run in another process) is not
    collected in the timed request."""
    timings: dict[str, list[float]] = {with_map: [], without: []}
    for _ in range(repeat):
        for url in (with_map, without):
            before()
            gc.collect()
            timings[url].append(timed_get(client, url))
    return statistics.median(timings[with_map]), statistics.median(timings[without])


def empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def nothing() -> None:
    pass


def publisher(page):
    """Publishes a new version of the page's road-works map (its summary changes): the next
    render of the page is the first of that version."""
    from wagtail_umap.models import Map

    map_ = next(block.value["map"] for block in page.body if block.block_type == "map")
    map_ = Map.objects.get(pk=map_.pk)
    summary, count = map_.summary, iter(range(10**6))

    def publish() -> None:
        map_.summary = f"{summary} ({next(count)})"
        map_.save_revision().publish()

    return publish


def publisher_with_warm_up(page):
    """As :func:`publisher`, then the warm-up a worker runs after the publish (untimed)."""
    from wagtail_umap import safe_cache
    from wagtail_umap.viewer.caching import prewarm_map_pages_task

    publish = publisher(page)
    map_id = next(block.value["map"].pk for block in page.body if block.block_type == "map")

    def publish_and_warm_up() -> None:
        publish()
        prewarm_map_pages_task.call(map_ids=[map_id])
        # The worker's process, not this one, would hold its copies of what it rendered.
        safe_cache.process_copies.clear()

    return publish_and_warm_up


def queries_of(client, url: str) -> tuple[int, int]:
    """Queries of a cold render (empty cache) and of the warm one after it."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    return counts[0], counts[1]


def page_without_maps(page):
    """A copy of ``page`` beside it, with the same text and no map nor place."""
    body = [
        {"type": block.block_type, "value": block.block.get_prep_value(block.value)}
        for block in page.body
        if block.block_type not in ("map", "location")
    ]
    copy = page.__class__(title=page.title, slug=f"{page.slug}-sans-carte", body=body)
    page.get_parent().add_child(instance=copy)
    copy.save_revision().publish()
    return copy


def page_with_maps(home, maps, slug: str) -> str:
    from example_site.home.models import StandardPage

    body = [{"type": "paragraph", "value": "<p>Plusieurs cartes sur une page.</p>"}]
    body += [{"type": "map", "value": {"map": m.pk, "height": 400, "caption": ""}} for m in maps]
    page = StandardPage(title=slug, slug=slug, body=body)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page.url


def map_of_layers(count: int):
    from example_site.home.management.commands.load_demo import Command
    from wagtail_umap.models import Map

    base = Map.objects.live().get(title="Travaux de voirie")
    document = base.document
    layer = document["layers"][0]
    document["layers"] = [{**layer, "id": f"{layer['id']}-{i}"} for i in range(count)]
    document.update(title=f"{count} calques", summary=base.summary)
    return Command().publish_map(document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    if "CACHE_URL" not in os.environ and redis_answers():
        os.environ["CACHE_URL"] = "redis://127.0.0.1:6379/15"
    setup_django()
    from django.core.cache import cache

    cache.clear()
    print(f"cache: {os.environ.get('CACHE_URL', 'locmem:// (the demo default)')}")
    from django.core.management import call_command
    from django.test import Client

    # The reference index as a site's worker keeps it (the demo's tasks wait in a database
    # queue that no worker runs here): which pages show a map, for the warm-up.
    call_command("rebuild_references_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from wagtail.models import Page

    from wagtail_umap.models import Map

    client = Client()
    municipal = Page.objects.get(slug=MUNICIPAL_PAGE).specific
    bare = page_without_maps(municipal)
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print("Load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"\nMedian of {args.repeat} renders, in process, alternating the two pages:\n")
    print("| render | with its maps (ms) | without (ms) | ratio |\n|---|---|---|---|")
    runs = (
        ("cold: every cache emptied", empty_cache),
        ("first render of a new version of the map, no warm-up", publisher(municipal)),
        ("first visitor render after a publish, warm-up done", publisher_with_warm_up(municipal)),
        ("warm", nothing),
    )
    for label, before in runs:
        with_ms, without_ms = compare(client, municipal.url, bare.url, args.repeat, before)
        print(f"| {label} | {with_ms:.1f} | {without_ms:.1f} | {with_ms / without_ms:.2f}× |")

    home = municipal.get_parent().specific
    maps = list(Map.objects.live().order_by("pk")[:8])
    print("\nSQL queries of one page render:\n")
    print("| page | cold | warm |\n|---|---|---|")
    rows = [("without a map", bare.url)]
    for count in (1, 2, 4, 8):
        rows.append((f"{count} MapBlock(s)", page_with_maps(home, maps[:count], f"blocs-{count}")))
    for count in (1, 8):
        url = page_with_maps(home, [map_of_layers(count)], f"calques-{count}")
        rows.append((f"1 map of {count} layer(s)", url))
    for label, url in rows:
        cold, warm = queries_of(client, url)
        print(f"| {label} | {cold} | {warm} |")


if __name__ == "__main__":
    main()
