"""A bounded local load on the example site while an editor publishes: errors, 404s, latency
percentiles and requests per second. A script, not a test.

    python benchmarks/load.py                      # 200 viewers for 60 s, publishes every 2 s
    python benchmarks/load.py --viewers 50 --duration 20      # a fast check
    python benchmarks/load.py --workers 3 --redis redis://127.0.0.1:6379/7

It creates a PostgreSQL database of its own (``--database``, dropped at the end; PostgreSQL on
127.0.0.1:5432 by default, ``DATABASE_ADMIN_URL`` to change), loads the demo (``load_demo``,
the 100,000-point map included), starts the example site on gunicorn (``--workers`` sync
workers, Django's static files handler in front, no web server), then for ``--duration``
seconds runs:

- ``--viewers`` simulated citizens, each a thread that opens a page of the demo (or an
  embed), fetches every layer data URL the page names (``Accept-Encoding: br, gzip``; every
  layer loads from its data URL here, ``--inline-max 0``, so each publish changes what pages
  name),
  sometimes the map's API answer, its oEmbed, a page of a feature list or a download, then
  pauses 0 to 1 s and starts again;
- a scripted editor, in a process of its own, that renames a feature of one of the demo's
  smaller maps and publishes it every ``--publish-every`` seconds (through the models, as the
  admin's publish does: a new revision, then ``publish()``).

Every response is counted by kind: errors (5xx, refused or timed-out connections), 404s
(a data URL that a page named and that no longer answers counts here) and latencies. The
load generator runs on the same machine: on a small machine it takes CPU from the server, so
the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.large_data import free_port  # noqa: E402

DATA_URL = re.compile(r"/cartes/data/\d+/[0-9a-f]{64}\.geojson")
FORMATS = ["geojson", "csv", "kml", "gpx", "umap"]

SETUP = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from wagtail.models import Page
from wagtail_umap.models import Map
pages = [p.url for p in Page.objects.live().specific() if p.url and p.depth > 1]
maps = [
    {"id": m.pk, "layers": [layer["id"] for layer in m.layers], "features": m.feature_count}
    for m in Map.objects.live()
]
print(json.dumps({"pages": pages, "maps": maps}))
"""

EDITOR = """
import sys, time, django
django.setup()
from wagtail_umap.models import Map
every, until = float(sys.argv[1]), time.time() + float(sys.argv[2])
maps = [m for m in Map.objects.live() if 0 < m.feature_count <= 2000]
count = 0
while time.time() < until:
    started = time.time()
    map_ = Map.objects.get(pk=maps[count % len(maps)].pk)
    document = map_.full_document()
    for layer in document["layers"]:
        if layer.get("features"):
            layer["features"][0].setdefault("properties", {})["name"] = f"Version {count}"
            break
    map_.set_document(document)
    map_.save_revision().publish()
    count += 1
    time.sleep(max(0.0, every - (time.time() - started)))
print(count)
"""


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.failures: dict[str, list[str]] = defaultdict(list)

    def add(self, kind: str, status: int, seconds: float, url: str) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if status == 404 or status >= 500 or status == 0:  # 503 too: kept to show
                self.failures[kind].append(f"{status} {url}")


class Viewer(threading.Thread):
    def __init__(self, base: str, site: dict, stats: Stats, until: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.base, self.site, self.stats, self.until = base, site, stats, until
        self.rng = random.Random(seed)

    def get(self, kind: str, path: str, headers: dict | None = None) -> bytes:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        start = time.perf_counter()
        status, body = 0, b""
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                body = reply.read()
                status = reply.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0  # refused, reset or timed out
        self.stats.add(kind, status, time.perf_counter() - start, path)
        return body

    def run(self) -> None:
        while time.time() < self.until:
            self.session()
            time.sleep(self.rng.random())

    def session(self) -> None:
        rng, site = self.rng, self.site
        map_ = rng.choice(site["maps"])
        if rng.random() < 0.2:
            html = self.get("embed", f"/cartes/{map_['id']}/embed/")
        else:
            html = self.get("page", rng.choice(site["pages"]))
        for url in sorted(set(DATA_URL.findall(html.decode("utf-8", "replace")))):
            self.get("data URL", url, {"Accept-Encoding": "br, gzip"})
        choice = rng.random()
        if choice < 0.15:
            self.get("API", f"/api/v2/maps/{map_['id']}/")
        elif choice < 0.25:
            embed = f"{self.base}/cartes/{map_['id']}/embed/"
            self.get("oEmbed", f"/cartes/oembed/?url={embed}")
        elif choice < 0.35 and map_["layers"]:
            layer = rng.choice(map_["layers"])
            self.get("feature list", f"/cartes/{map_['id']}/layers/{layer}/features/?page=2")
        elif choice < 0.40:
            name = rng.choice(FORMATS)
            path = f"/cartes/{map_['id']}/download.{name}"
            if map_["layers"] and rng.random() < 0.5:
                path = f"/cartes/{map_['id']}/layers/{rng.choice(map_['layers'])}.{name}"
            self.get("download", path, {"Accept-Encoding": "gzip"})


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, text=True, check=True, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--publish-every", type=float, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database", default="wagtail_umap_load")
    parser.add_argument("--redis", help="a Redis URL for Django's cache (default: per process)")
    parser.add_argument(
        "--inline-max",
        type=int,
        default=0,
        help="INLINE_LAYER_MAX_BYTES: 0 (the default here) makes every layer load from its data "
        "URL, so that each publish changes what pages name",
    )
    parser.add_argument(
        "--grace", type=int, help="DATA_URL_GRACE_SECONDS (0: measure without the grace period)"
    )
    args = parser.parse_args()

    import psycopg

    admin_url = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin_url)
    database_url = parts._replace(path=f"/{args.database}").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        connection.execute(f'CREATE DATABASE "{args.database}"')
    media = tempfile.mkdtemp(prefix="wagtail-umap-load-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.large.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "BENCHMARK_MEDIA_ROOT": media,
    }
    if args.redis:
        env["BENCHMARK_REDIS_URL"] = args.redis
    env["BENCHMARK_INLINE_LAYER_MAX_BYTES"] = str(args.inline_max)
    if args.grace is not None:
        env["BENCHMARK_DATA_URL_GRACE_SECONDS"] = str(args.grace)
    server = None
    try:
        print("Loading the demo…", flush=True)
        output = run([sys.executable, "-c", SETUP], env, capture_output=True).stdout
        site = json.loads(output.strip().splitlines()[-1])  # after load_demo's own message
        port = free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "-w", str(args.workers), "-b", f"127.0.0.1:{port}"]
            + ["--timeout", "120", "--log-level", "warning", "benchmarks.large.wsgi"],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + site["pages"][0], timeout=30).read()
                break
            except OSError:
                time.sleep(0.3)
        # Warm up: every page once (first renders, caches), as a site does before a crowd.
        for page in site["pages"]:
            urllib.request.urlopen(base + page, timeout=120).read()
        print(
            f"{len(site['pages'])} pages, {len(site['maps'])} maps; "
            f"{args.viewers} viewers for {args.duration:.0f} s…",
            flush=True,
        )
        stats = Stats()
        until = time.time() + args.duration
        editor = subprocess.Popen(
            [sys.executable, "-c", EDITOR, str(args.publish_every), str(args.duration)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        started = time.time()
        viewers = [Viewer(base, site, stats, until, seed) for seed in range(args.viewers)]
        for viewer in viewers:
            viewer.start()
        for viewer in viewers:
            viewer.join()
        elapsed = time.time() - started
        publishes = int(editor.communicate()[0].strip() or 0)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    report(args, stats, elapsed, publishes)


def report(args, stats: Stats, elapsed: float, publishes: int) -> None:
    total = sum(len(values) for values in stats.latencies.values())
    print(
        f"\n{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; gunicorn {args.workers} sync "
        f"workers, PostgreSQL, {'Redis' if args.redis else 'per-process'} cache; "
        f"{args.viewers} viewers, {elapsed:.0f} s; {publishes} publishes (every "
        f"{args.publish_every:g} s); INLINE_LAYER_MAX_BYTES={args.inline_max}"
        + (f", DATA_URL_GRACE_SECONDS={args.grace}" if args.grace is not None else "")
    )
    print("\n| requests | count | errors | busy (503) | 404 | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    everything: list[float] = []
    errors = not_found = busy = 0
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        everything += values
        statuses = stats.statuses[kind]
        # A 503 with Retry-After is the downloads' deliberate answer while a file is computed
        # (docs/large-data.md): counted apart from errors.
        kind_busy = statuses.get(503, 0)
        kind_errors = sum(
            n for status, n in statuses.items() if status == 0 or (status >= 500 and status != 503)
        )
        kind_404 = statuses.get(404, 0)
        errors, not_found, busy = errors + kind_errors, not_found + kind_404, busy + kind_busy
        print(
            f"| {kind} | {len(values)} | {kind_errors} | {kind_busy} | {kind_404} | "
            f"{percentile(values, 0.5) * 1000:.0f} | {percentile(values, 0.95) * 1000:.0f} | "
            f"{percentile(values, 0.99) * 1000:.0f} |"
        )
    print(
        f"| all | {total} | {errors} | {busy} | {not_found} | "
        f"{percentile(everything, 0.5) * 1000:.0f} | "
        f"{percentile(everything, 0.95) * 1000:.0f} | {percentile(everything, 0.99) * 1000:.0f} |"
    )
    median = statistics.median(everything) * 1000
    print(f"\n{total / elapsed:.1f} requests/s; median {median:.0f} ms")
    for kind, failures in stats.failures.items():
        for failure in failures[:5]:
            print(f"  {kind}: {failure}")


if __name__ == "__main__":
    main()
