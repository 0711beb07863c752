"""What sharing a map costs: the weight of the embed page and the speed of the public URLs.

A script, not a test. It builds the demo in a throw-away SQLite database, then measures with
Django's test client (in process: no network, no server, so the figures are the application's
own cost) the bytes of the embed page and of everything it loads, and the median time of the
embed view, the oEmbed endpoint, the API list and detail, a layer's data URL and a download.

    python benchmarks/sharing.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
    os.environ["DJANGO_DEBUG"] = "1"  # static files served by Django, as in the demo
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def median_ms(client, url: str, repeat: int, **headers) -> tuple[float, int, int]:
    timings, response = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return statistics.median(timings), response.status_code, len(body)


def embed_weight(client, url: str) -> list[tuple[str, int]]:
    """The embed page and every script and stylesheet it references, with their sizes."""
    html = client.get(url).content
    rows = [(url, len(html))]
    for asset in re.findall(rb'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(asset.decode())
        body = b"".join(response.streaming_content) if response.streaming else response.content
        rows.append((asset.decode(), len(body)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from wagtail_umap.models import Map

    client = Client()
    map_ = Map.objects.live().get(title="Travaux de voirie")
    layer = map_.layers[0]
    embed = f"/cartes/{map_.pk}/embed/"
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f'\nEmbed page of "{map_.title}" ({map_.feature_count} features):\n')
    print("| resource | bytes |\n|---|---|")
    rows = embed_weight(client, embed)
    for path, size in rows:
        print(f"| `{path}` | {size:,} |")
    print(f"| **total (uncompressed)** | **{sum(size for _, size in rows):,}** |")

    etag = client.get(f"/api/v2/maps/{map_.pk}/")["ETag"]
    urls = [
        ("embed view", embed, {}),
        ("oEmbed", f"/cartes/oembed/?url=http://localhost{embed}", {}),
        ("API list", "/api/v2/maps/", {}),
        ("API detail", f"/api/v2/maps/{map_.pk}/", {}),
        ("API detail, revalidated (304)", f"/api/v2/maps/{map_.pk}/", {"If-None-Match": etag}),
        ("layer data URL", f"/cartes/data/{map_.pk}/{layer['data']['digest']}.geojson", {}),
        ("download, whole map as CSV", f"/cartes/{map_.pk}/download.csv", {}),
    ]
    print(f"\nMedian of {args.repeat} requests, in process:\n")
    print("| what | status | bytes | median ms |\n|---|---|---|---|")
    for label, url, headers in urls:
        ms, status, size = median_ms(client, url, args.repeat, **headers)
        print(f"| {label} | {status} | {size:,} | {ms:.1f} |")


if __name__ == "__main__":
    main()
