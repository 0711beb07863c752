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
# benchmarks/load.py: every layer from its data URL (--inline-max 0), the grace period of data
# URLs through publishes (--grace, 0 to measure without it).
if os.environ.get("BENCHMARK_INLINE_LAYER_MAX_BYTES"):
    WAGTAIL_UMAP["INLINE_LAYER_MAX_BYTES"] = int(os.environ["BENCHMARK_INLINE_LAYER_MAX_BYTES"])
if os.environ.get("BENCHMARK_DATA_URL_GRACE_SECONDS"):
    WAGTAIL_UMAP["DATA_URL_GRACE_SECONDS"] = int(os.environ["BENCHMARK_DATA_URL_GRACE_SECONDS"])
# benchmarks/vs_umap.py: Wagtail's autosave held back (10 minutes), so that "Save draft" carries
# the edit itself, as uMap's Save does (an autosave before it would have sent the layer already).
if os.environ.get("BENCHMARK_AUTOSAVE_INTERVAL"):
    WAGTAIL_AUTOSAVE_INTERVAL = int(os.environ["BENCHMARK_AUTOSAVE_INTERVAL"])
LOGGING = {"version": 1, "disable_existing_loggers": True}

# Files the benchmarks write (stored downloads) go to a throw-away folder, not the example's.
if os.environ.get("BENCHMARK_MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["BENCHMARK_MEDIA_ROOT"]
# A shared cache for the load benchmark's workers (benchmarks/load.py --redis), as in production:
# django-redis, its errors ignored (docs/large-data.md, "Production").
if os.environ.get("BENCHMARK_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["BENCHMARK_REDIS_URL"],
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
