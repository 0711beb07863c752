"""The wheel's smoke test, run by scripts/smoke-wheel after `migrate`, `collectstatic` and
`umap_import` in the temporary site: the package comes from the virtual environment, its map
page and embed page render with the viewer, its static files and French catalogue resolve."""

import json
import os
import re
import sys
from importlib import metadata, resources
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smoke_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from wagtail.models import Page  # noqa: E402

import wagtail_umap  # noqa: E402
from wagtail_umap.models import Map, MapPage  # noqa: E402


def ok(message):
    print(f"   ok  {message}")


def fail(message):
    print(f"   FAILED  {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message, detail=""):
    if not condition:
        fail(f"{message}{': ' + detail if detail else ''}")
    ok(message)


venv = Path(sys.prefix).resolve()
package = Path(wagtail_umap.__file__).resolve().parent
expect(
    package.is_relative_to(venv),
    f"wagtail-umap {metadata.version('wagtail-umap')} imported from the wheel ({package})",
    f"imported from {package}, outside {venv}",
)

map_ = Map.objects.filter(live=True).order_by("pk").last()
expect(map_ is not None, "umap_import made a published map")
ok(f"map “{map_.title}”: {len(map_.layers)} layers")

home = Page.objects.get(depth=2)
page = home.add_child(instance=MapPage(title="Carte de test", slug="carte", map=map_))
page.save_revision().publish()

client = Client()
response = client.get(page.url)
html = response.content.decode()
expect(response.status_code == 200, f"map page {page.url} answers 200")
expect("data-umap-viewer" in html and "data-umap-map" in html, "the page holds the viewer")
expect(map_.title in html, "with the map's title")
expect("Passer la carte" in html, "in French: the compiled catalogue (.mo) is in the wheel")
config = re.search(r'<script id="([^"]+)" type="application/json">', html)
expect(config is not None, "the viewer's configuration travels in json_script")

static_urls = sorted(set(re.findall(r'(?:src|href)="' + settings.STATIC_URL + r'([^"?#]+)"', html)))
missing = [url for url in static_urls if not (Path(settings.STATIC_ROOT) / url).is_file()]
expect(
    static_urls and not missing,
    f"its {len(static_urls)} static files have hashed names and were collected",
    ", ".join(missing),
)
hashed = [url for url in static_urls if re.search(r"\.[0-9a-f]{12}\.(js|css)$", url)]
expect(len(hashed) == len(static_urls), "every one under a hashed name", str(static_urls))

embed = client.get(reverse("wagtail_umap:embed", kwargs={"map_id": map_.pk}))
embed_html = embed.content.decode()
expect(embed.status_code == 200, "the embed page answers 200")
expect("data-umap-viewer" in embed_html and "noindex" in embed_html, "with the viewer, noindex")

# The download's address redirects to the file stored for this version (docs/large-data.md).
download = client.get(
    reverse("wagtail_umap:download_map", kwargs={"map_id": map_.pk, "format_name": "geojson"}),
    follow=True,
)
body = b"".join(download.streaming_content) if download.streaming else download.content
expect(
    download.status_code == 200,
    "the GeoJSON download answers 200, from its stored file",
    f"{download.status_code} after {download.redirect_chain}",
)
features = len(json.loads(body)["features"])
expect(features > 0, f"with the map's {features} features")

static = resources.files("wagtail_umap") / "static" / "wagtail_umap"
vendored = sorted(entry.name for entry in (static / "vendor").iterdir() if entry.is_dir())
for name in vendored:
    found = finders.find(f"wagtail_umap/vendor/{name}/LICENSE")
    expect(
        found and Path(found).resolve().is_relative_to(venv),
        f"vendored {name}: its LICENSE ships, found by the static finders in the wheel",
    )
expect(len(vendored) >= 4, f"{len(vendored)} vendored libraries", ", ".join(vendored))
for path in [url for url in static_urls if url.startswith("wagtail_umap/js/")][:1]:
    original = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", path)
    found = finders.find(original)
    expect(found and Path(found).resolve().is_relative_to(venv), f"finders: {original}")

migrations = resources.files("wagtail_umap") / "migrations"
count = sum(1 for entry in migrations.iterdir() if re.match(r"\d{4}_.*\.py$", entry.name))
expect(count > 0, f"{count} migrations shipped and applied")

with translation.override("fr"):
    expect(translation.gettext("Skip the map") == "Passer la carte", "gettext in French")

admin = Client().get("/admin/login/")
expect(admin.status_code == 200, "the Wagtail admin login answers 200")
print(f"   the installed wheel works: {features} features imported, published and downloaded.")
