"""What the properties a styled layer's vector tiles carry cost: the archive of 35,000
commune-like polygons and of 100,000 charge points, with only ``name`` and ``_style``, then
with one more property (a choropleth's number, a category's operator). A script, not a test.

    python benchmarks/vector_tile_properties.py

Generated data (fixed seeds, benchmarks/large/data.py), no database: the pure builder
(wagtail_umap/core/vector_tiles.py) writes each archive to memory.
"""

from __future__ import annotations

import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.large.data import communes, irve_points
from wagtail_umap.core.vector_tiles import project_layer, write_archive


def archive(features: list[dict], keys: tuple[str, ...]) -> tuple[int, int, float]:
    """(bytes, tiles, seconds) of the archive whose tiles carry ``keys``."""
    start = time.perf_counter()
    out = io.BytesIO()
    summary = write_archive(project_layer([features], keys=keys), out)
    return summary.size, summary.tiles, time.perf_counter() - start


def main() -> None:
    polygons = communes(35_000)
    rng = random.Random(5)
    for feature in polygons:
        feature["properties"]["taux"] = round(rng.uniform(0, 40), 1)
    points = irve_points(100_000)
    for label, features, key in (
        ("35,000 polygons", polygons, "taux"),
        ("100,000 points", points, "operator"),
    ):
        base = archive(features, ("name", "_style"))
        more = archive(features, ("name", "_style", key))
        print(
            f"{label}: {base[0] / 1e6:.2f} MB in {base[1]} tiles ({base[2]:.0f} s); "
            f"with {key!r}: {more[0] / 1e6:.2f} MB ({more[2]:.0f} s), "
            f"+{(more[0] / base[0] - 1) * 100:.0f} %"
        )


if __name__ == "__main__":
    main()
