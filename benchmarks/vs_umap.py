"""wagtail-umap side by side with uMap 3.8.1: the same data, the same headless Chromium, the same
PostgreSQL, both served by gunicorn with 2 workers. A benchmark, not a test.

    python benchmarks/vs_umap.py            # full sizes, medians of 3 (about an hour)
    python benchmarks/vs_umap.py --quick    # smaller sizes, 1 run (about 10 minutes)
    python benchmarks/vs_umap.py --only wagtail   # wagtail-umap's side alone
    python benchmarks/vs_umap.py --runs 2   # fewer runs (the report so far prints after each)

On a loaded 2-CPU machine the set-up takes about 10 minutes and a full-size run about 20.
``VSUMAP_SCREENSHOTS=/tmp`` keeps a screenshot of a wagtail-umap editor measure that failed.

Run it from the repository with the project's Python (wagtail-umap, Playwright). Everything it
installs or downloads goes to a scratch folder (``--scratch``, default benchmarks/.scratch,
git-ignored) and is kept for the next run:

- uMap 3.8.1 from PyPI (``umap-project==3.8.1``, with gunicorn and WhiteNoise) in its own
  virtualenv (``--umap-python``: a Python 3.10+ to make it with); gunicorn for wagtail-umap with
  ``pip install --target`` (the project's virtualenv is left alone);
- PostGIS from Debian (``postgresql-15-postgis-3``; installed with apt-get when the script runs
  as root, else it prints the command) for uMap's database; PostgreSQL on ``--pg-host``,
  user postgres, trust. Two scratch databases, dropped and made again at each run;
- the real US counties: ``us-atlas`` (counties-10m.json) and ``topojson-client`` from the npm
  registry (``npm pack``), converted to GeoJSON with node (benchmarks/vsumap/counties.js).

The generated data (benchmarks/large/data.py, fixed seeds) and the counties go into both
products: uMap's maps through its models (benchmarks/vsumap/umap_load.py, run by uMap's Python;
public, editable by anyone, no login), wagtail-umap's maps and pages the way
benchmarks/large_data.py saves them. Points are shown by uMap as a cluster layer, and as plain
markers too for the smaller point layer (they do not finish in time at 100,000 points:
``--umap-plain`` adds them there).

Measured in headless Chromium (tiles answered locally with a blank image), each product in its
own browser context, the products alternating, medians of the runs:

- first view: the public page (wagtail-umap: a page with the map block; uMap: the map's page)
  to every layer drawn (wagtail-umap's ``umap:ready``, uMap's ``dataloaded``) plus two frames;
  bytes transferred (compressed, as on the wire); JS heap after a garbage collection; pan and
  zoom steps (benchmarks/large/interact.js: until the map is quiet again);
- the editor (10,000 points and 35,000 polygons): editable (navigation to ready), renaming one
  feature to the next frame, save to the server's answer. wagtail-umap: the Wagtail admin
  editor with benchmarks/editor.py's rename script; its save is "Save draft" (the map is
  published: the button is in the footer's menu) to the server's answer, saved in place
  (Wagtail 7.1+; on Wagtail 7.0 the editor ready again on the reloaded page), as
  benchmarks/editor.py times it (a large layer goes through the background task and
  ``db_worker``, which runs); uMap: ``?edit``, the feature's form (its input is debounced by
  300 ms: the timing starts when the debounced update runs), the Save button to uMap's
  ``saved`` event;
- the data URL of the 10,000-point layer: requests per second through Django (gunicorn, 2 sync
  workers) with wrk when installed, else 2 Python client threads, ``Accept-Encoding: gzip, br``.

Static files: collected and precompressed, served by WhiteNoise on both sides. uMap's layer data
is gzipped by Django's GZipMiddleware (its documented deployment has nginx gzip it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks" / "vsumap"
sys.path.insert(0, str(ROOT))

from benchmarks import editor as editor_bench  # noqa: E402
from benchmarks import large_data  # noqa: E402

UMAP_VERSION = "3.8.1"
US_ATLAS, TOPOJSON_CLIENT = "us-atlas@3.0.1", "topojson-client@3.1.0"
POSTGIS_PACKAGE = "postgresql-15-postgis-3"
FULL = {"points": 100_000, "points_small": 10_000, "polygons": 35_000, "runs": 3}
QUICK = {"points": 10_000, "points_small": 2_000, "polygons": 3_500, "runs": 1}
FRANCE = {"center": [2.4, 46.6], "zoom": 6}
USA = {"center": [-96.0, 38.5], "zoom": 4}
PRODUCTS = ("wagtail", "umap")
PARTS = ("views", "editor", "rps")  # first views, the editor, a data URL's requests per second
NAMES = {"wagtail": "wagtail-umap", "umap": f"uMap {UMAP_VERSION}"}


def say(*parts) -> None:
    print(*parts, flush=True)


class UmapUnavailable(RuntimeError):
    """uMap could not be installed or started here: the message says why."""


def run(command, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    return subprocess.run([str(part) for part in command], **kwargs)


# --- data ----------------------------------------------------------------------------------------


@dataclass
class Data:
    key: str
    label: str
    file: Path
    kind: str  # "points" or "polygons"
    place: dict
    features: int = 0


def write_geojson(path: Path, features: list[dict]) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def counties(scratch: Path) -> Path:
    """us-atlas's counties as GeoJSON, with topojson-client, both from the npm registry."""
    target = scratch / "data" / "us_counties.geojson"
    if target.exists():
        return target
    npm = scratch / "npm"
    npm.mkdir(parents=True, exist_ok=True)
    for package in (US_ATLAS, TOPOJSON_CLIENT):
        name = package.replace("@", "-")
        if not (npm / name / "package").exists():
            run(["npm", "pack", "--silent", package], cwd=npm, stdout=subprocess.DEVNULL)
            (npm / name).mkdir(exist_ok=True)
            run(["tar", "xzf", npm / f"{name}.tgz", "-C", npm / name])
    client = npm / TOPOJSON_CLIENT.replace("@", "-") / "package" / "dist" / "topojson-client.js"
    atlas = npm / US_ATLAS.replace("@", "-") / "package" / "counties-10m.json"
    run(["node", HERE / "counties.js", client, atlas, target], stdout=subprocess.DEVNULL)
    return target


def datasets(scratch: Path, sizes: dict) -> list[Data]:
    from benchmarks.large import data

    folder = scratch / "data"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for count in (sizes["points"], sizes["points_small"]):
        path = folder / f"points_{count}.geojson"
        if not path.exists():
            write_geojson(path, data.irve_points(count))
        made.append(Data(f"points_{count}", f"{count:,} points", path, "points", FRANCE))
    path = folder / f"polygons_{sizes['polygons']}.geojson"
    if not path.exists():
        write_geojson(path, data.communes(sizes["polygons"]))
    made.append(
        Data(
            f"polygons_{sizes['polygons']}",
            f"{sizes['polygons']:,} small polygons",
            path,
            "polygons",
            FRANCE,
        )
    )
    made.append(Data("us_counties", "US counties (us-atlas)", counties(scratch), "polygons", USA))
    for item in made:
        item.features = len(json.loads(item.file.read_text())["features"])
        if item.key == "us_counties":
            item.label = f"{item.features:,} US counties (us-atlas)"
    return made


# --- databases -----------------------------------------------------------------------------------


def psql(args, sql: str, database: str = "postgres") -> None:
    run(
        ["psql", "-h", args.pg_host, "-p", args.pg_port, "-U", "postgres", "-d", database,
         "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def fresh_database(args, name: str) -> None:
    psql(args, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(args, f'CREATE DATABASE "{name}"')


def ensure_postgis(args) -> None:
    control = Path("/usr/share/postgresql/15/extension/postgis.control")
    if control.exists() or args.pg_host not in ("127.0.0.1", "localhost"):
        return
    command = ["apt-get", "install", "-y", POSTGIS_PACKAGE]
    if os.geteuid() != 0:
        raise UmapUnavailable(f"PostGIS is not installed: run `sudo {' '.join(command)}`")
    say(f"installing {POSTGIS_PACKAGE} from Debian…")
    result = run(command, check=False, capture_output=True, text=True)
    if result.returncode:
        run(["apt-get", "update"], check=False, capture_output=True)
        result = run(command, check=False, capture_output=True, text=True)
    if result.returncode:
        raise UmapUnavailable(f"`{' '.join(command)}` failed: {result.stderr.strip()[-500:]}")


# --- uMap ----------------------------------------------------------------------------------------


@dataclass
class Umap:
    scratch: Path
    database: str
    args: argparse.Namespace

    @property
    def venv(self) -> Path:
        return self.scratch / "umap-venv"

    @property
    def folder(self) -> Path:
        return self.scratch / "umap"

    def env(self, site_url: str = "http://127.0.0.1") -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "umap.settings",
            "UMAP_SETTINGS": str(HERE / "umap_settings.py"),
            "VSUMAP_DB": self.database,
            "VSUMAP_DB_HOST": self.args.pg_host,
            "VSUMAP_DB_PORT": self.args.pg_port,
            "VSUMAP_MEDIA_ROOT": str(self.folder / "uploads"),
            "VSUMAP_STATIC_ROOT": str(self.folder / "static"),
            "VSUMAP_AJAX_PROXY_CACHE_DIR": str(self.folder / "ajax-proxy"),
            "VSUMAP_SITE_URL": site_url,
        }

    def install(self) -> None:
        marker = self.venv / f".umap-{UMAP_VERSION}"
        if marker.exists():
            return
        say(f"installing uMap {UMAP_VERSION} from PyPI in {self.venv}…")
        if not self.venv.exists():
            run([self.args.umap_python, "-m", "venv", self.venv])
        packages = [f"umap-project=={UMAP_VERSION}", "gunicorn", "whitenoise"]
        result = run(
            [self.venv / "bin" / "pip", "install", "-q", *packages],
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise UmapUnavailable(f"pip install {' '.join(packages)}: {result.stderr[-800:]}")
        marker.touch()

    def manage(self, *command: str) -> None:
        result = run(
            [self.venv / "bin" / "umap", *command],
            env=self.env(),
            cwd=self.folder,
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise UmapUnavailable(f"umap {' '.join(command)}: {result.stderr[-1500:]}")

    def setup(self, data: list[Data], plain: set[str]) -> dict:
        """A fresh database with PostGIS, migrated; static files collected; the maps loaded."""
        self.install()
        ensure_postgis(self.args)
        (self.folder / "ajax-proxy").mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.folder / "uploads", ignore_errors=True)
        fresh_database(self.args, self.database)
        psql(self.args, "CREATE EXTENSION postgis", self.database)
        say("uMap: collectstatic, migrate…")
        if not (self.folder / "static" / ".compressed").exists():
            self.manage("collectstatic", "--noinput", "-v", "0")
            run(
                [self.venv / "bin" / "python", "-m", "whitenoise.compress", self.folder / "static"],
                stdout=subprocess.DEVNULL,
            )
            (self.folder / "static" / ".compressed").touch()
        # (uMap's URLs read the static files' manifest: collected first.)
        self.manage("migrate", "--noinput", "-v", "0")
        spec = []
        for item in data:
            kinds = ["Cluster", "Default"] if item.key in plain else None
            kinds = kinds or (["Cluster"] if item.kind == "points" else ["Default"])
            for kind in kinds:
                plain_points = kind == "Default" and item.kind == "points"
                key = item.key + "_plain" if plain_points else item.key
                entry = {"key": key, "name": item.label, "file": str(item.file), "type": kind}
                spec.append({**entry, **item.place})
        (self.folder / "spec.json").write_text(json.dumps(spec))
        say("uMap: loading the maps…")
        result = run(
            [self.venv / "bin" / "python", HERE / "umap_load.py", "spec.json", "maps.json"],
            env=self.env(),
            cwd=self.folder,
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise UmapUnavailable(f"loading uMap's maps: {result.stderr[-1500:]}")
        return json.loads((self.folder / "maps.json").read_text())

    def start(self) -> tuple[subprocess.Popen, str]:
        port = large_data.free_port()
        base = f"http://127.0.0.1:{port}"
        command = [self.venv / "bin" / "gunicorn", *gunicorn_options(port), "umap.wsgi:application"]
        process = subprocess.Popen(
            [str(part) for part in command], env=self.env(base), cwd=self.folder
        )
        wait_for(base + "/en/", process, "uMap")
        return process, base


# --- wagtail-umap --------------------------------------------------------------------------------


@dataclass
class Wagtail:
    scratch: Path
    database: str
    args: argparse.Namespace
    worker: subprocess.Popen | None = None

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@{self.args.pg_host}:{self.args.pg_port}/"
            f"{self.database}",
            "DJANGO_SETTINGS_MODULE": "benchmarks.large.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "vs-umap-benchmark-only",
            "BENCHMARK_AUTOSAVE_INTERVAL": "600000",  # Save draft sends the edit (settings.py)
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_STATIC_ROOT": str(self.scratch / "wagtail" / "static"),
            "BENCHMARK_MEDIA_ROOT": str(self.scratch / "wagtail" / "media"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(self.scratch / "pylib")]),
        }

    def install(self) -> None:
        """gunicorn beside the project's virtualenv, not in it."""
        if not (self.scratch / "pylib" / "gunicorn").exists():
            say("installing gunicorn in the scratch folder…")
            run([sys.executable, "-m", "pip", "install", "-q", "--target",
                 self.scratch / "pylib", "gunicorn"])  # fmt: skip

    def setup(self, data: list[Data]) -> dict:
        self.install()
        fresh_database(self.args, self.database)
        os.environ.update(self.env)
        sys.path.insert(0, str(self.scratch / "pylib"))
        import django

        django.setup()
        from django.core.management import call_command

        say("wagtail-umap: migrate, collectstatic…")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_superuser(
            editor_bench.USERNAME, "bench@example.org", editor_bench.PASSWORD
        )
        self.start_worker()
        home = large_data.home_page()
        maps = {}
        for item in data:
            say(f"wagtail-umap: saving {item.label}…")
            features = json.loads(item.file.read_text())["features"]
            dataset = large_data.Dataset(
                item.key, item.label, [{"name": item.label, "features": features}], []
            )
            large_data.save_dataset(dataset, home)
            maps[item.key] = {
                "map_id": dataset.map_id,
                "url": f"/{dataset.slug}/",
                "data_url": dataset.data_urls[0],
                "dom_id": f"umap-{dataset.map_id}",
            }
        wait_for_tasks()
        return maps

    def start_worker(self) -> None:
        """The background worker: what the save path leaves to a task (large layers)."""
        if self.worker is None:
            self.worker = subprocess.Popen(
                [sys.executable, ROOT / "example_site" / "manage.py", "db_worker", "--no-reload"],
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def start(self) -> tuple[subprocess.Popen, str]:
        self.start_worker()
        port = large_data.free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", *gunicorn_options(port)]
        command.append("example_site.wsgi:application")
        process = subprocess.Popen([str(part) for part in command], env=self.env, cwd=ROOT)
        wait_for(base + "/admin/login/", process, "wagtail-umap")
        return process, base

    def stop(self) -> None:
        if self.worker:
            stop(self.worker)


def stop(process: subprocess.Popen) -> None:
    """Terminated, or killed when it has not ended 30 s later (a worker in a long task)."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_tasks(timeout: float = 1800) -> None:
    """Until the background tasks queued by the saves have run."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        try:
            from django_tasks.backends.database.models import DBTaskResult
        except ImportError:
            return
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("wagtail-umap's background tasks did not finish")
        time.sleep(1)


def gunicorn_options(port: int) -> list[str]:
    """The same server for both: 2 sync workers on loopback."""
    return ["-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "600", "--log-level", "warning"]


def wait_for(url: str, process: subprocess.Popen, name: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{name}'s server stopped (exit {process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{name}'s server did not start")


# --- requests per second -------------------------------------------------------------------------


def requests_per_second(url: str, seconds: int, encoding: str = "gzip, br") -> tuple[float, str]:
    wrk = shutil.which("wrk")
    if wrk:
        output = run(
            [wrk, "-t2", "-c2", f"-d{seconds}s", "-H", f"Accept-Encoding: {encoding}", url],
            capture_output=True,
            text=True,
        ).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "wrk -t2 -c2"
    counts = [0, 0]
    deadline = time.perf_counter() + seconds

    def loop(index: int) -> None:
        while time.perf_counter() < deadline:
            request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
            with urllib.request.urlopen(request) as response:
                response.read()
            counts[index] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, "2 Python client threads"


# --- browser -------------------------------------------------------------------------------------

# uMap's page: ready when uMap says every layer's data is loaded (and, in the editor, edit mode
# is on), then two frames. The Leaflet map and Leaflet itself (an ES module there) for interact.js.
UMAP_RECORDER = """
window.__bench = {first: null, ready: null};
(() => {
  const twoFrames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const wantEdit = new URLSearchParams(location.search).has('edit');
  const poll = setInterval(() => {
    const app = window.U && window.U.MAP;
    if (!app || !app.dataloaded || (wantEdit && !app.editEnabled)) return;
    clearInterval(poll);
    twoFrames().then(() => {
      window.__bench.first = window.__bench.ready = performance.now();
    });
  }, 5);
})();
"""
UMAP_MAP = """async () => {
  window.benchMap = window.U.MAP.mapProxy.map;
  if (!window.L || !window.L.GridLayer) window.L = await import('leaflet');
}"""
# Rename the middle feature through its form in uMap's edit panel. The input is debounced by
# 300 ms: a timer due just before the debounced one marks the start.
UMAP_RENAME = """async () => {
  const layer = Array.from(window.U.MAP.layers.tree).find((l) => l.features?.size);
  const features = layer.features.all();
  const feature = features[Math.floor(features.length / 2)];
  await feature.edit();
  const input = document.querySelector('#umap-feature-properties .umap-field-name input');
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  const value = 'Renommé ' + performance.now();
  let start;
  const started = new Promise((resolve) => {
    const typed = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => {
      while (performance.now() < typed + 300) {}
      start = performance.now();
      resolve();
    }, 295);
  });
  await started;
  await new Promise((r) => setTimeout(r));
  const sync = performance.now() - start;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  const done = performance.now() - start;
  return feature.properties.name === value ? [sync, done] : null;
}"""
UMAP_SAVE = """() => new Promise((resolve) => {
  const start = performance.now();
  window.U.MAP.once('saved', () => resolve(performance.now() - start));
  document.querySelector('.edit-save').click();
})"""


def measure_umap_page(browser, url: str, timeout_s: int) -> large_data.BrowserResult:
    """large_data.measure_page for uMap's page (its own readiness and Leaflet map)."""
    result = large_data.BrowserResult()
    context, page, received, errors = new_context(browser, UMAP_RECORDER)
    try:
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_function(
            "() => window.__bench && window.__bench.ready", timeout=timeout_s * 1000
        )
    except Exception as error:
        result.note = f"not ready after {timeout_s} s" if "Timeout" in str(error) else str(error)
        context.close()
        return result
    result.first_ms = result.ready_ms = page.evaluate("() => window.__bench.ready")
    result.bytes = sum(received)
    page.evaluate(UMAP_MAP)
    result.interaction_ms = page.evaluate(large_data.INTERACT, None)
    cdp = context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    result.heap_mb = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
    if errors:
        result.note = "; ".join(errors)[:200]
    context.close()
    return result


def new_context(browser, init_script: str | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    # Tiles (and anything else not on loopback) are answered with a blank image.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), editor_bench.route)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    if init_script:
        page.add_init_script(init_script)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, received, errors


# A rename is timed on a still page, on both sides: Wagtail's admin animates its "What's new"
# badge for a new user (25 s of repaints, a main-thread animation; benchmarks/rename_frame.py),
# which a returning editor has dismissed. The median of RENAMES renames, each to the next frame.
RENAMES = 5
# uMap's rename starts 300 ms after its previous action (its input's debounce): ours waits as
# long, so that both rename on a page that has finished the previous rename's idle work.
QUIET_BEFORE_RENAME_MS = 300
FINISH_ANIMATIONS = """() => document.getAnimations().forEach((animation) => {
  try { animation.finish(); } catch (error) { animation.cancel(); }  // infinite: cancelled
})"""


def umap_editor(browser, url: str, timeout_s: int) -> dict:
    context, page, _, errors = new_context(browser, UMAP_RECORDER)
    try:
        page.goto(url + "?edit", timeout=timeout_s * 1000)
        page.wait_for_function(
            "() => window.__bench && window.__bench.ready", timeout=timeout_s * 1000
        )
        figures = {"editable": page.evaluate("() => window.__bench.ready")}
        renames = []
        for _ in range(RENAMES):
            page.evaluate(FINISH_ANIMATIONS)
            rename = page.evaluate(UMAP_RENAME)
            renames.append(rename[1] if rename else None)
        figures["rename_frame"] = median(renames)
        figures["save"] = page.evaluate(UMAP_SAVE)
    except Exception as error:
        figures = {"note": str(error).splitlines()[0][:200]}
    if errors:
        figures["note"] = "; ".join(errors)[:200]
    context.close()
    return figures


def wagtail_editor(browser, base: str, map_id: int, timeout_s: int) -> dict:
    """The Wagtail admin editor as benchmarks/editor.py drives it (its rename script), one run
    in a fresh logged-in context; saved with "Save draft" as the browser tests do it."""
    from tests.browser.helpers import EDITOR_READY, save_draft_button

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.route("**/*", editor_bench.route)
    page = context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        editor_bench.log_in(page, base)
        page.goto(f"{base}/admin/snippets/wagtail_umap/map/edit/{map_id}/")
        page.locator(EDITOR_READY).wait_for()
        figures = {
            "editable": page.evaluate(
                "performance.getEntriesByName('umap-editor-ready')[0].startTime"
            )
        }
        renames = []
        for _ in range(RENAMES):
            page.wait_for_timeout(QUIET_BEFORE_RENAME_MS)
            page.evaluate(FINISH_ANIMATIONS)
            renames.append(page.evaluate(editor_bench.EDIT_JS, "rename")[1])
        figures["rename_frame"] = median(renames)
        # No wait for Wagtail's autosave: it is held back (BENCHMARK_AUTOSAVE_INTERVAL), its
        # indicator says "saving" until its 10 minutes pass; Save draft sends the edit itself.
        save = save_draft_button(page)
        page.evaluate("performance.clearMarks()")
        start = page.evaluate("performance.timeOrigin + performance.now()")
        save.click()
        figures["save"] = saved_at(page) - start
    except Exception as error:
        figures = {"note": f"{str(error).splitlines()[0][:200]} (at {page.url})"}
        if os.environ.get("VSUMAP_SCREENSHOTS"):
            page.screenshot(path=os.environ["VSUMAP_SCREENSHOTS"] + f"/wagtail-{map_id}.png")
    if errors:
        figures["note"] = "; ".join(errors)[:200]
    context.close()
    return figures


def saved_at(page) -> float:
    """When "Save draft" was confirmed: the server's answer to the save in place (Wagtail
    7.1+), or the editor ready again on the reloaded page (benchmarks/editor.py's SAVED_JS)."""
    from tests.browser.helpers import EDITOR_READY, MAP_EDIT_URL

    try:
        page.wait_for_function(editor_bench.SAVED_JS, polling=100)
    except Exception:  # the page reloaded under the wait (Wagtail 7.0's ordinary post)
        page.wait_for_url(MAP_EDIT_URL)
        page.locator(EDITOR_READY).wait_for()
    return page.evaluate(editor_bench.SAVED_JS)


@dataclass
class Results:
    view: dict = field(default_factory=dict)  # (product, key) -> [BrowserResult]
    editor: dict = field(default_factory=dict)  # (product, key) -> [dict]
    rps: dict = field(default_factory=dict)  # product -> (rps, tool)
    notes: list = field(default_factory=list)


def browser_runs(products: dict, data, editor_keys, args, results, after_run=None) -> None:
    """Every measure of a run for each product, the products alternating; ``after_run(n)``
    once run ``n`` is done (the report so far: a long run interrupted still says something)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=large_data.CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        order = [p for p in PRODUCTS if p in products]
        for number in range(args.runs):
            # The products alternate: who goes first changes at each run.
            turn = order if number % 2 == 0 else order[::-1]
            for item in data if "views" in args.parts else ():
                for product in turn:
                    base, maps = products[product]
                    keys = [item.key]
                    if product == "umap" and item.key + "_plain" in maps:
                        keys.append(item.key + "_plain")
                    for key in keys:
                        say(f"  run {number + 1}: {NAMES[product]}, first view, {key}")
                        if product == "umap":
                            figure = measure_umap_page(
                                browser, base + maps[key]["url"], args.timeout
                            )
                        else:
                            figure = large_data.measure_page(
                                browser, base + maps[key]["url"], maps[key]["dom_id"], base,
                                {}, args.timeout,
                            )  # fmt: skip
                        results.view.setdefault((product, key), []).append(figure)
            for key in editor_keys if "editor" in args.parts else ():
                for product in turn:
                    base, maps = products[product]
                    say(f"  run {number + 1}: {NAMES[product]}, editor, {key}")
                    if product == "umap":
                        figure = umap_editor(browser, base + maps[key]["url"], args.timeout)
                    else:
                        figure = wagtail_editor(browser, base, maps[key]["map_id"], args.timeout)
                    results.editor.setdefault((product, key), []).append(figure)
            if after_run and number + 1 < args.runs:
                after_run(number + 1)
        browser.close()


# --- report --------------------------------------------------------------------------------------


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_ms(value) -> str:
    return large_data.fmt_ms(value)


def times(ours, theirs) -> str:
    """How many times better wagtail-umap is (lower is better for every figure)."""
    if not ours or not theirs:
        return "–"
    if theirs >= ours:
        return f"{theirs / ours:.1f}×"
    return f"**uMap {ours / theirs:.1f}× better**"


def view_summary(runs: list) -> dict:
    ready = [r.ready_ms for r in runs]
    steps = [statistics.median(r.interaction_ms) for r in runs if r.interaction_ms]
    zooms = [statistics.median([r.interaction_ms[i] for i in (0, 1, 4, 5)])
             for r in runs if len(r.interaction_ms) == 6]  # fmt: skip
    pans = [statistics.median(r.interaction_ms[2:4]) for r in runs if len(r.interaction_ms) == 6]
    notes = sorted({r.note for r in runs if r.note})
    return {
        "ready": median(ready),
        "bytes": median([r.bytes or None for r in runs]),
        "heap": median([r.heap_mb for r in runs]),
        "step": median(steps),
        "pan": median(pans),
        "zoom": median(zooms),
        "note": "; ".join(notes),
    }


def view_cell(s: dict | None) -> str:
    if not s or s["ready"] is None:
        return (s or {}).get("note") or "–"
    return (
        f"{fmt_ms(s['ready'])}, {s['bytes'] / 1e6:.2f} MB, heap {s['heap']:.0f} MB, "
        f"pan {fmt_ms(s['pan'])}, zoom {fmt_ms(s['zoom'])}"
    )


def report(data, editor_keys, results: Results, args, load: str, done=None) -> str:
    done = done or args.runs
    runs = f"median of {done}" if done > 1 else "1 run"
    parts_option = f" --parts {','.join(args.parts)}" if set(args.parts) != set(PARTS) else ""
    lines = [
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Machine: "
        f"{os.cpu_count()} CPUs, {platform.platform()}, Chromium headless, software rendering. "
        f"Load average before / after: {load}. Command: `python benchmarks/vs_umap.py"
        f"{' --quick' if args.quick else ''}{' --umap-plain' if args.umap_plain else ''}"
        f"{f' --runs {args.runs}' if args.runs != (1 if args.quick else 3) else ''}"
        f"{parts_option}` "
        f"({runs}, products alternating).",
        "",
        "Ratio: uMap's figure divided by wagtail-umap's (above 1×: wagtail-umap is faster or "
        "lighter). Pan and zoom: median step (benchmarks/large/interact.js).",
        "",
        f"| first view, ready and clickable | wagtail-umap | uMap {UMAP_VERSION} "
        "| ratio: ready / bytes / heap / pan / zoom |",
        "|---|---|---|---|",
    ]
    for item in data if results.view else ():
        ours = results.view.get(("wagtail", item.key))
        theirs = results.view.get(("umap", item.key))
        o = view_summary(ours) if ours else None
        t = view_summary(theirs) if theirs else None
        cell = view_cell(t)
        if item.kind == "points" and t:
            cell = "cluster layer: " + cell
        plain = results.view.get(("umap", item.key + "_plain"))
        if plain:
            cell += "; plain markers: " + view_cell(view_summary(plain))
        ratio = "–"
        if o and t and o["ready"] and t["ready"]:
            ratio = " / ".join(times(o[k], t[k]) for k in ("ready", "bytes", "heap", "pan", "zoom"))
        lines.append(f"| {item.label} | {view_cell(o)} | {cell} | {ratio} |")
    lines += [
        "",
        f"| editor | wagtail-umap | uMap {UMAP_VERSION} | ratio |",
        "|---|---|---|---|",
    ]
    labels = {item.key: item.label for item in data}
    for key in editor_keys:
        for figure, name in (
            ("editable", "editable"),
            ("rename_frame", "rename one feature (to the next frame)"),
            ("save", "save (server confirmed)"),
        ):
            ours = median([r.get(figure) for r in results.editor.get(("wagtail", key), [])])
            theirs = median([r.get(figure) for r in results.editor.get(("umap", key), [])])
            notes = {
                (product, r.get("note"))
                for product in PRODUCTS
                for r in results.editor.get((product, key), [])
                if r.get("note")
            }
            row = f"| {labels[key]}: {name} | {fmt_ms(ours)} | {fmt_ms(theirs)} "
            row += f"| {times(ours, theirs)} |"
            lines.append(row)
        for product, note in sorted(notes):
            cells = [note, ""] if product == "wagtail" else ["", note]
            lines.append(f"| {labels[key]}: page error or failure | {' | '.join(cells)} | |")
    if results.rps:
        ours, theirs = results.rps.get("wagtail"), results.rps.get("umap")
        parts = []
        for product, value in (("wagtail", ours), ("umap", theirs)):
            if value:
                parts.append(f"{NAMES[product]} {value[0]:.0f} requests/s")
        line = (
            f"- Data URL of the {labels[editor_keys[0]]} layer, through Django (gunicorn, 2 sync "
            f"workers), {(ours or theirs)[1]}, `Accept-Encoding: gzip, br`: " + ", ".join(parts)
        )
        if ours and theirs:
            line += f" (**{ours[0] / theirs[0]:.1f}×**)"
        lines.append("")
        lines.append(line + ".")
    lines += [f"- {note}" for note in results.notes]
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one run")
    parser.add_argument("--runs", type=int, help="runs per figure (default 3, --quick 1)")
    parser.add_argument("--only", choices=PRODUCTS, help="one product only")
    parser.add_argument("--umap-plain", action="store_true", help="uMap's plain markers too")
    parser.add_argument("--timeout", type=int, default=120, help="seconds a page may take")
    parser.add_argument("--rps-seconds", type=int, default=5)
    parser.add_argument("--scratch", type=Path, default=ROOT / "benchmarks" / ".scratch")
    parser.add_argument("--umap-python", default=shutil.which("python3") or sys.executable)
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", default="5432")
    parser.add_argument(
        "--parts",
        type=lambda text: text.split(","),
        default=list(PARTS),
        help=f"which measures, comma-separated (default all: {','.join(PARTS)})",
    )
    args = parser.parse_args()
    if unknown := set(args.parts) - set(PARTS):
        parser.error(f"--parts: unknown {', '.join(sorted(unknown))} (choose from {PARTS})")
    sizes = QUICK if args.quick else FULL
    args.runs = args.runs or sizes["runs"]
    args.scratch = args.scratch.resolve()
    args.scratch.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    data = datasets(args.scratch, sizes)
    editor_keys = [f"points_{sizes['points_small']}", f"polygons_{sizes['polygons']}"]
    # Without the first views, only the editor's datasets are loaded into both products.
    loaded = data if "views" in args.parts else [d for d in data if d.key in editor_keys]
    results = Results()
    products, processes = {}, []
    wagtail = Wagtail(args.scratch, "vsumap_wagtail", args)
    try:
        if args.only != "wagtail":
            umap = Umap(args.scratch, "vsumap_umap", args)
            try:
                # uMap's plain markers too for the smaller point layer (all with --umap-plain).
                plain = {d.key for d in data if d.kind == "points"} if args.umap_plain else set()
                maps = umap.setup(loaded, plain | {f"points_{sizes['points_small']}"})
                process, base = umap.start()
                processes.append(process)
                products["umap"] = (base, maps)
            except (UmapUnavailable, RuntimeError, OSError, subprocess.CalledProcessError) as error:
                say(f"uMap's side is left out: {error}")
                results.notes.append(f"uMap's side could not run here: {error}")
        if args.only != "umap":
            maps = wagtail.setup(loaded)
            process, base = wagtail.start()
            processes.append(process)
            products["wagtail"] = (base, maps)
        for product, (base, maps) in products.items() if "rps" in args.parts else ():
            say(f"{NAMES[product]}: requests per second of a data URL…")
            results.rps[product] = requests_per_second(
                base + maps[editor_keys[0]]["data_url"], args.rps_seconds
            )

        def after_run(done: int) -> None:
            load = f"{load_before[0]:.2f} / {os.getloadavg()[0]:.2f}"
            say(f"\nAfter run {done} of {args.runs}:\n")
            say(report(data, editor_keys, results, args, load, done) + "\n")

        browser_runs(products, data, editor_keys, args, results, after_run)
    finally:
        for process in processes:
            stop(process)
        wagtail.stop()
    load = f"{load_before[0]:.2f} / {os.getloadavg()[0]:.2f}"
    print()
    print(report(data, editor_keys, results, args, load))


if __name__ == "__main__":
    main()
