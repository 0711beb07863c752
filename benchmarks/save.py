"""The save path alone: ``store.validate_and_store`` (validation, canonical JSON and digest,
compression, feature index, insert) on generated national-scale layers. A script, not a test.

    python benchmarks/save.py               # 10,000 and 100,000 points, communes, lines
    python benchmarks/save.py --quick       # a tenth of the larger sizes
    python benchmarks/save.py --profile points-10000   # cProfile of one dataset, top 25
    python benchmarks/save.py --patch       # the editor's layer endpoint: one feature renamed,
                                            # the whole layer against a patch (--profile NAME)

Each dataset is saved ``--repeat`` times into a throw-away SQLite database, each time with a
fresh seed offset so the content (and digest) is new and the whole path runs; the median is
reported. The data comes from benchmarks/large/data.py (no network, fixed seeds).
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.large import data  # noqa: E402
from benchmarks.large_data import setup_django  # noqa: E402

DATASETS = {
    "points-10000": lambda seed: data.irve_points(10_000, seed),
    "points-100000": lambda seed: data.irve_points(100_000, seed),
    "communes-35000": lambda seed: data.communes(35_000, seed=seed),
    "lines-50000": lambda seed: data.lines(50_000, seed=seed),
}
QUICK = {
    "points-10000": lambda seed: data.irve_points(10_000, seed),
    "points-100000": lambda seed: data.irve_points(10_000, seed),
    "communes-3500": lambda seed: data.communes(3_500, seed=seed),
    "lines-5000": lambda seed: data.lines(5_000, seed=seed),
}


def save_once(features: list[dict]) -> float:
    """Seconds one ``validate_and_store`` of a one-layer document takes."""
    from wagtail_umap.models import store

    document = {"version": 1, "options": {}, "layers": [{"name": "Couche", "features": features}]}
    start = time.perf_counter()
    store.validate_and_store(document)
    return time.perf_counter() - start


def endpoint_once(features: list[dict], base: str | None, renamed: int) -> float:
    """Seconds the editor's layer endpoint takes to store ``features`` sent whole (``base``
    None) or as a patch over the stored ``base`` with feature ``renamed`` changed."""
    import json

    from django.db import transaction

    from wagtail_umap.editor.layer_upload import layer_location, store_layer, store_patch

    where = layer_location("Couche", 1)
    if base is None:
        data = json.dumps(features).encode()
    else:
        items = [[0, renamed], features[renamed], [renamed + 1, len(features)]]
        data = json.dumps({"base": base, "features": items}).encode()
    start = time.perf_counter()
    with transaction.atomic():
        (store_layer if base is None else store_patch)(data, "Couche", where)
    return time.perf_counter() - start


def patch_table(datasets: dict, args) -> None:
    """The layer endpoint on one renamed feature: the whole layer, then a patch."""
    import json

    from wagtail_umap.editor.layer_upload import layer_location, store_layer

    print("| data | features | whole layer, median | patch, median |")
    print("|---|---:|---:|---:|")
    for name, make in datasets.items():
        if args.only and name not in args.only:
            continue
        features = make(1000)
        base = store_layer(json.dumps(features).encode(), "Couche", layer_location("", 1))
        middle = len(features) // 2
        whole, patched = [], []
        for run in range(args.repeat):
            features[middle]["properties"]["name"] = f"whole {run}"
            whole.append(endpoint_once(features, None, middle))
            features[middle]["properties"]["name"] = f"patch {run}"
            if args.profile == name and run == args.repeat - 1:
                profiler = cProfile.Profile()
                patched.append(profiler.runcall(endpoint_once, features, base["digest"], middle))
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
            else:
                patched.append(endpoint_once(features, base["digest"], middle))
        print(
            f"| {name} | {len(features):,} | {statistics.median(whole) * 1000:.0f} ms "
            f"| {statistics.median(patched) * 1000:.0f} ms |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller polygon and line sets")
    parser.add_argument("--repeat", type=int, default=3, help="saves per dataset (median)")
    parser.add_argument("--only", nargs="*", help="dataset names to run")
    parser.add_argument("--profile", metavar="NAME", help="cProfile one save of one dataset")
    parser.add_argument("--patch", action="store_true", help="whole layer against a patch")
    args = parser.parse_args()
    datasets = QUICK if args.quick else DATASETS
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "save.sqlite3")
        if args.patch:
            patch_table(datasets, args)
            return
        if args.profile:
            features = datasets[args.profile](100)
            profiler = cProfile.Profile()
            profiler.runcall(save_once, features)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
            return
        print("| data | features | save, median of", args.repeat, "| runs |")
        print("|---|---:|---:|---|")
        for name, make in datasets.items():
            if args.only and name not in args.only:
                continue
            base = make(1000)
            runs = []
            for run in range(args.repeat):
                features = copy.deepcopy(base)
                # A new first name per run: new content, so nothing is found already stored.
                features[0]["properties"]["name"] = f"run {run}"
                runs.append(save_once(features))
            shown = ", ".join(f"{r * 1000:.0f}" for r in runs)
            median = statistics.median(runs) * 1000
            print(f"| {name} | {len(base):,} | {median:.0f} ms | {shown} |", flush=True)


if __name__ == "__main__":
    main()
