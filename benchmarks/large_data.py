"""Large data: what national-scale layers cost on the server and in a browser, against the
plain-Leaflet page a site would write by hand. A script, not a test.

    python benchmarks/large_data.py            # the sizes of issue 7 (about 10 minutes)
    python benchmarks/large_data.py --quick    # a tenth of them, a fast check
    python benchmarks/large_data.py --million  # adds 1,000,000 charge points (slow)
    python benchmarks/large_data.py --render-only  # page render with and without a map (1 min)

It generates the data (no network, fixed seeds: benchmarks/large/data.py) into a throw-away
SQLite database, then measures:

- on the server, in process: saving each map (``store.validate_and_store``: validation,
  serialisation, compression, insert), page render time with and without a map (Django's test
  client, median); with one gunicorn sync worker on loopback: requests per second of a
  10,000-feature layer's data URL (wrk when installed, else a Python loop; it says which);
- in headless Chromium (Debian's /usr/bin/chromium, software rendering), for our viewer and
  for the baseline pages (``L.geoJSON`` with default markers and, for points,
  Leaflet.markercluster from benchmarks/vendor, fetching the same data URL): bytes
  transferred, time to the first drawn features and to all of them, pan and zoom response
  (until the DOM and the canvas tiles are quiet again), JS heap after a garbage collection,
  DOM elements in the map.

The basemap's tiles are answered with a blank image (no request leaves the machine).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "benchmarks" / "vendor" / "leaflet-markercluster"
LARGE = ROOT / "benchmarks" / "large"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
FULL = {"points": 100_000, "communes": 35_000, "lines": 50_000, "save": 10_000}
QUICK = {"points": 20_000, "communes": 3_500, "lines": 5_000, "save": 10_000}


@dataclass
class Dataset:
    key: str
    label: str
    layers: list[dict]
    baselines: list[str]  # "geojson", "markercluster"
    features: int = 0
    save_ms: float = 0.0
    stored_bytes: int = 0
    gzip_bytes: int = 0
    br_bytes: int = 0
    slug: str = ""
    data_urls: list[str] = field(default_factory=list)
    bounds: list | None = None
    render: list[str] = field(default_factory=list)
    map_id: int = 0


# --- set-up --------------------------------------------------------------------------------------


def setup_django(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.large.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def home_page():
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from example_site.home.models import StandardPage

    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=StandardPage(title="Accueil", slug="accueil-bench"))
    Site.objects.all().delete()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True)
    return home


def add_page(home, slug: str, title: str, map_id: int | None):
    from example_site.home.models import StandardPage

    body = [{"type": "paragraph", "value": "<p>Une page de la commune, avec ou sans carte.</p>"}]
    if map_id is not None:
        body.append({"type": "map", "value": {"map": map_id, "height": 480, "caption": ""}})
    page = home.add_child(instance=StandardPage(title=title, slug=slug, body=body))
    page.save_revision().publish()
    return page


def save_dataset(dataset: Dataset, home) -> None:
    """Save and publish the map the way an import does, timing the store path."""
    from wagtail_umap.models import LayerData, Map, store
    from wagtail_umap.viewer.build import layer_data_url, viewer_map_for

    document = {"version": 1, "options": {}, "layers": dataset.layers}
    dataset.features = sum(len(layer["features"]) for layer in dataset.layers)
    start = time.perf_counter()
    stored = store.validate_and_store(document)
    dataset.save_ms = (time.perf_counter() - start) * 1000
    map_ = Map(title=dataset.label, summary=f"Banc d’essai : {dataset.label}.", document=stored)
    map_.save()
    map_.save_revision().publish()
    dataset.map_id = map_.pk
    rows = LayerData.objects.filter(digest__in=store.layer_digests(stored))
    for row in rows:
        dataset.stored_bytes += row.size
        dataset.gzip_bytes += len(bytes(row.geojson_gzip))
        dataset.br_bytes += len(bytes(row.geojson_br))
    viewer_map = viewer_map_for(map_)
    # Every layer of a live map has a data URL, even one small enough to travel in the page.
    dataset.data_urls = [layer_data_url(map_, row) for row in rows]
    from wagtail_umap.viewer.config import layer_config, view_config

    dataset.bounds = view_config(viewer_map)["bounds"]
    dataset.render = [layer_config(layer)["render"] for layer in viewer_map.layers]
    dataset.slug = dataset.key.replace("_", "-")
    add_page(home, dataset.slug, dataset.label, map_.pk)
    dataset.layers = []  # free the memory


# --- server --------------------------------------------------------------------------------------


def median_render_ms(path: str, repeat: int, cold: bool = False) -> float:
    """Median time of a page request. ``cold`` empties Django's cache before each one, so the
    viewer's fragment is built every time (the first visit after publishing)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.get(path)  # warm the template loader and settings
    timings = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings)


def page_render_figures(repeat: int) -> dict[str, float]:
    """Render time of the page without a map, and with the municipal map cold and warm."""
    return {
        "page_plain": median_render_ms("/sans-carte/", repeat),
        "page_map_cold": median_render_ms("/municipal/", repeat, cold=True),
        "page_map": median_render_ms("/municipal/", repeat),
    }


def page_render_report(server: dict) -> list[str]:
    plain, cold, warm = server["page_plain"], server["page_map_cold"], server["page_map"]
    return [
        f"- Page render, median of {server['repeat']} (in process): without a map "
        f"{plain:.1f} ms; with the municipal map {cold:.1f} ms cold (cache emptied before each "
        f"render: **{cold / plain:.2f}×**) and {warm:.1f} ms warm (viewer fragment cached: "
        f"**{warm / plain:.2f}×**).",
    ]


def render_only(args) -> None:
    """Only the page-render figures: the municipal map and a page without a map."""
    folder = Path(tempfile.mkdtemp(prefix="umap-render-"))
    setup_django(folder / "bench.sqlite3")
    from benchmarks.large import data

    home = home_page()
    save_dataset(Dataset("municipal", "Carte municipale", data.municipal_layers(), []), home)
    add_page(home, "sans-carte", "Sans carte", None)
    server = {"repeat": args.repeat, **page_render_figures(args.repeat)}
    print("\n".join(page_render_report(server)))
    shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database: Path) -> tuple[subprocess.Popen, str, str]:
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "benchmarks.large.settings",
        "PYTHONPATH": str(ROOT),
    }
    if gunicorn.exists():
        command = [str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "300"]
        command += ["--log-level", "warning", "benchmarks.large.wsgi"]
        server = "gunicorn, 1 sync worker"
    else:
        command = [sys.executable, "-m", "django", "runserver", "--noreload", "--nothreading"]
        command += [f"127.0.0.1:{port}"]
        server = "Django runserver, no threads (gunicorn not installed)"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/static/leaflet/leaflet.js", timeout=2)
            return process, server, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the benchmark server did not start")


def requests_per_second(url: str, seconds: int = 5) -> tuple[float, str]:
    """Data URL throughput on the single worker: wrk when installed, else a Python loop."""
    headers = {"Accept-Encoding": "br, gzip"}
    wrk = shutil.which("wrk")
    if wrk:
        output = subprocess.run(
            [wrk, "-t1", "-c4", f"-d{seconds}s", "-H", "Accept-Encoding: br, gzip", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "wrk -t1 -c4"
    count, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        request = urllib.request.Request(url, headers=headers)
        urllib.request.urlopen(request).read()
        count += 1
    return count / seconds, "a Python loop, 1 connection"


# --- browser -------------------------------------------------------------------------------------

RECORDER = (LARGE / "recorder.js").read_text()

BASELINE_JS = (LARGE / "baseline.js").read_text()

# Zoom in, zoom out, pan and pan back; each timed until the map is quiet again: no DOM change
# in the map and no canvas tile loading for three frames.
INTERACT = (LARGE / "interact.js").read_text()


@dataclass
class BrowserResult:
    bytes: int = 0
    first_ms: float | None = None
    ready_ms: float | None = None
    interaction_ms: list[float] = field(default_factory=list)
    heap_mb: float | None = None
    dom_nodes: int | None = None
    note: str = ""


def baseline_html(dataset: Dataset, mode: str, base: str) -> str:
    import json

    from django.utils.html import escape

    cluster = (
        '<link rel="stylesheet" href="/__baseline/MarkerCluster.css">'
        '<link rel="stylesheet" href="/__baseline/MarkerCluster.Default.css">'
        '<script src="/__baseline/leaflet.markercluster.js"></script>'
        if mode == "markercluster"
        else ""
    )
    from wagtail_umap.models.basemaps import get_basemap

    tiles = get_basemap("plan_ign")["url"].replace("{z}", "{z}")
    return f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Baseline</title><link rel="stylesheet" href="/static/leaflet/leaflet.css">
<link rel="stylesheet" href="/__baseline/page.css">
<script src="/static/leaflet/leaflet.js"></script>{cluster}</head>
<body data-mode="{mode}" data-urls="{escape(json.dumps(dataset.data_urls))}"
 data-bounds="{escape(json.dumps(dataset.bounds))}" data-tiles="{escape(tiles)}">
<div id="map"></div><script src="/__baseline/bench.js"></script></body></html>"""


def route(route_, base: str, pages: dict[str, str]) -> None:
    from urllib.parse import urlsplit

    url = route_.request.url
    parts = urlsplit(url)
    if url.startswith(base):
        if parts.path.startswith("/__baseline/"):
            name = parts.path.rsplit("/", 1)[1]
            if name in pages:
                return route_.fulfill(status=200, content_type="text/html", body=pages[name])
            if name == "bench.js":
                return route_.fulfill(content_type="text/javascript", body=BASELINE_JS)
            if name == "page.css":
                return route_.fulfill(
                    content_type="text/css", body="#map{height:480px;width:100%}body{margin:0}"
                )
            path = VENDOR / name
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            return route_.fulfill(content_type=kind, body=path.read_bytes())
        return route_.continue_()
    if parts.hostname and ("geopf" in parts.hostname or "openstreetmap" in parts.hostname):
        return route_.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
    return route_.abort()


def measure_page(browser, url: str, dom_id: str | None, base: str, pages, timeout_s: int):
    result = BrowserResult()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    # Only the baseline pages and the basemap's hosts go through Python; the rest is direct.
    context.route(f"{base}/__baseline/**", lambda r: route(r, base, pages))
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: route(r, base, pages))
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    if dom_id:
        page.add_init_script(RECORDER)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_function(
            "() => window.__bench && window.__bench.ready", timeout=timeout_s * 1000
        )
    except Exception as error:  # a baseline that does not finish in time
        # The page's thread may be frozen: ask it nothing more.
        result.note = f"not ready after {timeout_s} s" if "Timeout" in str(error) else str(error)
        context.close()
        return result
    result.first_ms = page.evaluate("() => window.__bench.first")
    result.ready_ms = page.evaluate("() => window.__bench.ready")
    result.bytes = sum(received)
    result.interaction_ms = page.evaluate(INTERACT, dom_id)
    cdp.send("HeapProfiler.collectGarbage")
    result.heap_mb = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
    result.dom_nodes = page.evaluate(
        "() => document.querySelector('.leaflet-container').querySelectorAll('*').length"
    )
    if errors:
        result.note = "; ".join(errors)[:200]
    context.close()
    return result


def browser_runs(datasets: list[Dataset], base: str, timeout_s: int) -> dict:
    from playwright.sync_api import sync_playwright

    pages = {}
    for dataset in datasets:
        for mode in dataset.baselines:
            pages[f"{dataset.key}-{mode}.html"] = baseline_html(dataset, mode, base)
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for dataset in datasets:
            print(f"  browser: {dataset.label}", flush=True)
            results[(dataset.key, "ours")] = measure_page(
                browser, f"{base}/{dataset.slug}/", f"umap-{dataset.map_id}", base, pages, timeout_s
            )
            for mode in dataset.baselines:
                print(f"  browser: {dataset.label}, baseline {mode}", flush=True)
                results[(dataset.key, mode)] = measure_page(
                    browser,
                    f"{base}/__baseline/{dataset.key}-{mode}.html",
                    None,
                    base,
                    pages,
                    timeout_s,
                )
        browser.close()
    return results


# --- report --------------------------------------------------------------------------------------


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def ratio(ours: float | None, baseline: float | None) -> str:
    if not ours or not baseline:
        return "–"
    return f"{baseline / ours:.1f}×"


def report(datasets, results, server: dict) -> str:
    lines = [
        f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}, Chromium headless with software rendering "
        f"({CHROMIUM}). Date: {time.strftime('%Y-%m-%d')}.",
        "",
        "### Server",
        "",
        "| data | features | render | save (validate, serialise, compress, insert) "
        "| GeoJSON | gzip | brotli |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for d in datasets:
        lines.append(
            f"| {d.label} | {d.features:,} | {', '.join(sorted(set(d.render)))} "
            f"| {fmt_ms(d.save_ms)} | {d.stored_bytes / 1e6:.1f} MB | {d.gzip_bytes / 1e6:.2f} MB "
            f"| {d.br_bytes / 1e6:.2f} MB |"
        )
    lines += [
        "",
        f"- Data URL of a 10,000-feature layer, one worker ({server['server']}), measured with "
        f"{server['tool']}: **{server['rps']:.0f} requests/s** (brotli bytes, as stored).",
        *page_render_report(server),
    ]
    for key, value in server.get("big_pages", {}).items():
        lines.append(f"- Page render with the {key} map: {value:.1f} ms.")
    lines += [
        "",
        "### Browser",
        "",
        "Ratios are the baseline's figure divided by ours (above 1×: we are faster or "
        "lighter). Pan/zoom: median and worst of 6 steps (zoom ±1, pan, zoom ±2).",
        "",
        "| data | page | transferred | first features | all features | pan/zoom median "
        "(worst) | JS heap | DOM elements in the map | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for d in datasets:
        ours = results.get((d.key, "ours"))
        for mode in ["ours", *d.baselines]:
            r = results.get((d.key, mode))
            if r is None:
                continue
            name = {
                "ours": "wagtail-umap",
                "geojson": "baseline L.geoJSON",
                "markercluster": "baseline markercluster",
            }[mode]
            inter = (
                f"{fmt_ms(statistics.median(r.interaction_ms))} ({fmt_ms(max(r.interaction_ms))})"
                if r.interaction_ms
                else "–"
            )
            cells = [
                f"{r.bytes / 1e6:.2f} MB" if r.bytes else "–",
                fmt_ms(r.first_ms),
                fmt_ms(r.ready_ms),
                inter,
                f"{r.heap_mb:.0f} MB" if r.heap_mb else "–",
                f"{r.dom_nodes:,}" if r.dom_nodes is not None else "–",
            ]
            if mode != "ours" and ours:
                cells[1] += f" ({ratio(ours.first_ms, r.first_ms)})"
                cells[2] += f" ({ratio(ours.ready_ms, r.ready_ms)})"
                if r.interaction_ms and ours.interaction_ms:
                    ours_step = statistics.median(ours.interaction_ms)
                    cells[3] += f" ({ratio(ours_step, statistics.median(r.interaction_ms))})"
                if r.heap_mb and ours.heap_mb:
                    cells[4] += f" ({ratio(ours.heap_mb, r.heap_mb)})"
            lines.append(f"| {d.label} | {name} | " + " | ".join(cells) + f" | {r.note} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--million", action="store_true", help="add 1,000,000 charge points")
    parser.add_argument("--no-browser", action="store_true", help="server figures only")
    parser.add_argument("--timeout", type=int, default=120, help="seconds a page may take")
    parser.add_argument("--repeat", type=int, default=30, help="page renders to time")
    parser.add_argument("--render-only", action="store_true", help="page render figures only")
    args = parser.parse_args()
    if args.render_only:
        render_only(args)
        return
    sizes = QUICK if args.quick else FULL
    folder = Path(tempfile.mkdtemp(prefix="umap-large-"))
    database = folder / "bench.sqlite3"
    setup_django(database)
    from benchmarks.large import data

    home = home_page()
    points, communes, lines = sizes["points"], sizes["communes"], sizes["lines"]
    datasets = [
        Dataset("municipal", "Carte municipale", data.municipal_layers(), ["geojson"]),
        Dataset(
            "irve_10k", "IRVE 10 000", [{"name": "IRVE", "features": data.irve_points(10_000)}], []
        ),
        Dataset(
            f"irve_{points}",
            f"IRVE {points:,}".replace(",", " "),
            [{"name": "IRVE", "features": data.irve_points(points)}],
            ["markercluster", "geojson"],
        ),
        Dataset(
            f"communes_{communes}",
            f"Communes {communes:,}".replace(",", " "),
            [{"name": "Communes", "features": data.communes(communes)}],
            ["geojson"],
        ),
        Dataset(
            f"lines_{lines}",
            f"Lignes {lines:,}".replace(",", " "),
            [{"name": "Pistes", "features": data.lines(lines)}],
            ["geojson"],
        ),
    ]
    if args.million:
        datasets.append(
            Dataset(
                "irve_1m",
                "IRVE 1 000 000",
                [{"name": "IRVE", "features": data.irve_points(1_000_000)}],
                ["markercluster"],
            )
        )
    for dataset in datasets:
        print(f"saving {dataset.label}…", flush=True)
        save_dataset(dataset, home)
    add_page(home, "sans-carte", "Sans carte", None)
    server = {"repeat": args.repeat}
    server.update(page_render_figures(args.repeat))
    server["big_pages"] = {
        d.label: median_render_ms(f"/{d.slug}/", max(args.repeat // 3, 3)) for d in datasets[2:]
    }
    process, server["server"], base = start_gunicorn(database)
    try:
        ten_k = next(d for d in datasets if d.key == "irve_10k")
        server["rps"], server["tool"] = requests_per_second(base + ten_k.data_urls[0])
        shown = [d for d in datasets if d.key != "irve_10k"]
        results = {} if args.no_browser else browser_runs(shown, base, args.timeout)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print()
    print(report(datasets, results, server))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
