"""Run by uMap's own Python (its virtualenv) for benchmarks/vs_umap.py: creates one map per
entry of a JSON spec through uMap's models, each with one layer of the given GeoJSON file, and
writes the maps' page and data URLs.

    python umap_load.py spec.json out.json

Entries: {"key", "name", "file", "center": [lng, lat], "zoom", "type": "Default"|"Cluster"}.
The maps have no owner, are public and editable by everyone (no login in the benchmark)."""

import json
import sys
import uuid
from pathlib import Path

import django

django.setup()

from django.contrib.gis.geos import Point  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.urls import reverse  # noqa: E402
from umap.models import DataLayer, Map, TileLayer  # noqa: E402


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    # The browser's tile requests are answered locally with a blank image: any URL will do,
    # as long as it is the default one.
    for tilelayer in TileLayer.objects.all():
        tilelayer.url_template = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        tilelayer.save()
    out = {}
    for entry in spec:
        lng, lat = entry["center"]
        geometry = {"type": "Point", "coordinates": [lng, lat]}
        map_ = Map.objects.create(
            name=entry["name"],
            slug=entry["key"].replace("_", "-"),
            center=Point(lng, lat, srid=4326),
            zoom=entry["zoom"],
            share_status=Map.PUBLIC,
            edit_status=Map.ANONYMOUS,
            settings={
                "type": "Feature",
                "geometry": geometry,
                "properties": {"name": entry["name"], "zoom": entry["zoom"]},
            },
        )
        properties = {"name": entry["name"], "displayOnLoad": True, "type": entry["type"]}
        layer = DataLayer(
            uuid=uuid.uuid4(),
            map=map_,
            name=entry["name"],
            rank=0,
            display_on_load=True,
            settings=properties,
        )
        collection = json.loads(Path(entry["file"]).read_text())
        collection["_umap_options"] = properties
        layer.geojson.save(
            "layer.geojson", ContentFile(json.dumps(collection).encode()), save=False
        )
        layer.save()
        out[entry["key"]] = {
            "map_id": map_.pk,
            "url": map_.get_absolute_url(),
            "data_url": reverse("datalayer_view", kwargs={"map_id": map_.pk, "pk": layer.pk}),
        }
    Path(sys.argv[2]).write_text(json.dumps(out))


main()
