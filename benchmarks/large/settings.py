"""The example site's settings for the large-data benchmark: limits raised to national sizes."""

import os

from example_site.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
WAGTAIL_UMAP = {
    "MAX_DOCUMENT_BYTES": 1_000_000_000,
    "MAX_FEATURES": 2_000_000,
    "MAX_VERTICES": 40_000_000,
    "MAX_LAYER_FEATURES": 2_000_000,
    "MAX_LAYER_VERTICES": 40_000_000,
    "MAX_UPLOAD_BYTES": 1_000_000_000,
}
LOGGING = {"version": 1, "disable_existing_loggers": True}

# Files the benchmarks write (stored downloads) go to a throw-away folder, not the example's.
if os.environ.get("BENCHMARK_MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["BENCHMARK_MEDIA_ROOT"]
