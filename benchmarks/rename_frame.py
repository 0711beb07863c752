"""Renaming one feature in the map editor, to the next frame: figures and a Chrome trace.

A script, not a test. It builds benchmarks/editor.py's maps (generated points, lines and
polygons; 35,000 small polygons) in a throw-away SQLite database, starts a live server and
drives the Wagtail edit view in headless Chromium. For each measurement the editor is loaded
afresh and left quiet for a few seconds (no autosave in flight), then one feature is renamed
and, right after, one feature's colour changed (benchmarks/editor.py's ``EDIT_JS``): each the
edit's own time and the time to the next frame. Medians of ``--repeat`` loads.

    python benchmarks/rename_frame.py [--sizes 10000] [--polygons 35000] [--repeat 5]
        [--before-static DIR] [--trace]

- ``--before-static DIR``: alternate each load with one whose ``/static/wagtail_umap/`` files
  are answered from DIR (e.g. another checkout's ``wagtail_umap/static/wagtail_umap``): before
  and after at the same load of the machine;
- ``--trace``: record a Chrome trace of one more rename per variant and print what the
  renderer's main thread did from the edit to the next frame's end (style, layout, paint,
  scripts; how many elements had their style recalculated, how many layout objects were dirty);
  with ``RENAME_FRAME_DUMP=1`` in the environment, every event of the renderer's threads too;
- ``--still``: finish the admin page's CSS animations before each measurement (Wagtail's
  "What's new" badge pings 5 × 5 s after each load of an admin page, a repaint every frame, for
  a user who has not dismissed it).

Autosave is off (``WAGTAIL_AUTOSAVE_INTERVAL``): it would start after the measured frames, and
the variants edit the same map.
"""

from __future__ import annotations

import argparse
import collections
import mimetypes
import os
import statistics
from pathlib import Path

from benchmarks import editor as bench

STATIC_PREFIX = "/static/wagtail_umap/"
QUIET_MS = 4000
STILL = False

TRACE_CATEGORIES = ",".join(
    [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "disabled-by-default-devtools.timeline.frame",
        "blink.user_timing",
        "v8.execute",
        "cc",
    ]
)

# The rename between two marks, then the next frame (as EDIT_JS), the marks in the trace.
TRACED_JS = """async () => {
  const editor = document.querySelector('.umap-editor').umapEditor;
  const layer = editor.state.layers[0];
  const feature = layer.features[Math.floor(layer.features.length / 2)];
  performance.mark('bench-edit-start');
  editor.editFeature(feature, 'bench', (p) => { p.name = 'Tracé ' + performance.now(); });
  performance.mark('bench-edit-sync');
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  performance.mark('bench-edit-end');
}"""

# Top-level kinds of main-thread work, with the trace event names that stand for them.
KINDS = {
    "UpdateLayoutTree": "Recalculate Style",
    "Layout": "Layout",
    "PrePaint": "Pre-paint",
    "Paint": "Paint",
    "Layerize": "Layerize",
    "UpdateLayer": "Update layer",
    "Commit": "Commit",
    "FunctionCall": "Script (function call)",
    "EvaluateScript": "Script (evaluate)",
    "v8.callFunction": "Script (V8)",
    "TimerFire": "Timer fired",
    "FireAnimationFrame": "Animation frame fired",
    "FireIdleCallback": "Idle callback",
    "HitTest": "Hit test",
    "ParseHTML": "Parse HTML",
    "MajorGC": "GC (major)",
    "MinorGC": "GC (minor)",
    "V8.GC_SCAVENGER": "GC (scavenge)",
}


def static_router(directory: Path):
    def handle(route):
        path = route.request.url.split("?")[0].split(STATIC_PREFIX, 1)[1]
        file = directory / path
        if not file.is_file():
            route.fulfill(status=404, body="")
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(status=200, content_type=kind, body=file.read_bytes())

    return handle


def summarise(events: list[dict]) -> str:
    """What the renderer's main thread did between the edit's start mark and its end mark."""
    marks = {
        e["name"]: e["ts"]
        for e in events
        if e.get("name", "").startswith("bench-edit-") and e.get("ph") in ("R", "I", "n", "b")
    }
    if "bench-edit-start" not in marks or "bench-edit-end" not in marks:
        return "  (no marks in the trace)"
    start, end = marks["bench-edit-start"], marks["bench-edit-end"]
    threads = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    mark_thread = next((e["pid"], e["tid"]) for e in events if e.get("name") == "bench-edit-start")
    threads = {t for t in threads if t[0] == mark_thread[0]} or {mark_thread}
    totals = collections.Counter()
    counts = collections.Counter()
    lines = []
    busy = 0.0
    for e in sorted(events, key=lambda e: e.get("ts", 0)):
        if (e.get("pid"), e.get("tid")) not in threads or e.get("ph") != "X":
            continue
        if not (start <= e["ts"] <= end):
            continue
        name, dur = e["name"], e.get("dur", 0) / 1000
        if name == "RunTask":
            busy += dur
        if name in KINDS:
            totals[name] += dur
            counts[name] += 1
        if name == "UpdateLayoutTree":
            count = e.get("args", {}).get("elementCount")
            lines.append(
                f"    Recalculate Style at +{(e['ts'] - start) / 1000:.1f} ms: "
                f"{dur:.2f} ms, {count} elements"
            )
        elif name == "Layout":
            data = e.get("args", {}).get("beginData", {})
            lines.append(
                f"    Layout at +{(e['ts'] - start) / 1000:.1f} ms: {dur:.2f} ms, "
                f"{data.get('dirtyObjects')} of {data.get('totalObjects')} objects dirty"
            )
        elif (
            name in ("Paint", "PrePaint", "Commit", "FireAnimationFrame", "TimerFire")
            and dur >= 0.3
        ):
            lines.append(f"    {KINDS[name]} at +{(e['ts'] - start) / 1000:.1f} ms: {dur:.2f} ms")
    frames = [
        (e["ts"] - start) / 1000
        for e in events
        if e.get("name") in ("BeginFrame", "BeginMainThreadFrame")
        and start <= e["ts"] <= end
        and (e.get("pid"), e.get("tid")) in threads
    ]
    out = [
        f"  edit to next frame: {(end - start) / 1000:.1f} ms "
        f"(edit's own: {(marks.get('bench-edit-sync', start) - start) / 1000:.1f} ms); "
        f"main thread busy {busy:.1f} ms; main frames begun at "
        + ", ".join(f"+{f:.1f}" for f in frames[:6])
        + " ms"
    ]
    for name, total in totals.most_common():
        out.append(f"  {KINDS[name]}: {total:.2f} ms in {counts[name]}")
    if os.environ.get("RENAME_FRAME_DUMP"):
        names = {
            (e["pid"], e["tid"]): e["args"].get("name")
            for e in events
            if e.get("name") == "thread_name"
        }
        for e in sorted(events, key=lambda e: e.get("ts", 0)):
            if start - 20000 <= e.get("ts", 0) <= end and e.get("ph") in (
                "X",
                "I",
                "i",
                "B",
                "R",
                "n",
            ):
                lines.append(
                    f"      {names.get((e.get('pid'), e.get('tid')), e.get('tid'))[:22]:22} "
                    f"+{(e['ts'] - start) / 1000:7.2f} {e.get('dur', 0) / 1000:6.2f} {e['name']}"
                )
    return "\n".join(out + lines)


def trace_rename(page, cdp) -> str:
    events = []
    cdp.on("Tracing.dataCollected", lambda message: events.extend(message["value"]))
    cdp.send("Tracing.start", {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"})
    page.wait_for_timeout(300)
    page.evaluate(TRACED_JS)
    page.wait_for_timeout(100)
    done = []
    cdp.on("Tracing.tracingComplete", lambda message: done.append(True))
    cdp.send("Tracing.end")
    for _ in range(200):
        if done:
            break
        page.wait_for_timeout(50)
    return summarise(events)


def load(page, url: str) -> None:
    page.goto(url, timeout=300_000)
    page.locator(bench.READY).wait_for(timeout=300_000)
    page.evaluate(bench.DRAWN_JS)
    page.wait_for_timeout(QUIET_MS)
    if STILL:
        # Wagtail's "What's new" badge pings (a box-shadow animation, 5 × 5 s after each
        # load, for a user who has not dismissed it): a frame of the admin page every 16 ms.
        page.evaluate("() => document.getAnimations().forEach((a) => a.finish())")
        page.wait_for_timeout(200)


def run(args, base: str, maps: dict) -> None:
    from playwright.sync_api import sync_playwright

    variants = {"after": None}
    if args.before_static:
        variants = {"before": Path(args.before_static), "after": None}
    print(f"load: {os.getloadavg()}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        pages = {}
        for name, directory in variants.items():
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
            context.route("**/*", bench.route)
            if directory:
                context.route(f"**{STATIC_PREFIX}**", static_router(directory))
            page = context.new_page()
            bench.log_in(page, base)
            pages[name] = page
        for label, map_ in maps.items():
            url = f"{base}/admin/snippets/wagtail_umap/map/edit/{map_.pk}/"
            figures = {name: collections.defaultdict(list) for name in variants}
            for _ in range(args.repeat):
                for name, page in pages.items():
                    load(page, url)
                    rename = page.evaluate(bench.EDIT_JS, "rename")
                    page.wait_for_timeout(50)
                    style = page.evaluate(bench.EDIT_JS, "style")
                    figures[name]["rename_sync"].append(rename[0])
                    figures[name]["rename_frame"].append(rename[1])
                    figures[name]["style_frame"].append(style[1])
            print(f"\n{label} (load {os.getloadavg()[0]:.1f}), medians of {args.repeat}:")
            for name, values in figures.items():
                print(
                    f"  {name}: rename {statistics.median(values['rename_sync']):.1f} ms "
                    f"(to next frame {statistics.median(values['rename_frame']):.1f} ms; all: "
                    + ", ".join(f"{v:.0f}" for v in values["rename_frame"])
                    + f"), style to next frame {statistics.median(values['style_frame']):.1f} ms"
                    " (all: " + ", ".join(f"{v:.0f}" for v in values["style_frame"]) + ")",
                    flush=True,
                )
            if args.trace:
                for name, page in pages.items():
                    load(page, url)
                    cdp = page.context.new_cdp_session(page)
                    print(f"  trace, {name}:\n{trace_rename(page, cdp)}", flush=True)
                    cdp.detach()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000])
    parser.add_argument("--polygons", type=int, nargs="*", default=[35000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before-static", help="a wagtail_umap/static/wagtail_umap to compare")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument(
        "--still", action="store_true", help="finish the admin page's CSS animations first"
    )
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    global STILL
    STILL = args.still
    bench.setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    # No autosave: each load is measured once, then left (the variants edit the same map).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 600_000

    get_user_model().objects.create_superuser(bench.USERNAME, "b@example.org", bench.PASSWORD)
    maps = {f"{count:,} features": bench.make_map(count) for count in args.sizes}
    maps.update({f"{count:,} polygons": bench.make_map(count, True) for count in args.polygons})
    base, server = bench.start_server()
    try:
        run(args, base, maps)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
