"""Downloads of the 100,000-point demo map: memory and time in a gunicorn worker. A script, not
a test.

    python benchmarks/downloads.py                 # KML, the largest export (about 2 minutes)
    python benchmarks/downloads.py --format csv    # or any other export format
    python benchmarks/downloads.py --points 20000  # a smaller map, a fast check

In a throw-away SQLite database (or ``DATABASE_URL``) and media folder, it stores the demo's
charge points (``example_site/home/demo_large.py``), starts one gunicorn sync worker and
downloads the map as a citizen would (the map's download URL, its redirect, the file), reading
the body a chunk at a time. For each request it reports the time, the bytes and how much the
worker's peak resident memory (VmHWM, reset before each request through
``/proc/<pid>/clear_refs``) grew above its resident memory before the request:

1. the first download: the file is computed (a batch of features at a time) and stored;
2. the next one: the stored file, streamed (and decompressed for a client without gzip);
3. the same with ``Accept-Encoding: gzip``: the stored bytes as they are.

For comparison, a fresh process writes the same file the way downloads were written before
(``write_map_file(map.full_document(), format)``: the whole map in memory) and reports its own
peak growth.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.large_data import free_port  # noqa: E402


def environment(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.large.settings",
        "PYTHONPATH": str(ROOT),
        "BENCHMARK_MEDIA_ROOT": str(folder / "media"),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{folder / 'db.sqlite3'}")
    return env


SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from example_site.home import demo_large
demo_large.POINTS = int(sys.argv[1])
_points = demo_large.charge_points
demo_large.charge_points = lambda count=demo_large.POINTS, seed=7: _points(count, seed)
print(demo_large.build_map().pk)
"""

BEFORE = """
import django, sys, time
django.setup()
from wagtail_umap.formats import write_map_file
from wagtail_umap.models import Map
map_ = Map.objects.get(pk=int(sys.argv[1]))
map_.title  # the database connection, the imports: not what is measured
def status(name):
    for line in open("/proc/self/status"):
        if line.startswith(name):
            return int(line.split()[1]) * 1024
rss = status("VmRSS:")
open("/proc/self/clear_refs", "w").write("5")
start = time.perf_counter()
data = write_map_file(map_.full_document(), sys.argv[2])
print(time.perf_counter() - start, len(data), status("VmHWM:") - rss)
"""


def status(pid: int, name: str) -> int:
    with open(f"/proc/{pid}/status") as lines:
        for line in lines:
            if line.startswith(name):
                return int(line.split()[1]) * 1024
    raise KeyError(name)


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("no gunicorn worker")


def download(base: str, path: str, pid: int, gzip: bool) -> tuple[float, int, int]:
    """(seconds, bytes read, peak RSS growth of the worker) of one download, body included."""
    rss = status(pid, "VmRSS:")
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak starts from now
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    start = time.perf_counter()
    size = 0
    with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as reply:
        while chunk := reply.read(64 * 1024):
            size += len(chunk)
    return time.perf_counter() - start, size, status(pid, "VmHWM:") - rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--format", default="kml")
    parser.add_argument("--points", type=int, default=100_000)
    args = parser.parse_args()
    mb = 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="wagtail-umap-downloads-") as name:
        folder = Path(name)
        env = environment(folder)
        setup = subprocess.run(
            [sys.executable, "-c", SETUP, str(args.points)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        map_id = int(setup.stdout.split()[-1])
        before = subprocess.run(
            [sys.executable, "-c", BEFORE, str(map_id), args.format],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        port = free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "600"]
            + ["--log-level", "warning", "benchmarks.large.wsgi"],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/cartes/{map_id}/embed/", timeout=30).read()
                    break
                except OSError:
                    time.sleep(0.3)
            pid = worker_pid(server.pid)
            path = f"/cartes/{map_id}/download.{args.format}"
            rows = [
                ("before: write_map_file, whole map in memory", *map(float, before)),
                ("first download: computed and stored", *download(base, path, pid, False)),
                ("next download: stored file, streamed", *download(base, path, pid, False)),
                ("next download, gzip accepted", *download(base, path, pid, True)),
            ]
        finally:
            server.terminate()
            server.wait()
    print(
        f"{args.points:,} points, {args.format.upper()}; {platform.platform()}, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    print("| what | seconds | MB sent | worker peak RSS growth (MB) |")
    print("|---|---:|---:|---:|")
    for label, seconds, size, growth in rows:
        print(f"| {label} | {seconds:.1f} | {size / mb:.1f} | {growth / mb:.1f} |")


if __name__ == "__main__":
    main()
