"""How the map editor copes with big maps: time to editable, one edit, the save round trip.

A script, not a test. It builds maps of 1,000 / 5,000 / 20,000 generated features (mixed
points, lines and polygons, in one layer: the worst case) and one of 35,000 small polygons
(twelve-sided, `benchmarks/large/data.py`'s communes) in a throw-away SQLite database, starts a
live server in a thread and a background worker (`db_worker`, as in production: a large
changed layer is stored by a task), and drives the Wagtail edit view in headless Chromium
(Playwright, /usr/bin/chromium). Tiles are answered locally with a blank image.

    python benchmarks/editor.py [--sizes 1000 5000 20000] [--polygons 35000] [--repeat 3]

- editable: from navigation start to the first frame painted after the editor's
  ``umap-editor-ready`` mark (HTML, scripts, the layers loaded and parsed, every feature drawn),
  median of the runs;
- edit: renaming one feature through the editor (undo history, hidden field, lists, map), then
  the next frame; and moving a point the same way;
- style: the selected feature's colour changed through the style panel's path
  (`state.apply` on its `_style`), to the next frame;
- save perceived: from "Save draft" clicked to the first frame where the editor shows the
  save's progress and still answers (a rename in it reaches the next frame);
- save confirmed: "Save draft" clicked after the edit, to the server's answer (the layer and
  the revision stored, the page brought up to date in place: ``umap-editor-saved``), or, where
  the page reloads (Wagtail 7.0, a save that returns to a page), to the editor ready again;
- heap: the page's JS heap (after a forced garbage collection) after 50 renames, and its growth
  over those 50 edits (the undo history's cost).
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME, PASSWORD = "bench", "bench-password"
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
READY = ".umap-editor[data-umap-editor-state=ready]"


def log_in(page, base: str) -> None:
    """The benchmark's editor logged in to the admin at ``base``."""
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generated_features(count: int, seed: int = 1) -> list[dict]:
    """Points (60 %), lines of 5–10 vertices (25 %) and hexagons (15 %) around Paris."""
    rng = random.Random(seed)
    features = []
    for number in range(count):
        lng, lat = 2.2 + rng.random() * 0.3, 48.8 + rng.random() * 0.12
        kind = rng.random()
        if kind < 0.6:
            geometry = {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]}
        elif kind < 0.85:
            coords = [
                [round(lng + i * 0.001, 6), round(lat + rng.random() * 0.001, 6)]
                for i in range(rng.randint(5, 10))
            ]
            geometry = {"type": "LineString", "coordinates": coords}
        else:
            ring = [[round(lng + dx, 6), round(lat + dy, 6)] for dx, dy in HEXAGON]
            geometry = {"type": "Polygon", "coordinates": [ring + ring[:1]]}
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"name": f"Élément {number}", "categorie": f"c{number % 7}"},
            }
        )
    return features


HEXAGON = [(0.001, 0), (0.0005, 0.0008), (-0.0005, 0.0008), (-0.001, 0), (-0.0005, -0.0008)]


def make_map(count: int, polygons: bool = False):
    from benchmarks.large.data import communes
    from wagtail_umap.models import Map

    features = communes(count, vertices=13) if polygons else generated_features(count)
    kind = "polygones" if polygons else "éléments"
    map_ = Map(title=f"{count} {kind}", summary="Banc d’essai de l’éditeur.")
    map_.set_document(
        {
            "version": 1,
            "options": {"basemap": "plan_ign"},
            "layers": [{"name": "Tout", "features": features}],
        }
    )
    map_.save()
    map_.save_revision()
    return map_


def start_server() -> tuple[str, object]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def route(route_):
    host = route_.request.url.split("/")[2].split(":")[0]
    if host in ("127.0.0.1", "localhost"):
        route_.continue_()
    else:
        route_.fulfill(status=200, content_type="image/png", body=BLANK_TILE)


EDIT_JS = """async (kind) => {
  const editor = document.querySelector('.umap-editor').umapEditor;
  const layer = editor.state.layers[0];
  const feature = kind === 'move'
    ? layer.features.find((f) => f.geometry.type === 'Point')
    : layer.features[Math.floor(layer.features.length / 2)];
  if (!feature) return [NaN, NaN];
  const start = performance.now();
  if (kind === 'style') {
    editor.state.apply('bench', () => {
      const own = feature.properties._style || {};
      const color = own.color === '#2a9d8f' ? '#e76f51' : '#2a9d8f';
      feature.properties._style = {...own, color};
    }, {features: [feature]});
  } else if (kind === 'move') {
    editor.state.apply('bench', () => {
      const [lng, lat] = feature.geometry.coordinates;
      feature.geometry = {type: 'Point', coordinates: [lng + 0.0001, lat]};
    }, {features: [feature]});
  } else {
    editor.editFeature(feature, 'bench', (p) => { p.name = 'Renommé ' + start; });
  }
  const sync = performance.now() - start;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  return [sync, performance.now() - start];
}"""


# Click "Save draft" right after a rename, then time the first frame where the save's progress
# shows and another rename still reaches the next frame (the editor answers while the layer is
# serialised, sent and stored).
PERCEIVED_JS = """async () => {
  const editor = document.querySelector('.umap-editor').umapEditor;
  const features = editor.state.layers[0].features;
  editor.editFeature(features[3], 'bench', (p) => { p.name = 'Avant enregistrement'; });
  const button = [...document.querySelectorAll('button')]
    .find((b) => b.textContent.trim() === 'Enregistrer le brouillon');
  const start = performance.now();
  button.click();
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  for (let i = 0; i < 600; i += 1) {
    await frame();
    const box = editor.root.querySelector('.umap-editor__saving');
    if (box && !box.hidden) break;
  }
  editor.editFeature(features[1], 'bench', (p) => { p.note = 'pendant'; });
  await frame();
  return performance.now() - start;
}"""

# After an edit, Wagtail's autosave (every 500 ms) sends the changed layer, then posts the form
# with references: time from the edit to that post's success, and the longest task of the main
# thread meanwhile (what the editor's user feels).
AUTOSAVE_JS = """async () => {
  const editor = document.querySelector('.umap-editor').umapEditor;
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  observer.observe({type: 'longtask'});
  const start = performance.now();
  const saved = new Promise((resolve) => {
    const listener = () => {
      if (editor.saver.changedLayers().length || editor.saver.flushing) return;
      document.removeEventListener('w-autosave:success', listener, true);
      resolve();
    };
    document.addEventListener('w-autosave:success', listener, true);
  });
  const feature = editor.state.layers[0].features[2];
  editor.editFeature(feature, 'bench', (p) => { p.name = 'Autosauvegardé ' + start; });
  await saved;
  observer.disconnect();
  return [performance.now() - start, longest];
}"""

WAIT_SAVED_JS = """() => {
  const saver = document.querySelector('.umap-editor').umapEditor.saver;
  return !saver.flushing && !saver.changedLayers().length;
}"""

# When "Save draft" was confirmed: the server's answer to the save in place (save.js marks
# it), or on a Wagtail that reloads the page, the editor ready again. Null until then.
SAVED_JS = """() => {
  const mark = performance.getEntriesByName('umap-editor-saved')[0]
    || performance.getEntriesByName('umap-editor-ready')[0];
  return mark ? performance.timeOrigin + mark.startTime : null;
}"""

DRAWN_JS = """async () => {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  return performance.now();
}"""

HEAP_JS = """async () => {
  const editor = document.querySelector('.umap-editor').umapEditor;
  const features = editor.state.layers[0].features;
  for (let i = 0; i < 50; i += 1) {
    const feature = features[(i * 7919) % features.length];
    editor.editFeature(feature, 'bench', (p) => { p.name = 'Édition ' + i; });
  }
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
}"""


def heap(cdp) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6


def measure(page, base: str, map_pk: int, repeat: int) -> dict:
    url = f"{base}/admin/snippets/wagtail_umap/map/edit/{map_pk}/"
    ready, rename, move, style, save, perceived, heaps, autosave = [], [], [], [], [], [], [], []
    cdp = page.context.new_cdp_session(page)
    for _ in range(repeat):
        page.goto(url, timeout=300_000)
        page.locator(READY).wait_for(timeout=300_000)
        # Editable: the editor ready and its first frame painted (35,000 polygons drawn).
        ready.append(page.evaluate(DRAWN_JS))
        # Wagtail takes the form's initial state 2 s after load: an edit before it (a small map,
        # or a loaded machine's late timer) would be in that state, and never autosaved.
        # 5 s: on a machine at load 15 the 35,000-polygon run still hung with 2.5 s.
        page.wait_for_timeout(5000)
        rename.append(page.evaluate(EDIT_JS, "rename"))
        style.append(page.evaluate(EDIT_JS, "style"))
        move.append(page.evaluate(EDIT_JS, "move"))
        page.wait_for_function(WAIT_SAVED_JS, timeout=300_000, polling=200)
        autosave.append(page.evaluate(AUTOSAVE_JS))
        before = heap(cdp)
        page.evaluate(HEAP_JS)
        after = heap(cdp)
        heaps.append((after, after - before))
        page.wait_for_function(WAIT_SAVED_JS, timeout=300_000, polling=200)
        page.evaluate("performance.clearMarks()")
        start = page.evaluate("performance.timeOrigin + performance.now()")
        posts = []

        def record(request, posts=posts):
            posts.append(request)

        page.on("requestfinished", record)
        perceived.append(page.evaluate(PERCEIVED_JS))
        page.wait_for_url("**/edit/**", timeout=300_000)
        page.wait_for_function(SAVED_JS, timeout=300_000, polling=100)
        save.append(page.evaluate(SAVED_JS) - start)
        page.remove_listener("requestfinished", record)
        # The requests of the save: what they sent and how long each took (to the answer's end).
        for request in posts:
            if request.method != "POST":
                continue
            size = len(request.post_data_buffer or b"")
            took = request.timing["responseEnd"]
            path = request.url.split("/admin/", 1)[-1]
            print(f"  Save draft request: POST {path} {size:,} bytes, {took:.0f} ms")
        said = page.locator(".messages")
        print(f"  after Save draft: {said.inner_text()[:200] if said.count() else '-'!r}")
    return {
        "editable": statistics.median(ready),
        "rename_sync": statistics.median(r[0] for r in rename),
        "rename_frame": statistics.median(r[1] for r in rename),
        "style_frame": statistics.median(r[1] for r in style),
        "move_sync": statistics.median(m[0] for m in move),
        "move_frame": statistics.median(m[1] for m in move),
        "save": statistics.median(save),
        "perceived": statistics.median(perceived),
        "autosave": statistics.median(a[0] for a in autosave),
        "autosave_longest": statistics.median(a[1] for a in autosave),
        "heap": statistics.median(h[0] for h in heaps),
        "heap_growth": statistics.median(h[1] for h in heaps),
    }


def report_error(response) -> None:
    """Say any refused request (a benchmark that hides a failure measures nothing)."""
    if response.status < 400:
        return
    print(f"  {response.status} {response.request.method} {response.url}", flush=True)


def start_worker() -> subprocess.Popen:
    """The background worker production runs (`db_worker`), on the benchmark's database."""
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "example_site" / "manage.py"),
            "db_worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--polygons", type=int, nargs="*", default=[35000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(USERNAME, "b@example.org", PASSWORD)
    maps = {f"{count:,}": make_map(count) for count in args.sizes}
    maps.update({f"{count:,} polygons": make_map(count, True) for count in args.polygons})
    base, server = start_server()
    worker = start_worker()
    try:
        run(args, base, maps)
    finally:  # a failed run leaves no worker behind
        worker.terminate()
        server.shutdown()


def run(args, base: str, maps: dict) -> None:
    from playwright.sync_api import sync_playwright

    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"load: {os.getloadavg()}")
    print(
        "\n| features | editable (ms) | rename (ms, +frame) | style (+frame) "
        "| move (ms, +frame) | autosave confirmed (ms, longest task) | Save draft: perceived "
        "(ms) | Save draft: confirmed (ms) | heap after 50 edits (MB, growth) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        context.route("**/*", route)
        page = context.new_page()
        page.on("response", report_error)
        log_in(page, base)
        for label, map_ in maps.items():
            r = measure(page, base, map_.pk, args.repeat)
            print(
                f"| {label} | {r['editable']:.0f} | {r['rename_sync']:.0f} "
                f"({r['rename_frame']:.0f}) | ({r['style_frame']:.0f}) "
                f"| {r['move_sync']:.0f} ({r['move_frame']:.0f}) "
                f"| {r['autosave']:.0f} ({r['autosave_longest']:.0f}) | {r['perceived']:.0f} "
                f"| {r['save']:.0f} | {r['heap']:.0f} ({r['heap_growth']:+.1f}) |",
                flush=True,
            )
        browser.close()


if __name__ == "__main__":
    main()
